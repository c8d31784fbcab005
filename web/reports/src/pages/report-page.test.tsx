import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError } from '../../../shared/src/fake-api.ts';
import { aReport, aVoivodeship, openDashboard, settle, signedIn } from '../test-support.tsx';

/*
 * The dashboard page and the public summary on a stand-in API: the figures, the filter in the address,
 * the cartogram, the chart and its words, each chart's table and CSV, the minute's refresh, and the
 * states on the way (loading, empty, failed).
 */

const SUMMARY = 'GET /api/reports/summary';
const PUBLIC = 'GET /api/reports/public';

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

/** The text of an element with its words' spaces made plain (Intl writes numbers with no-break spaces). */
const plain = (element: Element | null) => (element?.textContent ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe('the dashboard', () => {
  test('shows the headline figures of the last four weeks, asked with the analyst’s session, and when they are from', async () => {
    signedIn();
    const { requests } = await openDashboard('/reports/', { [SUMMARY]: { body: aReport() } });

    const asked = requests.find((r) => r.path === '/api/reports/summary');
    expect(asked?.query.toString()).toBe('from=2025-12-16&to=2026-01-12');
    expect(asked?.headers.authorization).toBe('Bearer token');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Szczepienia w Polsce');
    expect(screen.getByText(/^Dane z /).textContent).toBe('Dane z 12 stycznia 2026 08:59.');
    const tiles = screen.getByRole('heading', { name: 'Najważniejsze liczby' }).parentElement;
    const tile = (name: string) => plain(within(tiles as HTMLElement).getByText(name).parentElement);
    expect(tile('Dawki podane dziś')).toBe('Dawki podane dziś80');
    expect(tile('Dawki od początku szczepień')).toBe('Dawki od początku szczepień48 215');
    expect(tile('Osoby w pełni zaszczepione')).toBe('Osoby w pełni zaszczepione18 1150,5% mieszkańców');
    expect(tile('Nieobecności w tym tygodniu')).toMatch(/^Nieobecności w tym tygodniu8,3%/);
    expect(tile('Do pierwszego wolnego terminu')).toMatch(/^Do pierwszego wolnego terminu2,5 dnia/);
    expect(screen.getByText(/^Pokazujemy:/).textContent).toBe(
      'Pokazujemy: cała Polska, wszystkie grupy wieku, wszystkie szczepionki, od 16 grudnia 2025 do 12 stycznia 2026.',
    );
  });

  test('keeps the filter in the address: a shared link shows its view, and Show puts a new one there', async () => {
    signedIn();
    const { requests, services } = await openDashboard('/reports/?from=2026-01-05&to=2026-01-12&voivodeship=14', {
      [SUMMARY]: (request) => ({
        body: aReport({
          filter: {
            from: request.query.get('from') ?? '',
            to: request.query.get('to') ?? '',
            voivodeship: request.query.get('voivodeship'),
            ageBand: request.query.get('ageBand'),
            vaccineId: request.query.get('vaccineId'),
          },
        }),
      }),
    });
    expect((screen.getByLabelText('Województwo') as HTMLSelectElement).value).toBe('14');
    expect((screen.getByLabelText('Od dnia') as HTMLInputElement).value).toBe('2026-01-05');

    fireEvent.change(screen.getByLabelText('Grupa wieku'), { target: { value: '80+' } });
    fireEvent.change(screen.getByLabelText('Szczepionka'), { target: { value: 'comirnaty' } });
    fireEvent.change(screen.getByLabelText('Od dnia'), { target: { value: '2026-01-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pokaż' }));
    await settle();

    const wanted = 'from=2026-01-01&to=2026-01-12&voivodeship=14&ageBand=80%2B&vaccineId=comirnaty';
    expect(services.router.href()).toBe(`/reports/?${wanted}`);
    expect(requests.filter((r) => r.path === '/api/reports/summary').map((r) => r.query.toString())).toEqual([
      'from=2026-01-05&to=2026-01-12&voivodeship=14',
      wanted,
    ]);
    expect(screen.getByText(/^Pokazujemy:/).textContent).toBe(
      'Pokazujemy: mazowieckie, 80 lat i więcej, Comirnaty (Pfizer-BioNTech), od 1 stycznia 2026 do 12 stycznia 2026.',
    );
    // The chosen voivodeship is marked on the cartogram in words.
    const tile = screen.getByText('mazo\u00adwieckie').closest('li');
    expect(plain(tile)).toBe('mazo\u00adwieckie1,4 na 100(wybrane)');

    await act(async () => {
      window.history.back();
    });
    await waitFor(() => expect((screen.getByLabelText('Grupa wieku') as HTMLSelectElement).value).toBe(''));
  });

  test('says at the field what is wrong with the dates before asking, and what the API refused', async () => {
    signedIn();
    const { requests, services } = await openDashboard('/reports/', {
      [SUMMARY]: (request) =>
        request.query.get('from') === '2026-01-20'
          ? { status: 400, body: { error: { code: 'DATES_REVERSED', message: 'Reversed.', field: 'to' } } }
          : { body: aReport() },
    });
    const asked = () => requests.filter((r) => r.path === '/api/reports/summary').length;

    fireEvent.change(screen.getByLabelText('Od dnia'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pokaż' }));
    expect(screen.getByLabelText('Od dnia').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Podaj datę.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Od dnia'));

    fireEvent.change(screen.getByLabelText('Od dnia'), { target: { value: '2026-01-13' } });
    fireEvent.change(screen.getByLabelText('Do dnia'), { target: { value: '2026-01-10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pokaż' }));
    expect(screen.getByText('Ta data nie może być wcześniejsza niż data „od dnia”.')).toBeTruthy();
    expect(asked()).toBe(1);

    // A link typed by hand reaches the API, which names the field.
    act(() => services.router.navigate('/reports/?from=2026-01-20&to=2026-01-10'));
    await settle();
    expect(asked()).toBe(2);
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText('Sprawdź filtry')).toBeTruthy();
    expect(alert.textContent).toContain(
      'Do dnia: Okres musi się kończyć tego samego dnia, w którym się zaczyna, albo później.',
    );
    expect(screen.getByLabelText('Do dnia').getAttribute('aria-invalid')).toBe('true');
  });

  test('draws the voivodeships as a cartogram coloured by uptake, each tile naming its figure, with its key', async () => {
    signedIn();
    const report = aReport();
    report.voivodeships[1] = aVoivodeship('04', { fullyVaccinatedPer100: null, peopleFullyVaccinated: null });
    await openDashboard('/reports/', { [SUMMARY]: { body: report } });

    const map = screen.getByRole('list', { name: 'Osoby w pełni zaszczepione na 100 mieszkańców' });
    const tiles = within(map).getAllByRole('listitem');
    expect(tiles).toHaveLength(16);
    const zach = tiles.find((t) => t.textContent?.startsWith('zachodnio'));
    expect(plain(zach ?? null)).toBe('zachodnio\u00adpomorskie3,2 na 100');
    // The largest figure, 3.2, sets five classes of 1 per 100: 3.2 is in the fourth.
    expect(zach?.className).toContain('level-3');
    expect(zach?.className).toContain('row-1 column-1');
    const missing = tiles.find((t) => t.textContent?.startsWith('kujawsko'));
    expect(missing?.className).toContain('level-none');
    expect(plain(missing ?? null)).toBe('kujawsko-pomorskie—brak danych');
    const key = screen.getByRole('list', { name: 'Legenda' });
    expect(
      within(key)
        .getAllByRole('listitem')
        .map((li) => plain(li)),
    ).toEqual(['0,0 – 1,0', '1,0 – 2,0', '2,0 – 3,0', '3,0 – 4,0', '4,0 – 5,0', 'brak danych lub wstrzymane']);
  });

  test('draws the doses per day stacked by product and dose with the 7-day average, and says it in words', async () => {
    signedIn();
    const { charts } = await openDashboard('/reports/', { [SUMMARY]: { body: aReport() } });

    const chart = charts.at(-1);
    expect(chart?.days).toEqual([
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
      '2026-01-09',
      '2026-01-10',
      '2026-01-11',
      '2026-01-12',
    ]);
    expect(chart?.layers.map((l) => [l.label, l.values])).toEqual([
      ['Comirnaty (Pfizer-BioNTech), dawka 1', [120, 200, 0, 0, 0, 0, 0, 80]],
      ['Comirnaty (Pfizer-BioNTech), dawka 2', [0, 40, 0, 0, 15, 0, 0, 0]],
      ['Spikevax (Moderna), dawka 1', [30, 0, 0, 0, 0, 0, 0, 0]],
    ]);
    expect(chart?.line.values).toEqual([21.4, 21.4, 21.4, 21.4, 21.4, 21.4, 21.4, 47.9]);
    expect(chart?.dayLabel('2026-01-05')).toBe('5 sty');
    const figure = screen.getByRole('figure', { name: /Dawki dziennie według szczepionki/ });
    expect(plain(figure.querySelector('.chart-summary'))).toBe(
      'Od 5 stycznia 2026 do 12 stycznia 2026 podano razem: 485. Najwięcej dnia 6 stycznia 2026: 240. Średnia 7-dniowa ostatniego dnia: 47,9.',
    );
    expect(
      within(figure)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Comirnaty (Pfizer-BioNTech), dawka 1',
      'Comirnaty (Pfizer-BioNTech), dawka 2',
      'Spikevax (Moderna), dawka 1',
      'Średnia 7-dniowa',
    ]);
    expect(figure.querySelector('.chart')?.getAttribute('aria-hidden')).toBe('true');
  });

  test('shows each chart as a table on asking, and gives its figures as a CSV file made from the answer', async () => {
    signedIn();
    const { files } = await openDashboard('/reports/?from=2026-01-05&to=2026-01-12', {
      [SUMMARY]: { body: aReport() },
    });

    const show = screen.getByRole('button', { name: 'Pokaż tabelę: Dawki dziennie' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(show);
    expect(show.getAttribute('aria-expanded')).toBe('true');
    const table = screen.getByRole('table', { name: 'Dawki dziennie' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(9);
    expect(within(rows[2] as HTMLElement).getByRole('rowheader').textContent).toBe('6 stycznia 2026');
    expect(
      within(rows[2] as HTMLElement)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['200', '40', '0', '240', '21,4']);
    expect(show.textContent).toBe('Ukryj tabelę');
    expect(show.getAttribute('aria-label')).toBe('Ukryj tabelę: Dawki dziennie');

    fireEvent.click(screen.getByRole('button', { name: 'Pobierz CSV: Szczepienia według województw' }));
    fireEvent.click(screen.getByRole('button', { name: 'Pobierz CSV: Dawki dziennie' }));
    expect(files.map((f) => [f.fileName, f.type])).toEqual([
      ['szczepienia-wojewodztwa-2026-01-05-2026-01-12.csv', 'text/csv;charset=utf-8'],
      ['szczepienia-dawki-dziennie-2026-01-05-2026-01-12.csv', 'text/csv;charset=utf-8'],
    ]);
    expect(files[1]?.text.split('\r\n').slice(0, 2)).toEqual([
      '\ufeffDzień,"Comirnaty (Pfizer-BioNTech), dawka 1","Comirnaty (Pfizer-BioNTech), dawka 2","Spikevax (Moderna), dawka 1",Razem,Średnia 7-dniowa',
      '2026-01-05,120,0,30,150,21.4',
    ]);
    expect(files[0]?.text.split('\r\n')).toHaveLength(18);
  });

  test('asks again every minute while looked at, and when looked at again; a failed refresh keeps the figures', async () => {
    signedIn();
    const every = jest.spyOn(window, 'setInterval');
    let answer: { status?: number; body: unknown } = { body: aReport() };
    const { requests } = await openDashboard('/reports/', { [SUMMARY]: () => answer });
    const minute = every.mock.calls.find(([, ms]) => ms === 60_000)?.[0] as () => void;
    every.mockRestore();
    expect(minute).toBeDefined();

    answer = {
      body: aReport({ asOf: '2026-01-12T08:00:40.000Z', tiles: { ...aReport().tiles, dosesToday: 95 } }),
    };
    await act(async () => minute());
    await settle();
    expect(requests.filter((r) => r.path === '/api/reports/summary')).toHaveLength(2);
    expect(screen.getByText(/^Dane z /).textContent).toBe('Dane z 12 stycznia 2026 09:00.');
    expect(plain(screen.getByText('Dawki podane dziś').parentElement)).toBe('Dawki podane dziś95');

    answer = apiError(503, 'INTERNAL');
    await act(async () => {
      window.dispatchEvent(new Event('focus'));
    });
    await settle();
    expect(requests.filter((r) => r.path === '/api/reports/summary')).toHaveLength(3);
    expect(plain(screen.getByText('Dawki podane dziś').parentElement)).toBe('Dawki podane dziś95');
    expect(screen.getByText('Nie udało się odświeżyć danych. Pokazujemy dane z 12 stycznia 2026 09:00.')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Wystąpił błąd po naszej stronie');

    answer = { body: aReport() };
    fireEvent.click(screen.getByRole('button', { name: 'Odśwież teraz' }));
    await settle();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(requests.filter((r) => r.path === '/api/reports/summary')).toHaveLength(4);
  });

  test('says it is loading, then why it failed with a way to try again, and when a period had no dose', async () => {
    signedIn();
    let release: (value: { body: unknown }) => void = () => {};
    let answer: Promise<{ status?: number; body: unknown }> = new Promise((resolve) => {
      release = resolve;
    });
    const { charts } = await openDashboard('/reports/', { [SUMMARY]: () => answer });
    expect(screen.getByRole('status').textContent).toBe('Wczytujemy dane…');

    release(apiError(0, 'NETWORK') as never);
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('Nie możemy połączyć się z serwerem');

    const empty = aReport({
      dosesPerDay: [],
      dailyTotals: aReport().dailyTotals.map((d) => ({ ...d, doses: 0, average7: 0 })),
    });
    answer = Promise.resolve({ body: empty });
    fireEvent.click(screen.getByRole('button', { name: 'Spróbuj ponownie' }));
    await settle();
    expect(screen.getByText('W tych dniach nie podano żadnej dawki.')).toBeTruthy();
    expect(charts).toHaveLength(0);
    expect(screen.queryByRole('figure', { name: /Dawki dziennie według/ })).toBeNull();
  });

  test('speaks English when chosen, and Polish to someone who chose a language it does not speak', async () => {
    signedIn();
    window.localStorage.setItem('ereg.language', 'uk');
    await openDashboard('/reports/', { [SUMMARY]: { body: aReport() } });
    expect(document.documentElement.lang).toBe('pl');
    const languages = screen.getByRole('group', { name: 'Język · Language' });
    expect(
      within(languages)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Polski', 'English']);

    fireEvent.click(within(languages).getByRole('button', { name: 'English' }));
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem('ereg.language')).toBe('en');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Vaccinations in Poland');
    expect(screen.getByText(/^Figures as of/).textContent).toBe('Figures as of 12 January 2026 at 08:59.');
    expect(plain(screen.getByText('To the first free slot').parentElement)).toMatch(/2\.5 days/);
    expect(screen.getByRole('button', { name: 'Download CSV: Doses per day' })).toBeTruthy();
  });
});

describe('the public summary', () => {
  const withheld = () =>
    aReport({
      suppressedBelow: 10,
      tiles: { ...aReport().tiles, dosesToday: null, noShowRateThisWeek: null },
      voivodeships: aReport().voivodeships.map((v) =>
        v.voivodeship === '08'
          ? { ...v, peopleFullyVaccinated: null, fullyVaccinatedPer100: null, dosesInPeriod: null }
          : v,
      ),
      dailyTotals: aReport().dailyTotals.map((d) => (d.day === '2026-01-09' ? { ...d, doses: null } : d)),
      dosesPerDay: aReport().dosesPerDay.map((d) => (d.doses === 15 ? { ...d, doses: null } : d)),
    });

  test('needs no sign-in, asks for the suppressed figures without a session, and says counts under 10 are withheld', async () => {
    const { requests } = await openDashboard('/reports/public', { [PUBLIC]: { body: withheld() } });

    const asked = requests.find((r) => r.path === '/api/reports/public');
    expect(asked?.query.toString()).toBe('from=2025-12-16&to=2026-01-12');
    expect(asked?.headers.authorization).toBeUndefined();
    expect(requests.some((r) => r.path === '/api/login/me' || r.path === '/api/reports/summary')).toBe(false);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Szczepienia w Polsce – podsumowanie publiczne');
    expect(
      screen.getByText(
        'Liczby mniejsze niż 10 nie są podawane, żeby nie dało się rozpoznać pojedynczych osób. W ich miejscu jest „—”.',
      ),
    ).toBeTruthy();
  });

  test('shows "—" and why wherever a figure was withheld: the tiles, the cartogram, the table, the chart’s words', async () => {
    const { files, charts } = await openDashboard('/reports/public', { [PUBLIC]: { body: withheld() } });

    expect(plain(screen.getByText('Dawki podane dziś').parentElement)).toBe(
      'Dawki podane dziś— wstrzymane: mniej niż 10',
    );
    expect(plain(screen.getByText('Nieobecności w tym tygodniu').parentElement)).toMatch(
      /^Nieobecności w tym tygodniu— wstrzymane \(mniej niż 10\) albo brak danych/,
    );
    const lubuskie = within(screen.getByRole('list', { name: 'Osoby w pełni zaszczepione na 100 mieszkańców' }))
      .getByText('lubuskie')
      .closest('li');
    expect(plain(lubuskie)).toBe('lubuskie—wstrzymane (mniej niż 10) albo brak danych');

    fireEvent.click(screen.getByRole('button', { name: 'Pokaż tabelę: Szczepienia według województw' }));
    const row = within(screen.getByRole('table', { name: 'Szczepienia według województw' }))
      .getByRole('rowheader', { name: 'lubuskie' })
      .closest('tr');
    expect(
      within(row as HTMLElement)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual([
      '1 080 000'.replace(/ /g, '\u00a0'),
      '2800',
      '—wstrzymane: mniej niż 10',
      '0,3',
      '—wstrzymane (mniej niż 10) albo brak danych',
      '—wstrzymane: mniej niż 10',
    ]);
    expect(plain(document.querySelector('.chart-summary'))).toContain(
      'Dni z liczbą mniejszą niż 10 nie są wliczone ani narysowane.',
    );
    expect(charts.at(-1)?.layers[1]?.values).toEqual([0, 40, 0, 0, null, 0, 0, 0]);

    fireEvent.click(screen.getByRole('button', { name: 'Pobierz CSV: Szczepienia według województw' }));
    expect(files[0]?.text.split('\r\n')[4]).toBe('lubuskie,08,1080000,2800,,0.3,,');
  });

  test('is open to someone signed in too, without asking who they are', async () => {
    signedIn();
    const { requests } = await openDashboard('/reports/public', { [PUBLIC]: { body: withheld() } });
    expect(requests.find((r) => r.path === '/api/reports/public')?.headers.authorization).toBeUndefined();
    expect(screen.getByText('Zalogowano: Joanna Kamińska')).toBeTruthy();
  });
});
