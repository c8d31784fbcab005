import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSystem } from '../../src/runtime/local/local-system.ts';
import { FakeClock } from '../support/builders.ts';

const demo = { seed: 7, centres: 16, citizens: 50 };

// Two start-ups with demo data: seconds on a quiet machine, more when the machine is busy.
jest.setTimeout(30_000);

describe('the embedded default across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ereg-restart-'));
  const dbPath = join(dir, 'ereg.sqlite');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('loads the demo data once and keeps everything, including sessions, after a restart', async () => {
    const clock = new FakeClock('2026-01-12T07:00:00.000Z');
    const firstLines: string[] = [];
    const first = await LocalSystem.start({
      dbPath,
      clock,
      demo,
      log: (line) => firstLines.push(JSON.parse(line).message),
    });
    expect(firstLines.some((line) => line.startsWith('Loading demo data'))).toBe(true);
    const centres = await first.store.listCentres();
    const voivodeships = new Set(centres.map((c) => c.address.voivodeship));
    expect(voivodeships.size).toBe(16);
    const slotCount = (first.db.prepare('SELECT count(*) AS n FROM slots').get() as { n: number }).n;
    expect(slotCount).toBeGreaterThan(1000);
    const session = await first.identity.issueSession({ role: 'agent', agentId: 'agent-1' });
    await first.stop();

    const lines: string[] = [];
    const second = await LocalSystem.start({
      dbPath,
      clock,
      demo,
      log: (line) => lines.push(JSON.parse(line).message),
    });
    expect((await second.store.listCentres()).map((c) => c.id)).toEqual(centres.map((c) => c.id));
    expect((second.db.prepare('SELECT count(*) AS n FROM slots').get() as { n: number }).n).toBe(slotCount);
    expect(lines.some((line) => line.startsWith('Loading demo data'))).toBe(false);
    await expect(second.identity.verifySession(session.token)).resolves.toMatchObject({
      role: 'agent',
      agentId: 'agent-1',
    });
    await second.stop();
  });

  test('a day later, only the new day’s slots are published', async () => {
    const clock = new FakeClock('2026-01-13T07:00:00.000Z');
    const lines: string[] = [];
    const system = await LocalSystem.start({ dbPath, clock, demo, log: (line) => lines.push(line) });
    const through = await system.store.getPublishedThrough('c-0001');
    expect(through).toBe('2026-03-24');
    await system.stop();
  });
});
