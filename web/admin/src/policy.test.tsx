import { fireEvent, screen, within } from '@testing-library/react';
import { apiError } from '../../shared/src/fake-api.ts';
import { aChange, afterDebounce, aPreview, me, openAdmin, settle, signedIn } from './test-support.tsx';

/*
 * The eligibility policy's pages: the rules in force and pausing one, drafting a change with its live
 * impact, and a change's page with the two-person rule.
 */

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
  signedIn();
});

const POLICY = {
  version: 7,
  at: '2026-01-12T08:00:00.000Z',
  rules: [
    { id: 'r1', kind: 'birthYear', bornInOrBefore: 1940, from: '2026-01-05', description: '', state: 'open' },
    {
      id: 'r2',
      kind: 'group',
      group: 'nauczyciele',
      from: '2026-01-25',
      opensAt: '2026-01-25T07:00:00.000Z',
      region: 'mazowieckie',
      description: '',
      state: 'planned',
    },
    {
      id: 'r3',
      kind: 'ageOnDate',
      minAge: 80,
      onDate: '2026-01-01',
      from: '2026-01-02',
      description: '',
      state: 'paused',
      pausedAt: '2026-01-10T10:00:00.000Z',
    },
  ],
};

describe('the policy in force', () => {
  test('lists the rules with their state, and asks again for another instant typed as Polish writes it', async () => {
    const { requests } = await openAdmin('/admin/policy', {
      'GET /api/admin/eligibility-policy': { body: POLICY },
      'GET /api/admin/policy-changes': { body: { changes: [] } },
    });
    const table = screen.getByRole('table', { name: 'Zasady zapisów' });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('Kto'),
      expect.stringContaining('Urodzeni w 1940 r. lub wcześniej'),
      expect.stringMatching(/Grupa: nauczyciele.*mazowieckie.*zaplanowana/),
      expect.stringMatching(/Mający co najmniej 80 lat.*wstrzymana/),
    ]);
    expect(within(rows[3] as HTMLElement).queryByRole('button')).toBeNull();

    fireEvent.change(screen.getByLabelText('Pokaż zasady w mocy w dniu'), { target: { value: '31.12.2025' } });
    fireEvent.change(screen.getByLabelText('o godzinie'), { target: { value: '20:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pokaż' }));
    await settle();
    const asked = requests.filter((r) => r.path === '/api/admin/eligibility-policy').at(-1);
    expect(asked?.query.get('at')).toBe('2025-12-31T19:00:00.000Z');
  });

  test('a date that is no date is refused at its field', async () => {
    await openAdmin('/admin/policy', {
      'GET /api/admin/eligibility-policy': { body: POLICY },
      'GET /api/admin/policy-changes': { body: { changes: [] } },
    });
    fireEvent.change(screen.getByLabelText('Pokaż zasady w mocy w dniu'), { target: { value: '31.02.2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pokaż' }));
    expect(screen.getByText('Wpisz datę jako DD.MM.RRRR.')).toBeTruthy();
  });

  test('pausing asks for a reason and a confirmation, then sends it', async () => {
    const { requests } = await openAdmin('/admin/policy', {
      'GET /api/admin/eligibility-policy': { body: POLICY },
      'GET /api/admin/policy-changes': { body: { changes: [] } },
      'POST /api/admin/eligibility-rules/r1/pause': { body: { rule: POLICY.rules[0], version: 8 } },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Wstrzymaj: Urodzeni w 1940 r. lub wcześniej' }));
    fireEvent.click(screen.getByRole('button', { name: 'Tak, wykonaj' }));
    expect(screen.getByText('To pole jest wymagane.')).toBeTruthy();
    expect(requests.some((r) => r.path.endsWith('/pause'))).toBe(false);
    fireEvent.change(screen.getByLabelText('Powód wstrzymania'), { target: { value: 'Brak szczepionek' } });
    fireEvent.click(screen.getByRole('button', { name: 'Tak, wykonaj' }));
    await settle();
    expect(requests.find((r) => r.path.endsWith('/pause'))?.body).toEqual({ reason: 'Brak szczepionek' });
    expect(screen.getByText('Reguła wstrzymana. Zasady mają teraz wersję 8.')).toBeTruthy();
  });
});

describe('drafting a change', () => {
  test('the plan expands into one birth year per day, and the preview shows the places by voivodeship with totals', async () => {
    const { requests } = await openAdmin('/admin/policy/new', {
      'POST /api/admin/policy-preview': { body: aPreview() },
      'POST /api/admin/policy-changes': { status: 201, body: { change: aChange({ id: 'change-7' }) } },
      'GET /api/admin/policy-changes': { body: { changes: [aChange({ id: 'change-7' })] } },
    });
    expect(screen.getByText('Uzupełnij regułę, a pokażemy jej skutki.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Urodzeni w roku lub wcześniej'), { target: { value: '1950' } });
    fireEvent.change(screen.getByLabelText('Województwo'), { target: { value: 'malopolskie' } });
    fireEvent.change(screen.getByLabelText('Data otwarcia'), { target: { value: '20.01.2026' } });
    fireEvent.change(screen.getByLabelText('Godzina otwarcia'), { target: { value: '20:00' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Plan: jeden rocznik dziennie' }));
    fireEvent.change(screen.getByLabelText('Aż do rocznika'), { target: { value: '1948' } });

    const items = within(screen.getByRole('region', { name: 'Reguły tej zmiany' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/Urodzeni w 1950.*20 stycznia 2026.*20:00.*małopolskie/),
      expect.stringMatching(/Urodzeni w 1949.*21 stycznia 2026/),
      expect.stringMatching(/Urodzeni w 1948.*22 stycznia 2026/),
    ]);

    await afterDebounce();
    const previews = requests.filter((r) => r.path === '/api/admin/policy-preview');
    expect(previews).toHaveLength(1);
    expect(previews[0]?.body).toEqual({
      rules: [
        { kind: 'birthYear', bornInOrBefore: 1950, opensAt: '2026-01-20T19:00:00.000Z', region: 'malopolskie' },
        { kind: 'birthYear', bornInOrBefore: 1949, opensAt: '2026-01-21T19:00:00.000Z', region: 'malopolskie' },
        { kind: 'birthYear', bornInOrBefore: 1948, opensAt: '2026-01-22T19:00:00.000Z', region: 'malopolskie' },
      ],
    });
    const table = screen.getByRole('table', { name: 'Wolne miejsca i czas do pierwszego wolnego' });
    expect(
      within(table)
        .getAllByRole('row')
        .map((r) => [...r.children].map((c) => c.textContent)),
    ).toEqual([
      ['Województwo', 'Wolne w 7 dni', 'Wolne w 14 dni', 'Wolne w 28 dni', 'Dni do pierwszego wolnego'],
      ['małopolskie', '30', '80', '200', '2'],
      ['mazowieckie', '0', '15', '90', '—'],
      ['Razem', '30', '95', '290', '2'],
    ]);
    expect(screen.getByText('1234')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Uwaga dla drugiego administratora'), {
      target: { value: 'Trzy roczniki' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Zaproponuj' }));
    await settle();
    const proposed = requests.find((r) => r.method === 'POST' && r.path === '/api/admin/policy-changes');
    expect(proposed?.body).toEqual({
      action: 'open',
      rules: previews[0]?.body && (previews[0].body as { rules: unknown }).rules,
      note: 'Trzy roczniki',
    });
    expect(window.location.pathname).toBe('/admin/policy/changes/change-7');
  });

  test('the API’s refusal names the field', async () => {
    await openAdmin('/admin/policy/new', {
      'POST /api/admin/policy-preview': { body: aPreview() },
      'POST /api/admin/policy-changes': {
        status: 400,
        body: { error: { code: 'INVALID_INPUT', message: 'bad', field: 'rules.0.opensAt' } },
      },
    });
    fireEvent.change(screen.getByLabelText('Urodzeni w roku lub wcześniej'), { target: { value: '1950' } });
    fireEvent.change(screen.getByLabelText('Data otwarcia'), { target: { value: '20.01.2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zaproponuj' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('Otwarcie: Ta wartość nie jest przyjmowana.');
  });
});

describe('a change’s page', () => {
  test('the proposer sees approve disabled with the reason, and may withdraw', async () => {
    const { requests } = await openAdmin('/admin/policy/changes/change-1', {
      'GET /api/admin/policy-changes': { body: { changes: [aChange()] } },
      'POST /api/admin/policy-preview': { body: aPreview() },
      'POST /api/admin/policy-changes/change-1/withdraw': { body: { change: aChange({ status: 'withdrawn' }) } },
    });
    const approve = screen.getByRole('button', { name: 'Zatwierdź' }) as HTMLButtonElement;
    expect(approve.disabled).toBe(true);
    expect(approve.getAttribute('aria-describedby')).toBe('own-change');
    expect(document.getElementById('own-change')?.textContent).toBe(
      'Zatwierdzić musi drugi administrator: nie można zatwierdzić własnej zmiany.',
    );
    await afterDebounce();
    expect(requests.find((r) => r.path === '/api/admin/policy-preview')?.body).toEqual({
      rules: [{ kind: 'birthYear', bornInOrBefore: 1950, opensAt: '2026-01-20T07:00:00.000Z' }],
    });
    fireEvent.click(screen.getByRole('button', { name: 'Wycofaj' }));
    fireEvent.click(screen.getByRole('button', { name: 'Tak, wykonaj' }));
    await settle();
    expect(requests.some((r) => r.path.endsWith('/withdraw'))).toBe(true);
    expect(screen.getByText('Zmiana wycofana.')).toBeTruthy();
  });

  test('a second administrator approves, and sees the version', async () => {
    const { requests } = await openAdmin('/admin/policy/changes/change-1', {
      'GET /api/login/me': me({ role: 'admin', adminId: 'admin-2' }),
      'GET /api/admin/policy-changes': { body: { changes: [aChange()] } },
      'POST /api/admin/policy-preview': { body: aPreview() },
      'POST /api/admin/policy-changes/change-1/approve': {
        body: { change: aChange({ status: 'approved' }), version: 9 },
      },
    });
    await settle();
    const approve = screen.getByRole('button', { name: 'Zatwierdź' }) as HTMLButtonElement;
    expect(approve.disabled).toBe(false);
    expect(screen.queryByRole('button', { name: 'Wycofaj' })).toBeNull();
    fireEvent.click(approve);
    fireEvent.click(screen.getByRole('button', { name: 'Tak, wykonaj' }));
    await settle();
    expect(requests.some((r) => r.path.endsWith('/approve'))).toBe(true);
    expect(screen.getByText('Zmiana zatwierdzona. Zasady mają teraz wersję 9.')).toBeTruthy();
  });

  test('a refusal of the same administrator is said in words', async () => {
    await openAdmin('/admin/policy/changes/change-1', {
      'GET /api/login/me': me({ role: 'admin', adminId: 'admin-2' }),
      'GET /api/admin/policy-changes': { body: { changes: [aChange()] } },
      'POST /api/admin/policy-preview': { body: aPreview() },
      'POST /api/admin/policy-changes/change-1/approve': apiError(403, 'SAME_ADMIN'),
    });
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Zatwierdź' }));
    fireEvent.click(screen.getByRole('button', { name: 'Tak, wykonaj' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('Zmianę musi zatwierdzić inny administrator');
  });
});
