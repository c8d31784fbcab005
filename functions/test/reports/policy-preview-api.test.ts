import { grantGroup, localToday, type PolicyPreview, takeAvailabilitySnapshot } from '@ereg/shared';
import { aBirthYearRule, aCentre } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/**
 * The preview of an eligibility change through the admin function, end to end: people registered and
 * referred to a group through the use cases, their events delivered, the warehouse refreshed, and the
 * preview's figures compared with counts made directly from the system's own records.
 */

let system: TestSystem;
let close: () => Promise<void>;
let call: Call;
let admin: string;
const BORN = [1950, 1950, 1955, 1958, 1962, 1966, 1971, 1985, 1990, 1999];
const warsaw = aCentre({ id: 'ctr-waw' });

beforeAll(async () => {
  system = await createTestSystem();
  const served = await serve(system);
  close = served.close;
  call = client(served.url);
  await system.addRule(aBirthYearRule(1955));
  await system.addCentre(warsaw);
  const pesels: string[] = [];
  for (const born of BORN) pesels.push((await system.newPatient({ born })).pesel);
  const principal = { role: 'admin', adminId: 'admin-1' } as const;
  for (const pesel of [pesels[7], pesels[8]] as string[]) {
    await grantGroup(system.deps, principal, { pesel, group: 'medical', reason: 'hospital staff list' });
  }
  await system.dispatcher.drain();
  await system.reports.refresh();
  admin = await system.tokenFor(principal);
}, 60_000);

afterAll(async () => {
  await close?.();
  await system?.close();
});

async function preview(rules: unknown[]): Promise<{ status: number; body: PolicyPreview }> {
  const reply = await call('POST', '/api/admin/policy-preview', { token: admin, body: { rules } });
  return { status: reply.status, body: reply.body as PolicyPreview };
}

const opensAt = () => new Date(system.clock.now().getTime() + 7 * 86_400_000).toISOString();

describe('previewing an eligibility change', () => {
  test('counts the registered people a birth year admits, and those the rule in force did not', async () => {
    const { status, body } = await preview([{ kind: 'birthYear', bornInOrBefore: 1966, opensAt: opensAt() }]);

    expect(status).toBe(200);
    expect(body.registered).toEqual({
      matching: BORN.filter((y) => y <= 1966).length,
      newlyEligible: BORN.filter((y) => y <= 1966 && y > 1955).length,
    });
    expect(body.asOf.registrations).not.toBeNull();
  });

  test('a group counts its referred members', async () => {
    const { body } = await preview([{ kind: 'group', group: 'medical', opensAt: opensAt() }]);

    expect(body.registered).toEqual({ matching: 2, newlyEligible: 2 });
    expect(body.population.estimate).toBeNull();
  });

  test('the free places are the snapshot’s, counted from the slots', async () => {
    const snapshot = await takeAvailabilitySnapshot(system.deps);
    const { body } = await preview([{ kind: 'birthYear', bornInOrBefore: 1966, opensAt: opensAt() }]);

    expect(body.asOf.places).toBe(localToday(system.clock.now(), 'Europe/Warsaw'));
    expect(body.totals.free28).toBe(snapshot.reduce((n, s) => n + s.free, 0));
    expect(body.totals.free7).toBe(snapshot.reduce((n, s) => n + s.free7, 0));
    expect(body.places.find((p) => p.voivodeship === '14')?.free14).toBe(snapshot.reduce((n, s) => n + s.free14, 0));
  });

  test('a draft without its opening is refused, naming the field', async () => {
    const reply = await call('POST', '/api/admin/policy-preview', {
      token: admin,
      body: { rules: [{ kind: 'birthYear', bornInOrBefore: 1966 }] },
    });

    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain('opensAt');
  });
});
