import { makePesel } from '@ereg/shared';
import { fireEvent, screen, within } from '@testing-library/react';
import { apiError, fakeApi, type RecordedRequest } from '../../../shared/src/fake-api.ts';
import { pressAlt, renderSupervisorPage, settle } from '../lib/audit-test-render.tsx';
import { AlertsPage } from './alerts-page.tsx';

const alert = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  kind: 'lookup_budget',
  agentId: 'agent-3',
  patientId: null,
  at: '2026-01-12T07:42:00.000Z',
  count: 61,
  acknowledged: null,
  ...overrides,
});

const OPEN = [
  alert('al-1'),
  alert('al-2', { kind: 'many_agents', agentId: null, patientId: 'pat-5', count: 5 }),
  alert('al-3', { kind: 'watch_list', agentId: 'agent-1', patientId: 'pat-9', count: null }),
];

const WATCHED = makePesel('1950-03-15', 'female', 12);
const ENTRY = {
  id: 'wl-1',
  pesel: WATCHED,
  note: 'osoba publiczna',
  addedBy: { role: 'supervisor', id: 'supervisor-1' },
  addedAt: '2026-01-10T09:00:00.000Z',
};

const routes = (extra: Record<string, unknown> = {}) => ({
  'GET /api/admin/hotline/alerts': (request: RecordedRequest) => ({
    body: { alerts: request.query.get('open') === 'true' ? OPEN : [] },
  }),
  'GET /api/admin/hotline/watch-list': { body: { entries: [ENTRY] } },
  ...extra,
});

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
beforeEach(() => window.sessionStorage.clear());

const alertCards = () => [...document.querySelectorAll<HTMLElement>('[data-alert-id]')];
const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.body]);

describe('the alerts', () => {
  it('words each kind of open alert and links it to the records behind it', async () => {
    const { fetch, requests } = fakeApi(routes());
    ({ cleanup } = await renderSupervisorPage(<AlertsPage />, { url: '/agent/alerts', fetch }));
    expect(requests.find((r) => r.path.endsWith('/alerts'))?.query.get('open')).toBe('true');
    const [budget, many, watched] = alertCards() as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(budget).getByRole('heading').textContent).toBe('Przekroczony limit wyszukań');
    expect(budget.textContent).toContain(
      'Konsultant agent-3 przekroczył godzinny limit wyszukań: odmówiono wyszukania nr 61 w godzinie 12 sty 2026, 08:00–09:00.',
    );
    expect(within(budget).getByRole('link').getAttribute('href')).toBe(
      '/agent/audit?agentId=agent-3&from=2026-01-12&to=2026-01-12',
    );
    expect(many.textContent).toContain('Osobę pat-5 wyszukało 5 różnych konsultantów dnia 12 stycznia 2026.');
    expect(within(many).getByRole('link').getAttribute('href')).toBe(
      '/agent/audit?patientId=pat-5&from=2026-01-12&to=2026-01-12',
    );
    expect(within(watched).getByRole('heading').textContent).toBe('Wyszukano obserwowany PESEL');
    expect(within(watched).getByRole('link').getAttribute('href')).toBe(
      '/agent/audit?agentId=agent-1&patientId=pat-9&from=2026-01-12&to=2026-01-12',
    );
  });

  it('acknowledges the alert at hand with its note, and focus moves to the next one', async () => {
    const { fetch, requests } = fakeApi(
      routes({
        'POST /api/admin/hotline/alerts/al-2/acknowledge': { body: { ...OPEN[1], acknowledged: {} } },
      }),
    );
    ({ cleanup } = await renderSupervisorPage(<AlertsPage />, { url: '/agent/alerts', fetch }));
    const many = alertCards()[1] as HTMLElement;
    const note = within(many).getByLabelText('Notatka (nieobowiązkowa)');
    fireEvent.change(note, { target: { value: ' rodzina dzwoniła ' } });
    note.focus();
    await pressAlt('e');
    expect(posts(requests)).toEqual([['/api/admin/hotline/alerts/al-2/acknowledge', { note: 'rodzina dzwoniła' }]]);
    expect(alertCards().map((card) => card.getAttribute('data-alert-id'))).toEqual(['al-1', 'al-3']);
    expect(document.activeElement?.id).toBe('alert-al-3');
    expect(screen.getAllByRole('status')[0]?.textContent).toBe('Alert przyjęty.');
  });

  it('explains an alert another supervisor acknowledged meanwhile', async () => {
    const { fetch } = fakeApi(
      routes({ 'POST /api/admin/hotline/alerts/al-1/acknowledge': apiError(409, 'ALERT_ACKNOWLEDGED') }),
    );
    ({ cleanup } = await renderSupervisorPage(<AlertsPage />, { url: '/agent/alerts', fetch }));
    fireEvent.click(within(alertCards()[0] as HTMLElement).getByRole('button', { name: /Przyjmij alert/ }));
    await settle();
    expect(screen.getAllByRole('status')[0]?.textContent).toBe(
      'Inny inspektor przyjął już ten alert — jest na liście przyjętych.',
    );
    expect(alertCards()).toHaveLength(2);
    // Said of the open alerts: the acknowledged ones do not repeat it.
    await pressAlt('y');
    expect(window.location.search).toBe('?list=acknowledged');
    expect(screen.getAllByRole('status')[0]?.textContent).toBe('');
  });

  it('lists the acknowledged alerts with who acknowledged them', async () => {
    const done = alert('al-7', {
      acknowledged: { by: { role: 'supervisor', id: 'supervisor-2' }, at: '2026-01-12T07:50:00.000Z', note: 'ok' },
    });
    const { fetch } = fakeApi(
      routes({
        'GET /api/admin/hotline/alerts': (request: RecordedRequest) => ({
          body: { alerts: request.query.get('open') === 'false' ? [done] : [] },
        }),
      }),
    );
    ({ cleanup } = await renderSupervisorPage(<AlertsPage />, { url: '/agent/alerts?list=acknowledged', fetch }));
    const [card] = alertCards() as [HTMLElement];
    expect(card.textContent).toContain('Przyjął(a) supervisor-2, 12 sty 2026, 08:50.„ok”');
    expect(within(card).queryByRole('button')).toBeNull();
    await pressAlt('y');
    expect(window.location.search).toBe('');
    expect(screen.getByText('Brak otwartych alertów.')).toBeTruthy();
  });
});

describe('the watch list', () => {
  it('shows each PESEL masked, and refuses a PESEL without 11 digits before asking the server', async () => {
    const { fetch, requests } = fakeApi(routes());
    ({ cleanup } = await renderSupervisorPage(<AlertsPage />, { url: '/agent/alerts', fetch }));
    expect(screen.getByText(`*******${WATCHED.slice(-4)}`, { selector: '.alerts-watch-pesel' })).toBeTruthy();
    expect(document.body.textContent).not.toContain(WATCHED);
    await pressAlt('w');
    const pesel = screen.getByLabelText('Numer PESEL');
    expect(document.activeElement).toBe(pesel);
    fireEvent.change(pesel, { target: { value: '1234' } });
    fireEvent.change(screen.getByLabelText('Dlaczego obserwujemy'), { target: { value: 'minister' } });
    fireEvent.click(screen.getByRole('button', { name: 'Dodaj do obserwowanych' }));
    await settle();
    expect(pesel.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('PESEL ma dokładnie 11 cyfr.', { selector: '.field-error' })).toBeTruthy();
    expect(posts(requests)).toEqual([]);
  });

  it('names the server’s checksum refusal at the PESEL, then adds a corrected one', async () => {
    const good = makePesel('1961-07-04', 'male', 31);
    const mistyped = `${good.slice(0, 10)}${(Number(good[10]) + 1) % 10}`;
    const { fetch, requests } = fakeApi(
      routes({
        'POST /api/admin/hotline/watch-list': (request: RecordedRequest) =>
          (request.body as { pesel: string }).pesel === mistyped
            ? {
                status: 400,
                body: { error: { code: 'INVALID_PESEL_CHECKSUM', message: 'Check digit.', field: 'pesel' } },
              }
            : { status: 201, body: { ...ENTRY, id: 'wl-2', pesel: good } },
      }),
    );
    ({ cleanup } = await renderSupervisorPage(<AlertsPage />, { url: '/agent/alerts', fetch }));
    const pesel = screen.getByLabelText('Numer PESEL');
    fireEvent.change(pesel, { target: { value: mistyped } });
    fireEvent.change(screen.getByLabelText('Dlaczego obserwujemy'), { target: { value: 'minister' } });
    fireEvent.click(screen.getByRole('button', { name: 'Dodaj do obserwowanych' }));
    await settle();
    expect(pesel.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('watch-pesel-error')?.textContent).toBe(
      'Ostatnia cyfra numeru PESEL nie zgadza się z pozostałymi — któraś jest pewnie błędnie wpisana.',
    );
    expect(document.activeElement).toBe(pesel);

    fireEvent.change(pesel, { target: { value: good } });
    fireEvent.click(screen.getByRole('button', { name: 'Dodaj do obserwowanych' }));
    await settle();
    expect(posts(requests).at(-1)).toEqual(['/api/admin/hotline/watch-list', { pesel: good, note: 'minister' }]);
    expect(pesel.getAttribute('aria-invalid')).toBeNull();
    expect((pesel as HTMLInputElement).value).toBe('');
    expect(screen.getAllByRole('status')[1]?.textContent).toBe(`Dodano *******${good.slice(-4)} do obserwowanych.`);
  });

  it('removes an entry only after the confirmation, and keeps it when told to', async () => {
    let removed = false;
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/admin/hotline/watch-list': () => ({ body: { entries: removed ? [] : [ENTRY] } }),
        'POST /api/admin/hotline/watch-list/remove': () => {
          removed = true;
          return { body: { removed: 'wl-1' } };
        },
      }),
    );
    ({ cleanup } = await renderSupervisorPage(<AlertsPage />, { url: '/agent/alerts', fetch }));
    await pressAlt('x');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Tak, usuń' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zostaw' }));
    await settle();
    expect(posts(requests)).toEqual([]);
    const remove = screen.getByRole('button', { name: /^Usuń z obserwowanych \*+/ });
    expect(document.activeElement).toBe(remove);

    fireEvent.click(remove);
    await settle();
    expect(screen.getByRole('group').textContent).toContain(`Usunąć *******${WATCHED.slice(-4)} z listy`);
    fireEvent.click(screen.getByRole('button', { name: 'Tak, usuń' }));
    await settle();
    expect(posts(requests)).toEqual([['/api/admin/hotline/watch-list/remove', { entryId: 'wl-1' }]]);
    expect(screen.getByText('Lista obserwowanych jest pusta.')).toBeTruthy();
    expect(document.activeElement?.id).toBe('watch-list-title');
  });

  it('says so when the entry was removed by someone else meanwhile', async () => {
    const { fetch } = fakeApi(routes({ 'POST /api/admin/hotline/watch-list/remove': apiError(404, 'NOT_WATCHED') }));
    ({ cleanup } = await renderSupervisorPage(<AlertsPage />, { url: '/agent/alerts', fetch }));
    await pressAlt('x');
    fireEvent.click(screen.getByRole('button', { name: 'Tak, usuń' }));
    await settle();
    expect(screen.getAllByRole('status')[1]?.textContent).toBe(
      'Tego numeru PESEL nie było już na liście obserwowanych.',
    );
  });
});
