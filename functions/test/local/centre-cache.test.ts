import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeSchedule } from '@ereg/shared';
import { aBirthYearRule, aSchedule } from '../support/builders.ts';
import { createTestSystem, type TestSystem } from '../support/test-system.ts';

/*
 * Two processes' worth of the embedded default on one database file, each with its own centre cache.
 * The clock stands still, so a cache's time-to-live never runs out here: only the event stream,
 * delivered by each process's own dispatcher, can tell the other process about a change.
 */

const dir = mkdtempSync(join(tmpdir(), 'ereg-centres-'));
const dbPath = join(dir, 'ereg.sqlite');
let first: TestSystem;
let second: TestSystem;

beforeEach(async () => {
  rmSync(dbPath, { force: true });
  first = await createTestSystem({ dbPath });
  second = await createTestSystem({ dbPath });
  await first.addRule(aBirthYearRule(1970));
});

afterEach(async () => {
  await second.stop();
  await first.stop();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ids of the centres a search near Warsaw's centre finds, in id order. */
async function centresFoundBy(system: TestSystem): Promise<string[]> {
  const reply = await system.functions.search({
    method: 'GET',
    path: '/',
    query: { postalCode: '00-950' },
    headers: {},
    body: undefined,
  });
  expect(reply.status).toBe(200);
  return (reply.body as { results: Array<{ centre: { id: string } }> }).results.map((r) => r.centre.id).sort();
}

test('a centre onboarded through one process is found by the other’s search once its dispatcher delivers', async () => {
  const known = await first.addCentre({ id: 'c-known' });
  await second.dispatcher.drain();
  expect(await centresFoundBy(second)).toEqual([known.id]);

  const added = await first.addCentre({ id: 'c-added', location: { lat: 52.23, lon: 21.0122 } });

  expect(await centresFoundBy(second)).toEqual([known.id]);
  await second.dispatcher.drain();
  expect(await centresFoundBy(second)).toEqual([added.id, known.id]);
});

test('a schedule changed through one process is what the other’s directory holds once its dispatcher delivers', async () => {
  const centre = await first.addCentre({ id: 'c-changing' });
  await second.dispatcher.drain();
  expect((await second.centres.get(centre.id))?.schedule.weekly.slotMinutes).toBe(15);

  await changeSchedule(
    first.deps,
    { role: 'centre-manager', staffId: 's-1', centreId: centre.id },
    centre.id,
    aSchedule({ slotMinutes: 20 }),
  );

  expect((await second.centres.get(centre.id))?.schedule.weekly.slotMinutes).toBe(15);
  await second.dispatcher.drain();
  expect((await second.centres.get(centre.id))?.schedule.weekly.slotMinutes).toBe(20);
});
