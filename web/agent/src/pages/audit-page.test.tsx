import { fireEvent, screen, within } from '@testing-library/react';
import { apiError, fakeApi } from '../../../shared/src/fake-api.ts';
import { pressAlt, renderSupervisorPage, settle } from '../lib/audit-test-render.tsx';
import { AuditPage } from './audit-page.tsx';

const AUDIT = 'GET /api/admin/hotline/audit';

const record = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  actor: { role: 'agent', id: 'agent-1' },
  patientId: 'pat-1',
  action: 'lookup',
  reason: 'caller-booking',
  reasonCode: 'caller-booking',
  at: '2026-01-12T07:15:00.000Z',
  pseudonym: 'A-0123456789ab',
  ...overrides,
});

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
beforeEach(() => window.sessionStorage.clear());

describe('the access log', () => {
  it('reads the filters from the address, asks the API for them and lists each record in words', async () => {
    const { fetch, requests } = fakeApi({
      [AUDIT]: {
        body: {
          records: [
            record('aud-3', { action: 'reveal', field: 'phone', reasonCode: undefined, reason: 'reveal phone' }),
            record('aud-2', { reasonCode: 'other', reason: 'prokuratura pyta' }),
            record('aud-1', { action: 'reschedule', reasonCode: undefined, reason: 'caller moves the visit' }),
          ],
          next: null,
        },
      },
    });
    ({ cleanup } = await renderSupervisorPage(<AuditPage />, {
      url: '/agent/audit?agentId=agent-1&reason=other&from=2026-01-01&to=2026-01-12&bogus=1',
      fetch,
    }));
    expect(Object.fromEntries(requests[0]?.query ?? [])).toEqual({
      agentId: 'agent-1',
      reason: 'other',
      from: '2026-01-01',
      to: '2026-01-12',
    });
    expect((screen.getByLabelText('Konsultant (identyfikator)') as HTMLInputElement).value).toBe('agent-1');
    expect((screen.getByLabelText('Powód') as HTMLSelectElement).value).toBe('other');
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell')[2]?.textContent)).toEqual([
      'Odkrycie: telefon komórkowy',
      'Wyszukanie',
      'Przeniesienie wizyty',
    ]);
    expect(within(rows[1] as HTMLElement).getAllByRole('cell')[3]?.textContent).toBe('Inny powód„prokuratura pyta”');
    expect(within(rows[0] as HTMLElement).getAllByRole('cell')[1]?.textContent).toBe('agent-1A-0123456789ab');
    expect(within(rows[0] as HTMLElement).getAllByRole('cell')[0]?.textContent).toBe('12 sty 2026, 08:15');
    expect(screen.getByText('To wszystkie wpisy dla tych filtrów.')).toBeTruthy();
  });

  it('puts the filters chosen in the address and asks again; clearing them asks for everything', async () => {
    const { fetch, requests } = fakeApi({ [AUDIT]: { body: { records: [record('aud-1')], next: null } } });
    ({ cleanup } = await renderSupervisorPage(<AuditPage />, { url: '/agent/audit', fetch }));
    fireEvent.change(screen.getByLabelText('Osoba (identyfikator pacjenta)'), { target: { value: ' pat-7 ' } });
    fireEvent.change(screen.getByLabelText('Powód'), { target: { value: 'caller-asking' } });
    fireEvent.change(screen.getByLabelText('Od dnia'), { target: { value: '2026-01-05' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pokaż' }));
    await settle();
    expect(window.location.search).toBe('?patientId=pat-7&reason=caller-asking&from=2026-01-05');
    expect(Object.fromEntries(requests.at(-1)?.query ?? [])).toEqual({
      patientId: 'pat-7',
      reason: 'caller-asking',
      from: '2026-01-05',
    });
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Wpisy' }));

    await pressAlt('z');
    expect(window.location.search).toBe('');
    expect(requests.at(-1)?.query.toString()).toBe('');
    expect((screen.getByLabelText('Osoba (identyfikator pacjenta)') as HTMLInputElement).value).toBe('');
    await pressAlt('a');
    expect(document.activeElement).toBe(screen.getByLabelText('Konsultant (identyfikator)'));
  });

  it('loads the next page after the last one with the same filters, focus on its first record', async () => {
    const { fetch, requests } = fakeApi({
      [AUDIT]: (request) =>
        request.query.get('after') === 'cursor-1'
          ? { body: { records: [record('aud-1', { patientId: 'pat-older' })], next: null } }
          : { body: { records: [record('aud-3'), record('aud-2')], next: 'cursor-1' } },
    });
    ({ cleanup } = await renderSupervisorPage(<AuditPage />, { url: '/agent/audit?agentId=agent-1', fetch }));
    expect(screen.getAllByRole('row')).toHaveLength(3);
    await pressAlt('o');
    expect(Object.fromEntries(requests.at(-1)?.query ?? [])).toEqual({ agentId: 'agent-1', after: 'cursor-1' });
    const rows = screen.getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(document.activeElement).toBe(rows[3]);
    expect(within(rows[3] as HTMLElement).getByRole('link', { name: /pat-older/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Wczytaj starsze wpisy/ })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Pokazano 3 wpisy.');
  });

  it('says when nothing matches, and names a refused filter at its field', async () => {
    const { fetch } = fakeApi({ [AUDIT]: { body: { records: [], next: null } } });
    ({ cleanup } = await renderSupervisorPage(<AuditPage />, { url: '/agent/audit?agentId=nobody', fetch }));
    expect(screen.getByText('Żaden wpis nie pasuje do tych filtrów.')).toBeTruthy();
    cleanup?.();
    document.body.innerHTML = '';

    const refused = fakeApi({
      [AUDIT]: {
        status: 400,
        body: { error: { code: 'INVALID_RANGE', message: 'to must not be before from.', field: 'to' } },
      },
    });
    ({ cleanup } = await renderSupervisorPage(<AuditPage />, {
      url: '/agent/audit?from=2026-01-10&to=2026-01-01',
      fetch: refused.fetch,
    }));
    const to = screen.getByLabelText('Do dnia (włącznie)');
    expect(to.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(to.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Data końcowa nie może być wcześniejsza niż początkowa.',
    );
  });

  it('shows a failure of the API in words, and the loading state before the answer', async () => {
    let answer: (value: { status: number; body: unknown }) => void = () => {};
    const { fetch } = fakeApi({ [AUDIT]: () => new Promise((resolve) => (answer = resolve)) as never });
    ({ cleanup } = await renderSupervisorPage(<AuditPage />, { url: '/agent/audit', fetch }));
    expect(screen.getByRole('status').textContent).toBe('Wczytujemy dziennik…');
    answer(apiError(503, 'UNAVAILABLE'));
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('UNAVAILABLE');
  });

  it('words the page in English and Ukrainian', async () => {
    const { fetch } = fakeApi({ [AUDIT]: { body: { records: [record('aud-1')], next: null } } });
    ({ cleanup } = await renderSupervisorPage(<AuditPage />, { url: '/agent/audit', fetch, language: 'en' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Access log');
    expect(screen.getAllByRole('cell')[3]?.textContent).toBe('Caller books');
    cleanup?.();
    document.body.innerHTML = '';
    ({ cleanup } = await renderSupervisorPage(<AuditPage />, { url: '/agent/audit', fetch, language: 'uk' }));
    expect(screen.getAllByRole('cell')[3]?.textContent).toBe('Абонент бронює');
    expect(screen.getAllByRole('cell')[2]?.textContent).toBe('Пошук');
  });
});
