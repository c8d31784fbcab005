import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryFolder } from './processes.ts';
import type { BenchmarkReport } from './report.ts';

export const usage = `Usage: npm run bench:compare -- --against REF [options]

Measures this checkout against another commit on the same machine, in the same run: the two take
turns (A B B A …), each run on a fresh copy of the data set, so that whatever else slows the machine
for a while slows both. Answers each scenario's median throughput and server CPU per answer, and
their ratio.

  --against REF        the commit, branch or tag to compare with (required)
  --runs N             runs of each side (default 3)
  --data-dir DIR       the data set, copied for every run (default: $DATA_DIR or .data/national); its
                       schema must be one both sides can open (generate it with the older side)
  --scenarios LIST     passed to npm run bench (default hello,login,booking)
  --duration S         seconds per scenario (default 10)
  --connections N      concurrent connections (default 50)
  --warmup S           seconds of unreported warm-up load (default 2)
  --out FILE           the JSON summary (default .data/compare.json)

Exits 1 when a run fails.`;

export interface Side {
  label: string;
  /** The root of the code measured. */
  root: string;
  revision: string;
}

export interface ScenarioSummary {
  scenario: string;
  /** ok answers per second of each run, per side. */
  okPerSecond: Record<string, number[]>;
  /** Server CPU (µs of one core) per ok answer of each run, per side. */
  cpuMicrosPerAnswer: Record<string, number[]>;
  /** Median of this checkout ÷ median of the other. */
  throughputRatio: number;
  cpuRatio: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

function git(repoRoot: string, ...args: string[]): string {
  const result = spawnSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/**
 * The other commit's files in `folder` (git archive: nothing is added to the repository), with a
 * node_modules that links every installed package but the workspaces, which are that commit's own.
 */
function checkOut(repoRoot: string, ref: string, folder: string): Side {
  const revision = git(repoRoot, 'rev-parse', '--verify', `${ref}^{commit}`);
  const archive = spawnSync('git', ['-C', repoRoot, 'archive', '--format=tar', revision], { maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr.toString().trim()}`);
  mkdirSync(folder, { recursive: true });
  const untar = spawnSync('tar', ['-x', '-C', folder], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`Unpacking ${ref} failed: ${untar.stderr.toString().trim()}`);
  const modules = join(repoRoot, 'node_modules');
  const linked = join(folder, 'node_modules');
  mkdirSync(linked);
  for (const entry of readdirSync(modules)) {
    if (entry === '@ereg') {
      mkdirSync(join(linked, entry));
      for (const workspace of readdirSync(join(modules, entry))) {
        symlinkSync(join(folder, workspace), join(linked, entry, workspace));
      }
    } else {
      symlinkSync(join(modules, entry), join(linked, entry));
    }
  }
  return { label: `${ref} (${revision.slice(0, 7)})`, root: folder, revision };
}

/** Copies the data set's database (committing its write-ahead log first) and flushes it to disk. */
function freshCopy(dataDir: string, into: string): void {
  mkdirSync(into, { recursive: true });
  for (const file of ['ereg.sqlite', 'ereg.sqlite-wal']) {
    if (existsSync(join(dataDir, file))) copyFileSync(join(dataDir, file), join(into, file));
  }
  // A just-written copy of gigabytes is still being written back by the kernel, which slows whatever
  // runs next; waiting for it keeps that out of the measurement.
  spawnSync('sync');
}

/** The benchmark running now: told to stop (it stops its server and load) when this one is interrupted. */
export const current: { bench: ChildProcess | null } = { bench: null };

function runBench(side: Side, dataDir: string, out: string, args: string[], log: (line: string) => void) {
  return new Promise<BenchmarkReport>((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', join(side.root, 'functions/bench/main.ts'), '--data-dir', dataDir, '--out', out, ...args],
      { cwd: side.root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    current.bench = child;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n'))
        if (line.startsWith('Scenario') || line.startsWith('  ')) log(`    ${line.trim()}`);
    });
    child.once('exit', (code) => {
      current.bench = null;
      if (code !== 0 || !existsSync(out)) {
        fail(new Error(`The benchmark of ${side.label} failed (exit ${code}):\n${output.slice(-3000)}`));
        return;
      }
      done(JSON.parse(readFileSync(out, 'utf8')) as BenchmarkReport);
    });
  });
}

export interface ComparisonOptions {
  repoRoot: string;
  /** The commit, branch or tag compared with. */
  against: string;
  runs: number;
  /** The data set, copied for every run. */
  dataDir: string;
  scenarios: readonly string[];
  durationSeconds: number;
  connections: number;
  warmupSeconds: number;
  log: (line: string) => void;
}

export interface Comparison {
  date: string;
  machine: BenchmarkReport['machine'] | null;
  dataDir: string;
  runs: number;
  /** A: the commit compared with. */
  other: Side;
  /** B: this checkout. */
  self: Side;
  summaries: ScenarioSummary[];
}

/** Runs `npm run bench` of this checkout and of another commit in turn, and summarises each scenario. */
export async function runComparison(options: ComparisonOptions): Promise<Comparison> {
  const { repoRoot, log } = options;
  const work = temporaryFolder('ereg-compare-');
  try {
    log(`Unpacking ${options.against} …`);
    const other = checkOut(repoRoot, options.against, join(work.path, 'other'));
    const head = git(repoRoot, 'rev-parse', 'HEAD');
    const self: Side = { label: `this checkout (${head.slice(0, 7)})`, root: repoRoot, revision: head };
    const args = [
      ['--scenarios', options.scenarios.join(',')],
      ['--duration', String(options.durationSeconds)],
      ['--connections', String(options.connections)],
      ['--warmup', String(options.warmupSeconds)],
    ].flat();
    const reports = new Map<Side, BenchmarkReport[]>([
      [self, []],
      [other, []],
    ]);
    for (let run = 0; run < options.runs; run++) {
      // A B, then B A: a slow spell in the middle of a pair weighs on both sides alike.
      const order = run % 2 === 0 ? [other, self] : [self, other];
      for (const side of order) {
        log(`Run ${run + 1} of ${options.runs}: ${side.label} — copying the data set …`);
        const copy = join(work.path, 'data');
        rmSync(copy, { recursive: true, force: true });
        freshCopy(options.dataDir, copy);
        const out = join(work.path, 'report.json');
        reports.get(side)?.push(await runBench(side, copy, out, args, log));
        rmSync(out, { force: true });
      }
    }
    const summaries = options.scenarios.map((scenario) => summarise(scenario, reports, self, other));
    return {
      date: new Date().toISOString(),
      machine: reports.get(self)?.[0]?.machine ?? null,
      dataDir: options.dataDir,
      runs: options.runs,
      other,
      self,
      summaries,
    };
  } finally {
    work.remove();
  }
}

function summarise(scenario: string, reports: Map<Side, BenchmarkReport[]>, self: Side, other: Side): ScenarioSummary {
  const summary: ScenarioSummary = {
    scenario,
    okPerSecond: {},
    cpuMicrosPerAnswer: {},
    throughputRatio: 0,
    cpuRatio: 0,
  };
  for (const [side, list] of reports) {
    const found = list.map((r) => r.scenarios.find((s) => s.name === scenario)).filter((s) => s !== undefined);
    summary.okPerSecond[side.label] = found.map((s) => s.okPerSecond);
    summary.cpuMicrosPerAnswer[side.label] = found.map((s) =>
      s.serverCpuPercent === null || s.okPerSecond === 0
        ? Number.NaN
        : Math.round((s.serverCpuPercent * 1e4) / s.okPerSecond),
    );
  }
  const ratio = (values: Record<string, number[]>) =>
    median(values[self.label] ?? []) / median(values[other.label] ?? []);
  summary.throughputRatio = ratio(summary.okPerSecond);
  summary.cpuRatio = ratio(summary.cpuMicrosPerAnswer);
  return summary;
}

/** The comparison as a table, then every run's figures. */
export function formatComparison(c: Comparison, durationSeconds: number): string {
  const a = c.other.label;
  const b = c.self.label;
  const lines = [
    `Comparison on ${c.dataDir}, ${c.runs} runs of each side, ${durationSeconds} s per scenario`,
    `A = ${a}; B = ${b}`,
    '',
    'scenario   median ok/s A   median ok/s B   B ÷ A   CPU µs/answer A   CPU µs/answer B   B ÷ A',
  ];
  const count = (n: number) => Math.round(n).toLocaleString('en');
  for (const s of c.summaries) {
    lines.push(
      [
        s.scenario.padEnd(9),
        count(median(s.okPerSecond[a] ?? [])).padStart(14),
        count(median(s.okPerSecond[b] ?? [])).padStart(15),
        s.throughputRatio.toFixed(2).padStart(7),
        count(median(s.cpuMicrosPerAnswer[a] ?? [])).padStart(17),
        count(median(s.cpuMicrosPerAnswer[b] ?? [])).padStart(17),
        s.cpuRatio.toFixed(2).padStart(7),
      ].join(' '),
    );
  }
  lines.push('', 'Each run, ok/s and CPU µs/answer (A | B):');
  for (const s of c.summaries) {
    lines.push(`  ${s.scenario}: ${(s.okPerSecond[a] ?? []).join(', ')} | ${(s.okPerSecond[b] ?? []).join(', ')}`);
    lines.push(
      `  ${' '.repeat(s.scenario.length)}  ${(s.cpuMicrosPerAnswer[a] ?? []).join(', ')} | ${(s.cpuMicrosPerAnswer[b] ?? []).join(', ')}`,
    );
  }
  return lines.join('\n');
}
