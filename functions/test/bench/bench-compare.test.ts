// The command-line entry point runs only as its own process; this line has tsc check it too.
/// <reference path="../../bench/compare-main.ts" />
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { formatComparison, runComparison } from '../../bench/compare.ts';
import { temporaryFolder } from '../../bench/processes.ts';
import { DATA_SET_SIZES, generateDataSet } from '../../src/demo/generate-data-set.ts';

jest.setTimeout(120_000);

const repoRoot = resolve(__dirname, '../../..');
const head = spawnSync('git', ['-C', repoRoot, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();

describe('npm run bench:compare', () => {
  const folder = temporaryFolder('ereg-compare-test-');
  beforeAll(() => {
    const tiny = DATA_SET_SIZES.tiny;
    if (!tiny) throw new Error('The generator has no tiny data set.');
    generateDataSet({ dataDir: folder.path, size: { ...tiny, days: 42 }, seed: 2021, now: new Date(), force: true });
  });
  afterAll(() => folder.remove());

  test('runs the other commit and this checkout in turn, on copies of the data set, and gives each side’s figures', async () => {
    const lines: string[] = [];
    const comparison = await runComparison({
      repoRoot,
      against: 'HEAD',
      runs: 1,
      dataDir: folder.path,
      scenarios: ['hello', 'login', 'booking'],
      durationSeconds: 1,
      connections: 2,
      warmupSeconds: 0,
      log: (line) => lines.push(line),
    });

    expect(comparison.other).toMatchObject({ revision: head, label: `HEAD (${head.slice(0, 7)})` });
    expect(comparison.other.root).not.toBe(repoRoot);
    expect(comparison.self).toMatchObject({ revision: head, root: repoRoot });
    expect(comparison.summaries.map((s) => s.scenario)).toEqual(['hello', 'login', 'booking']);
    for (const summary of comparison.summaries) {
      for (const side of [comparison.other.label, comparison.self.label]) {
        expect({ scenario: summary.scenario, side, runs: summary.okPerSecond[side]?.length }).toEqual({
          scenario: summary.scenario,
          side,
          runs: 1,
        });
        expect(summary.okPerSecond[side]?.[0]).toBeGreaterThan(0);
        expect(summary.cpuMicrosPerAnswer[side]?.[0]).toBeGreaterThan(0);
      }
      expect(summary.throughputRatio).toBeGreaterThan(0);
      expect(Number.isFinite(summary.cpuRatio)).toBe(true);
    }
    // One run of each side, each announced before its data set was copied.
    expect(lines.filter((line) => line.startsWith('Run 1 of 1:'))).toHaveLength(2);
    const table = formatComparison(comparison, 1);
    expect(table).toMatch(/^login +[\d,]+ +[\d,]+ +\d+\.\d\d/m);
    expect(table).toContain(`A = HEAD (${head.slice(0, 7)}); B = this checkout (${head.slice(0, 7)})`);
  });

  test('names a commit it cannot find', async () => {
    await expect(
      runComparison({
        repoRoot,
        against: 'no-such-ref-anywhere',
        runs: 1,
        dataDir: folder.path,
        scenarios: ['hello'],
        durationSeconds: 1,
        connections: 1,
        warmupSeconds: 0,
        log: () => {},
      }),
    ).rejects.toThrow(/no-such-ref-anywhere/);
  });
});
