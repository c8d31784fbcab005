import { fireEvent, screen, waitFor } from '@testing-library/react';
import { apiError, ELIGIBLE_ME, fakeApi, logIn, renderApp, resetBrowser, VACCINES } from '../test-support.tsx';

beforeEach(resetBrowser);

const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  timestamp: '2026-01-12T08:00:00.000Z',
  entry: [
    {
      fullUrl: 'https://e-registration.example/fhir/Patient/pat-1',
      resource: { resourceType: 'Patient', id: 'pat-1' },
    },
  ],
};

function api(record: Parameters<typeof fakeApi>[0][string]) {
  return fakeApi({
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/login/me': { body: ELIGIBLE_ME },
    'GET /api/booking/patients/pat-1/appointments': { body: { appointments: [] } },
    'GET /api/booking/me/record.fhir.json': record,
  });
}

describe('the download of my record (FHIR)', () => {
  it('asks the API for the person’s own record and saves it as a FHIR JSON file', async () => {
    logIn();
    const files: Array<{ name: string; text: string; type: string }> = [];
    const { fetch, requests } = api({ body: bundle });
    await renderApp({
      url: '/visits',
      fetch,
      language: 'en',
      download: (name, text, type) => files.push({ name, text, type }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Download my record (FHIR)' }));
    await waitFor(() => expect(files).toHaveLength(1));
    expect(requests.filter((r) => r.path === '/api/booking/me/record.fhir.json')).toHaveLength(1);
    expect(files[0]?.name).toBe('record.fhir.json');
    expect(files[0]?.type).toBe('application/fhir+json');
    expect(JSON.parse(files[0]?.text ?? '')).toEqual(bundle);
  });

  it.each([
    ['pl', 'Pobierz moją dokumentację (FHIR)'],
    ['uk', 'Завантажити мій запис (FHIR)'],
  ] as const)('is offered in %s', async (language, label) => {
    logIn();
    const { fetch } = api({ body: bundle });
    await renderApp({ url: '/visits', fetch, language });
    expect(await screen.findByRole('button', { name: label })).toBeTruthy();
  });

  it('says so when the record cannot be had, and saves nothing', async () => {
    logIn();
    const files: string[] = [];
    const { fetch } = api(apiError(503, 'UNAVAILABLE'));
    await renderApp({ url: '/visits', fetch, language: 'en', download: (name) => files.push(name) });
    fireEvent.click(await screen.findByRole('button', { name: 'Download my record (FHIR)' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(files).toEqual([]);
  });
});
