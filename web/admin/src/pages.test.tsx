import { fireEvent, screen, within } from '@testing-library/react';
import { apiError } from '../../shared/src/fake-api.ts';
import { me, NOW, openAdmin, settle, signedIn, VACCINES } from './test-support.tsx';

/*
 * The administration's shell and its other pages on the stand-in API: signing in, the overview, groups,
 * centres, onboarding, a centre, vaccines and announcements.
 */

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

describe('signing in', () => {
  test('someone not signed in is sent to the ministry’s sign-in, coming back to the administration', async () => {
    const { left } = await openAdmin('/admin/centres', {});
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Logowanie do administracji');
    fireEvent.click(screen.getByRole('button', { name: 'Zaloguj się' }));
    expect(left).toEqual([
      '/dev-idp/login/reports?return=http%3A%2F%2Flocalhost%2Fadmin%2Flogin%2Fcallback&ui_locales=pl',
    ]);
    expect(window.sessionStorage.getItem('ereg.admin.return')).toBe('/admin/centres');
  });

  test('an analyst is signed out: the administration is not for them', async () => {
    signedIn('Joanna Analityczka');
    await openAdmin('/admin/', { 'GET /api/login/me': me({ role: 'analyst', analystId: 'analyst-1' }) });
    await settle();
    expect(screen.getByText(/nie należy do administratora ministerstwa/)).toBeTruthy();
  });
});

describe('the overview', () => {
  test('shows the changes awaiting approval, the policy in brief and the announcements shown now', async () => {
    signedIn();
    await openAdmin('/admin/', {
      'GET /api/admin/policy-changes': {
        body: {
          changes: [
            {
              id: 'c1',
              action: 'open',
              note: '',
              status: 'pending',
              proposedBy: 'admin-2',
              proposedAt: '2026-01-12T07:00:00.000Z',
            },
          ],
        },
      },
      'GET /api/admin/eligibility-policy': {
        body: {
          version: 3,
          at: NOW.toISOString(),
          rules: [{ id: 'r', kind: 'group', group: 'x', from: '2026-01-01', description: '', state: 'open' }],
        },
      },
      'GET /api/admin/announcements': {
        body: {
          announcements: [
            {
              id: 'a1',
              text: { pl: 'Przerwa techniczna', en: 'Maintenance', uk: 'Технічна перерва' },
              from: '2026-01-11T00:00:00.000Z',
              until: '2026-01-13T00:00:00.000Z',
              createdBy: 'admin-1',
              createdAt: '',
              updatedAt: '',
            },
            {
              id: 'a2',
              text: { pl: 'Stary', en: 'Old', uk: 'Старий' },
              from: '2025-01-01T00:00:00.000Z',
              until: '2025-01-02T00:00:00.000Z',
              createdBy: 'admin-1',
              createdAt: '',
              updatedAt: '',
            },
          ],
        },
      },
    });
    expect(
      screen.getByRole('link', { name: /Otwarcie zapisów, zaproponowana .* przez admin-2/ }).getAttribute('href'),
    ).toBe('/admin/policy/changes/c1');
    expect(screen.getByText(/Wersja 3: otwartych reguł 1, zaplanowanych 0, wstrzymanych 0/)).toBeTruthy();
    expect(screen.getByText(/Przerwa techniczna/)).toBeTruthy();
    expect(screen.queryByText(/Stary/)).toBeNull();
  });

  test('a failed load says so and offers to try again', async () => {
    signedIn();
    await openAdmin('/admin/', {
      'GET /api/admin/policy-changes': apiError(500, 'INTERNAL'),
      'GET /api/admin/eligibility-policy': { body: { version: 1, at: NOW.toISOString(), rules: [] } },
      'GET /api/admin/announcements': { body: { announcements: [] } },
    });
    expect(screen.getByRole('alert').textContent).toContain('Wystąpił błąd po naszej stronie');
    expect(screen.getByRole('button', { name: 'Spróbuj ponownie' })).toBeTruthy();
    expect(screen.getByText('Teraz nie jest wyświetlany żaden komunikat.')).toBeTruthy();
  });
});

describe('priority groups', () => {
  test('uploads the chosen file and lists the rejected rows first, with their field', async () => {
    signedIn();
    const { requests } = await openAdmin('/admin/groups', {
      'GET /api/admin/group-referrals': { body: { uploads: [] } },
      'POST /api/admin/group-referrals': {
        body: {
          upload: {
            id: 'u1',
            fileName: 'nauczyciele.csv',
            at: NOW.toISOString(),
            by: 'admin-1',
            rows: 3,
            accepted: 2,
            rejected: 1,
            groups: ['nauczyciele'],
          },
          report: [
            { line: 2, status: 'accepted' },
            { line: 3, status: 'accepted' },
            { line: 4, status: 'rejected', field: 'pesel', code: 'INVALID_PESEL', message: 'Błędna suma kontrolna' },
          ],
        },
      },
    });
    expect(screen.getByText('Nie wysłano jeszcze żadnego pliku.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Wyślij' }));
    expect(screen.getByText('Wybierz plik.')).toBeTruthy();
    const file = new File(['pesel,group\n'], 'nauczyciele.csv', { type: 'text/csv' });
    Object.defineProperty(file, 'text', { value: async () => 'pesel,group\n' });
    fireEvent.change(screen.getByLabelText('Plik CSV ze skierowaniami'), { target: { files: [file] } });
    fireEvent.click(screen.getByRole('button', { name: 'Wyślij' }));
    await settle();
    await settle();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      fileName: 'nauczyciele.csv',
      csv: 'pesel,group\n',
    });
    const report = screen.getByRole('table', { name: 'Raport wierszy' });
    const rows = within(report).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      '4odrzuconypeselBłędna suma kontrolna',
      '2przyjęty——',
      '3przyjęty——',
    ]);
  });
});

describe('centres', () => {
  test('searches by name or town, voivodeship and status, and links each centre', async () => {
    signedIn();
    const { requests } = await openAdmin('/admin/centres', {
      'GET /api/admin/centres': (request) => ({
        body: {
          centres: request.query.get('q')
            ? [
                {
                  id: 'c-1',
                  name: 'Punkt Kraków',
                  address: { street: 'Rynek 1', postalCode: '31-000', city: 'Kraków', voivodeship: 'malopolskie' },
                  status: 'suspended',
                },
              ]
            : [],
        },
      }),
    });
    expect(screen.getByText('Nie znaleźliśmy punktu.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Nazwa lub miejscowość'), { target: { value: 'krakow' } });
    fireEvent.change(screen.getByLabelText('Województwo'), { target: { value: 'malopolskie' } });
    fireEvent.click(screen.getByRole('button', { name: 'Szukaj' }));
    await settle();
    const asked = requests.at(-1);
    expect(asked?.query.get('q')).toBe('krakow');
    expect(asked?.query.get('voivodeship')).toBe('malopolskie');
    expect(screen.getByRole('link', { name: 'Punkt Kraków' }).getAttribute('href')).toBe('/admin/centres/c-1');
    expect(screen.getByRole('cell', { name: 'zawieszony' })).toBeTruthy();
  });

  test('onboarding checks the form, shows the point on the map and sends the centre', async () => {
    signedIn();
    const { requests } = await openAdmin('/admin/centres/new', {
      'POST /api/admin/centres': { status: 201, body: { centre: { id: 'c-9' } } },
      'GET /api/admin/centres/c-9': {
        body: {
          centre: {
            id: 'c-9',
            name: 'Nowy',
            address: { street: 's', postalCode: '00-001', city: 'Warszawa', voivodeship: 'mazowieckie' },
            phone: null,
          },
          staff: [],
        },
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Dodaj punkt' }));
    expect(screen.getByText('Popraw zaznaczone pola.')).toBeTruthy();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    const type = (label: string, value: string) =>
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    type('Nazwa punktu', 'Punkt Szczepień Mokotów');
    type('Ulica i numer', 'Puławska 100');
    type('Kod pocztowy', '02-620');
    type('Miejscowość', 'Warszawa');
    type('Województwo', 'mazowieckie');
    type('Kod gminy TERYT (7 cyfr)', '1465011');
    type('Szerokość geograficzna', '52.19');
    type('Długość geograficzna', '21.02');
    expect(screen.getByTestId('map-point')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: VACCINES[0]?.name }));
    type('Imię i nazwisko', 'Maria Kierownik');
    fireEvent.change(screen.getByLabelText('E-mail', { selector: '#onboard-managerEmail' }), {
      target: { value: 'maria@example.pl' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Dodaj punkt' }));
    await settle();
    const body = requests.find((r) => r.method === 'POST')?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      name: 'Punkt Szczepień Mokotów',
      address: {
        street: 'Puławska 100',
        postalCode: '02-620',
        city: 'Warszawa',
        voivodeship: 'mazowieckie',
        teryt: '1465011',
      },
      location: { lat: 52.19, lon: 21.02 },
      timeZone: 'Europe/Warsaw',
      vaccineIds: ['comirnaty'],
      staff: [{ name: 'Maria Kierownik', email: 'maria@example.pl', role: 'centre-manager' }],
    });
    expect((body.schedule as { weekly: { days: Record<string, unknown> } }).weekly.days.mon).toEqual([
      { from: '08:00', to: '16:00' },
    ]);
    expect(window.location.pathname).toBe('/admin/centres/c-9');
  });

  test('a centre is closed from a date typed as Polish writes it, with a reason, confirmed', async () => {
    signedIn();
    const centre = {
      id: 'c-1',
      name: 'Punkt Kraków',
      address: { street: 'Rynek 1', postalCode: '31-000', city: 'Kraków', voivodeship: 'malopolskie' },
      phone: null,
      status: 'active',
    };
    const { requests } = await openAdmin('/admin/centres/c-1', {
      'GET /api/admin/centres/c-1': {
        body: {
          centre,
          staff: [{ id: 's1', name: 'Jan Nowak', email: 'jan@example.pl', centreId: 'c-1', role: 'staff' }],
        },
      },
      'POST /api/admin/centres/c-1/close': { body: { centre: { ...centre, status: 'closed' }, cancelled: 12 } },
    });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Punkt Kraków');
    expect(screen.getByText(/Jan Nowak/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Zamknij' }));
    fireEvent.change(screen.getByLabelText('Powód'), { target: { value: 'Koniec najmu' } });
    fireEvent.change(screen.getByLabelText('Zamknięty od dnia'), { target: { value: '01.02.2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Tak, wykonaj' }));
    await settle();
    expect(requests.find((r) => r.path.endsWith('/close'))?.body).toEqual({
      reason: 'Koniec najmu',
      from: '2026-02-01',
    });
    expect(screen.getByText('Punkt zamknięty. Odwołanych wizyt: 12.')).toBeTruthy();
  });
});

describe('vaccines', () => {
  test('an edit shows its impact and is saved only once acknowledged, with the count', async () => {
    signedIn();
    const { requests } = await openAdmin('/admin/vaccines', {
      'GET /api/admin/vaccines': { body: { vaccines: VACCINES } },
      'POST /api/admin/vaccines/impact': {
        body: {
          affected: [
            {
              appointmentId: 'a1',
              bookingReference: 'ABCD2345',
              centreId: 'c',
              centreName: 'Punkt',
              start: '2026-01-20T08:00:00.000Z',
              dose: 2,
              problem: 'interval',
            },
          ],
          total: 1,
        },
      },
      'PUT /api/admin/vaccines/comirnaty': { body: { vaccine: VACCINES[0], affected: 1 } },
    });
    fireEvent.click(screen.getByRole('button', { name: `Zmień: ${VACCINES[0]?.name}` }));
    fireEvent.change(screen.getByLabelText('Najkrótszy odstęp (dni)'), { target: { value: '28' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sprawdź skutki' }));
    await settle();
    expect(screen.getByText(/ABCD2345/)).toBeTruthy();
    const save = screen.getByRole('button', { name: 'Zapisz' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Rozumiem, że zmiana dotyczy 1 zapisanych wizyt.' }));
    fireEvent.click(save);
    await settle();
    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.body).toMatchObject({ vaccine: { id: 'comirnaty', minIntervalDays: 28 }, acknowledgedAffected: 1 });
    expect(screen.getByText(`Zapisano: ${VACCINES[0]?.name}.`)).toBeTruthy();
  });
});

describe('announcements', () => {
  test('a new one needs its three texts, and is sent with its window on the country’s clock', async () => {
    signedIn();
    const { requests } = await openAdmin('/admin/announcements', {
      'GET /api/admin/announcements': { body: { announcements: [] } },
      'POST /api/admin/announcements': { status: 201, body: { announcement: {} } },
    });
    expect(screen.getByText('Nie ma jeszcze komunikatów.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Nowy komunikat' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz komunikat' }));
    expect(screen.getAllByText('To pole jest wymagane.')).toHaveLength(3);
    fireEvent.change(screen.getByLabelText('Treść po polsku'), { target: { value: 'Przerwa' } });
    fireEvent.change(screen.getByLabelText('Treść po angielsku'), { target: { value: 'Break' } });
    fireEvent.change(screen.getByLabelText('Treść po ukraińsku'), { target: { value: 'Перерва' } });
    fireEvent.change(screen.getByLabelText('Do dnia'), { target: { value: '14.01.2026' } });
    fireEvent.change(screen.getByLabelText('Do godziny'), { target: { value: '18:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz komunikat' }));
    await settle();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      text: { pl: 'Przerwa', en: 'Break', uk: 'Перерва' },
      from: '2026-01-12T08:00:00.000Z',
      until: '2026-01-14T17:00:00.000Z',
    });
  });
});
