import { aBirthYearRule, aSchedule } from '../support/builders.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * Public holidays through the HTTP API of the embedded default: centres publish no slots on them, except a
 * centre that opened on one with extra hours, and search shows exactly that.
 */

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;

beforeEach(async () => {
  // Wednesday 23 December 2026, 08:00 in Warsaw.
  system = await createTestSystem({ now: '2026-12-23T07:00:00.000Z' });
  await system.addRule(aBirthYearRule(1970));
  http = await serve(system);
});

afterEach(async () => {
  await http.close();
  await system.close();
});

async function search(query: string) {
  const reply = await fetch(`${http.url}/api/search?${query}`);
  expect(reply.status).toBe(200);
  return (await reply.json()) as { results: Array<{ centre: { id: string }; slots: Array<{ localStart: string }> }> };
}

test('on Christmas Eve only a centre that opened on it offers slots, at the hours it opened', async () => {
  await system.addCentre();
  const opened = await system.addCentre({
    schedule: { ...aSchedule(), extraHours: [{ date: '2026-12-24', from: '10:00', to: '12:00' }] },
  });

  const found = await search('postalCode=00-950&from=2026-12-24&to=2026-12-24&slotsPerCentre=10');

  expect(found.results.map((offer) => offer.centre.id)).toEqual([opened.id]);
  const starts = found.results[0]?.slots.map((slot) => slot.localStart) ?? [];
  expect(starts[0]).toBe('2026-12-24T10:00');
  expect(starts.every((start) => start >= '2026-12-24T10:00' && start < '2026-12-24T12:00')).toBe(true);
});

test('over Christmas a usual centre offers its first slots on Monday 28 December', async () => {
  await system.addCentre();

  const found = await search('postalCode=00-950&from=2026-12-24&to=2026-12-31');

  expect(found.results[0]?.slots[0]?.localStart).toBe('2026-12-28T08:00');
});
