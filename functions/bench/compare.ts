import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { temporaryFolder } from './processes.ts';
import type { BenchmarkReport } from './report.ts';

const usage = `Usage: npm run bench:compare -- --against REF [options]

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
  --out FILE           the JSON summary (default .data/compare.json)

Exits 1 when a run fails.`;

const repoRoot = resolve(import.meta.dirname, '../..');

interface Side {
  label: string;
  /** The root of the code measured. */
  root: string;
  revision: string;
}

interface ScenarioSummary {
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
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

function git(...args: string[]): string {
  const result = spawnSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/**
 * The other commit's files in `folder` (git archive: nothing is added to the repository), with a
 * node_modules that links every installed package but the workspaces, which are that commit's own.
 */
function checkOut(ref: string, folder: string): Side {
  const revision = git('rev-parse', '--verify', `${ref}^{commit}`);
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
let running: ChildProcess | null = null;

function runBench(side: Side, dataDir: string, out: string, args: string[], log: (line: string) => void) {
  return new Promise<BenchmarkReport>((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', join(side.root, 'functions/bench/main.ts'), '--data-dir', dataDir, '--out', out, ...args],
      { cwd: side.root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running = child;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (line.startsWith('Scenario') || line.startsWith('  ')) log(`    ${line.trim()}`);
    });
    child.once('exit', (code) => {
      running = null;
      if (code !== 0 || !existsSync(out)) {
        fail(new Error(`The benchmark of ${side.label} failed (exit ${code}):\n${output.slice(-3000)}`));
        return;
      }
      done(JSON.parse(readFileSync(out, 'utf8')) as BenchmarkReport);
    });
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      against: { type: 'string' },
      runs: { type: 'string', default: '3' },
      'data-dir': { type: 'string' },
      scenarios: { type: 'string', default: 'hello,login,booking' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      out: { type: 'string', default: '.data/compare.json' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.against) throw new Error(`--against is required.\n\n${usage}`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1.\n\n${usage}`);
  const dataDir = resolve(repoRoot, values['data-dir'] ?? process.env.DATA_DIR ?? '.data/national');
  if (!existsSync(join(dataDir, 'ereg.sqlite'))) {
    console.error(`No data set at ${dataDir}: generate one first (npm run generate -- --size national).`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const work = temporaryFolder('ereg-compare-');
  log(`Unpacking ${values.against} …`);
  const other = checkOut(values.against, join(work.path, 'other'));
  const self: Side = { label: `this checkout (${git('rev-parse', '--short', 'HEAD')})`, root: repoRoot, revision: git('rev-parse', 'HEAD') };
  const args = ['--scenarios', values.scenarios, '--duration', values.duration, '--connections', values.connections];

  const reports = new Map<Side, BenchmarkReport[]>([
    [self, []],
    [other, []],
  ]);
  for (let run = 0; run < runs; run++) {
    // A B, then B A: a slow spell in the middle of a pair weighs on both sides alike.
    const order = run % 2 === 0 ? [other, self] : [self, other];
    for (const side of order) {
      log(`Run ${run + 1} of ${runs}: ${side.label} — copying the data set …`);
      const copy = join(work.path, 'data');
      spawnSync('rm', ['-rf', copy]);
      freshCopy(dataDir, copy);
      const report = await runBench(side, copy, join(work.path, 'report.json'), args, log);
      reports.get(side)?.push(report);
      spawnSync('rm', ['-f', join(work.path, 'report.json')]);
    }
  }
  spawnSync('rm', ['-rf', join(work.path, 'data')]);

  const summaries: ScenarioSummary[] = [];
  for (const scenario of values.scenarios.split(',').map((s) => s.trim())) {
    const summary: ScenarioSummary = { scenario, okPerSecond: {}, cpuMicrosPerAnswer: {}, throughputRatio: 0, cpuRatio: 0 };
    for (const [side, list] of reports) {
      const found = list.map((r) => r.scenarios.find((s) => s.name === scenario)).filter((s) => s !== undefined);
      summary.okPerSecond[side.label] = found.map((s) => s.okPerSecond);
      summary.cpuMicrosPerAnswer[side.label] = found.map((s) =>
        s.serverCpuPercent === null || s.okPerSecond === 0 ? Number.NaN : Math.round((s.serverCpuPercent * 1e4) / s.okPerSecond),
      );
    }
    summary.throughputRatio = median(summary.okPerSecond[self.label] ?? []) / median(summary.okPerSecond[other.label] ?? []);
    summary.cpuRatio = median(summary.cpuMicrosPerAnswer[self.label] ?? []) / median(summary.cpuMicrosPerAnswer[other.label] ?? []);
    summaries.push(summary);
  }

  const lines = [
    `Comparison on ${dataDir}, ${runs} runs of each side, ${values.duration} s per scenario`,
    `A = ${other.label}; B = ${self.label}`,
    '',
    'scenario   median ok/s A   median ok/s B   B ÷ A   CPU µs/answer A   CPU µs/answer B   B ÷ A',
  ];
  for (const s of summaries) {
    const a = median(s.okPerSecond[other.label] ?? []);
    const b = median(s.okPerSecond[self.label] ?? []);
    const ca = median(s.cpuMicrosPerAnswer[other.label] ?? []);
    const cb = median(s.cpuMicrosPerAnswer[self.label] ?? []);
    lines.push(
      `${s.scenario.padEnd(9)}  ${Math.round(a).toLocaleString('en').padStart(13)}   ${Math.round(b).toLocaleString('en').padStart(13)}   ${s.throughputRatio.toFixed(2).padStart(5)}   ${String(ca).padStart(15)}   ${String(cb).padStart(15)}   ${s.cpuRatio.toFixed(2).padStart(5)}`,
    );
  }
  lines.push('', 'Each run, ok/s (A | B):');
  for (const s of summaries) {
    lines.push(`  ${s.scenario}: ${(s.okPerSecond[other.label] ?? []).join(', ')} | ${(s.okPerSecond[self.label] ?? []).join(', ')}`);
  }
  console.log(lines.join('\n'));
  const out = resolve(repoRoot, values.out);
  mkdirSync(dirname(out), { recursive: true });
  const machine = reports.get(self)?.[0]?.machine ?? null;
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), machine, dataDir, runs, against: other.revision, self: self.revision, summaries }, null, 2)}\n`,
  );
  console.log(`Summary written to ${out}`);
  work.remove();
  return 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (running === null) process.exit(130);
    running.once('exit', () => process.exit(130));
    running.kill('SIGTERM');
  });
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
