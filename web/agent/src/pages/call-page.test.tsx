import { fireEvent, screen, waitFor } from '@testing-library/react';
import { apiError, fakeApi, type RecordedRequest } from '../../../shared/src/fake-api.ts';
import { aCaller, openConsole, pressAlt, settle } from '../book-test-support.tsx';
import { birthDateOfPesel, lookupProblem } from './call-page.tsx';

/*
 * Finding the caller: nothing personal before a reason is chosen; then a look-up by PESEL, booking
 * reference or phone number, checked before it is asked; one person found opens their card, several
 * are listed; a PESEL nobody has leads to registering the caller; a spent budget is said in words.
 */

const JANINA = aCaller();
const JAN = aCaller({ patientId: 'pat-2', givenName: 'Jan', birthDate: '1948-01-02' });
const NO_CALL = { reason: null, people: [] };
const BOOKING = { reason: { code: 'caller-booking' as const }, people: [] };

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

const click = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));
const type = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
const storedCall = () => JSON.parse(window.sessionStorage.getItem('ereg.agent.call') ?? 'null');

test('the reason comes first: no look-up until one is chosen, and "other" needs the agent’s words', async () => {
  const api = fakeApi({});
  await openConsole('/agent/', api.fetch, NO_CALL);

  expect(screen.queryByLabelText('Szukany PESEL')).toBeNull();
  click('Dalej');
  expect(screen.getByText('Wybierz powód.')).toBeTruthy();

  fireEvent.click(screen.getByLabelText('Inny powód'));
  click('Dalej');
  expect(screen.getByText('Napisz powód (co najmniej 3 znaki).')).toBeTruthy();
  type('Powód własnymi słowami', 'pyta o córkę');
  click('Dalej');

  expect(storedCall().reason).toEqual({ code: 'other', note: 'pyta o córkę' });
  expect(screen.getByLabelText('Szukany PESEL')).toBeTruthy();
  expect(api.requests).toHaveLength(0);
});

test('a PESEL is checked before it is asked; one person found joins the call and their card opens', async () => {
  const api = fakeApi({ 'POST /api/booking/hotline/lookups': { body: { callers: [JANINA], more: false } } });
  await openConsole('/agent/', api.fetch, BOOKING);

  type('Szukany PESEL', '4603146486');
  click('Szukaj');
  expect(screen.getByText('PESEL ma 11 cyfr.')).toBeTruthy();
  expect(api.requests).toHaveLength(0);

  type('Szukany PESEL', '4603 1464 864');
  click('Szukaj');
  await settle();

  expect(api.requests[0]?.body).toEqual({ by: 'pesel', value: '46031464864', reason: 'caller-booking' });
  expect(window.location.pathname).toBe('/agent/caller/pat-1');
  expect(storedCall().people.map((p: { patientId: string }) => p.patientId)).toEqual(['pat-1']);
});

test('a shared phone lists the household: each added on its own or all at once, and “ask for the PESEL” when there are more', async () => {
  const api = fakeApi({ 'POST /api/booking/hotline/lookups': { body: { callers: [JANINA, JAN], more: true } } });
  await openConsole('/agent/', api.fetch, BOOKING);

  fireEvent.click(screen.getByRole('radio', { name: 'Numer telefonu' }));
  type('Szukany numer telefonu', '+48 600 700 800');
  click('Szukaj');
  await settle();

  expect(api.requests[0]?.body).toMatchObject({ by: 'phone', value: '+48 600 700 800' });
  expect(screen.getByRole('heading', { name: 'Znalezione osoby: 2' })).toBeTruthy();
  expect(screen.getByText(/Poproś dzwoniącego o PESEL/)).toBeTruthy();
  click('Dodaj do rozmowy: Jan');
  expect(storedCall().people.map((p: { patientId: string }) => p.patientId)).toEqual(['pat-2']);
  // The focus goes to what took the button's place: Jan's card, then the people of the call.
  await waitFor(() => expect(document.activeElement?.getAttribute('href')).toBe('/agent/caller/pat-2'));
  click('Dodaj wszystkich do rozmowy');
  expect(storedCall().people).toHaveLength(2);
  await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Osoby w rozmowie' })));
  expect(screen.getByRole('link', { name: /Zapisz te osoby razem/ }).getAttribute('href')).toBe('/agent/household');
});

test('a PESEL nobody has: the caller is registered after the checking questions with a landline, then their card opens', async () => {
  const registered = aCaller({
    patientId: 'pat-new',
    givenName: 'Zofia',
    familyName: 'Wrona',
    phone: null,
    landline: '+48 *** *** 000',
    registeredByPhone: true,
  });
  const api = fakeApi({
    'POST /api/booking/hotline/lookups': apiError(404, 'PATIENT_NOT_FOUND', { field: 'value' }),
    'POST /api/booking/hotline/callers': (r: RecordedRequest) =>
      (r.body as { landline?: string }).landline === '601 234 567'
        ? { status: 400, body: { error: { code: 'NOT_A_LANDLINE', message: 'mobile', field: 'landline' } } }
        : { status: 201, body: { caller: registered } },
  });
  await openConsole('/agent/', api.fetch, BOOKING);
  type('Szukany PESEL', '46031464864');
  click('Szukaj');
  await settle();

  expect(screen.getByText(/Nikt z tym numerem PESEL nie jest zarejestrowany/)).toBeTruthy();
  expect(screen.getByText(/data urodzenia 14 marca 1946/)).toBeTruthy();
  click('Zarejestruj');
  expect(screen.getByText('Wpisz imię.')).toBeTruthy();
  expect(screen.getByText('Wpisz numer telefonu.')).toBeTruthy();
  expect(screen.getByText('Najpierw zadaj pytania sprawdzające i zaznacz to pole.')).toBeTruthy();
  expect(document.activeElement).toBe(screen.getByLabelText('Imię'));

  type('Imię', 'Zofia');
  type('Nazwisko', 'Wrona');
  fireEvent.click(screen.getByRole('radio', { name: 'Telefon stacjonarny' }));
  expect(screen.getByText(/SMS-y na niego nie przyjdą/)).toBeTruthy();
  type('Numer stacjonarny', '601 234 567');
  fireEvent.click(screen.getByLabelText(/Zadałem\/zadałam pytania sprawdzające/));
  click('Zarejestruj');
  await settle();

  // The API says the number is a mobile: said at the number, which takes the focus.
  const number = screen.getByLabelText('Numer stacjonarny');
  expect(number.getAttribute('aria-invalid')).toBe('true');
  expect(screen.getByText(/To numer komórkowy: wybierz „Komórka”/)).toBeTruthy();
  expect(document.activeElement).toBe(number);
  expect(window.location.pathname).toBe('/agent/');

  type('Numer stacjonarny', '22 628 00 00');
  click('Zarejestruj');
  await settle();

  const asked = api.requests.filter((r) => r.path === '/api/booking/hotline/callers').at(-1);
  expect(asked?.body).toEqual({
    pesel: '46031464864',
    givenName: 'Zofia',
    familyName: 'Wrona',
    landline: '22 628 00 00',
    reason: 'caller-booking',
    checked: true,
  });
  expect(window.location.pathname).toBe('/agent/caller/pat-new');
  expect(storedCall().people[0]).toMatchObject({ patientId: 'pat-new', registeredByPhone: true, phone: null });
});

test('a caller registered with a mobile sends it as the phone', async () => {
  const api = fakeApi({
    'POST /api/booking/hotline/lookups': apiError(404, 'PATIENT_NOT_FOUND'),
    'POST /api/booking/hotline/callers': { status: 201, body: { caller: aCaller({ patientId: 'pat-m' }) } },
  });
  await openConsole('/agent/', api.fetch, BOOKING);
  type('Szukany PESEL', '46031464864');
  click('Szukaj');
  await settle();

  type('Imię', 'Jan');
  type('Nazwisko', 'Nowak');
  type('Numer komórki', '+380 67 123 4567');
  fireEvent.click(screen.getByLabelText(/Zadałem\/zadałam pytania sprawdzające/));
  click('Zarejestruj');
  await settle();

  const asked = api.requests.find((r) => r.path === '/api/booking/hotline/callers');
  expect(asked?.body).toMatchObject({ phone: '+380 67 123 4567' });
  expect(asked?.body).not.toHaveProperty('landline');
  expect(window.location.pathname).toBe('/agent/caller/pat-m');
});

test('the look-up budget spent is said in words, with the wait; Alt+F goes back to the field', async () => {
  const api = fakeApi({
    'POST /api/booking/hotline/lookups': {
      ...apiError(429, 'LOOKUP_BUDGET_EXCEEDED'),
      headers: { 'retry-after': '1200' },
    },
  });
  await openConsole('/agent/', api.fetch, BOOKING);
  type('Szukany PESEL', '46031464864');
  click('Szukaj');
  await settle();

  await waitFor(() =>
    expect(
      screen.getByText(
        /Wykorzystano limit wyszukań na tę godzinę; inspektor został powiadomiony\. Spróbuj za 20 minut/,
      ),
    ).toBeTruthy(),
  );
  pressAlt('f');
  expect(document.activeElement).toBe(screen.getByLabelText('Szukany PESEL'));
});

test('each kind of look-up names what is wrong with what was typed', () => {
  expect(lookupProblem('pesel', '')).toBe('call.find.required.pesel');
  expect(lookupProblem('pesel', '46031464864')).toBeNull();
  expect(lookupProblem('pesel', '4603146486a')).toBe('call.find.invalid.pesel');
  expect(lookupProblem('reference', '4832-8WPL')).toBeNull();
  expect(lookupProblem('reference', '48')).toBe('call.find.invalid.reference');
  expect(lookupProblem('phone', '+48 600 700 800')).toBeNull();
  expect(lookupProblem('phone', '+380 67 123 4567')).toBeNull();
  expect(lookupProblem('phone', '600 700')).toBe('call.number.invalid');
  expect(lookupProblem('phone', '48 600 700 800 900')).toBe('call.number.invalid');
});

test('a PESEL spells the birth date, its month carrying the century', () => {
  expect(birthDateOfPesel('46031464864')).toBe('1946-03-14');
  expect(birthDateOfPesel('02270803628')).toBe('2002-07-08');
  expect(birthDateOfPesel('46131464864')).toBeNull();
  expect(birthDateOfPesel('4603')).toBeNull();
});
