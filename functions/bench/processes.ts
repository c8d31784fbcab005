import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadResult, type LoadSpec, RESULT_MARKER } from './load.ts';

// Every child the benchmark starts is killed, and every temporary folder removed, when the
// benchmark's process exits, however it exits.
const children = new Set<ChildProcess>();
const folders = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    killAllChildren();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
}

function track(child: ChildProcess): void {
  installExitHook();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** A new temporary folder, removed at the latest when the process exits; `remove` removes it sooner. */
export function temporaryFolder(prefix: string): { path: string; remove: () => void } {
  installExitHook();
  const path = mkdtempSync(join(tmpdir(), prefix));
  folders.add(path);
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
      folders.delete(path);
    },
  };
}

/** Kills every child process the benchmark started that is still running. */
export function killAllChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** A TCP port on 127.0.0.1 that was free a moment ago (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last lines of a log file, for error messages. */
export function tailOf(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A figure from /proc/<pid>/status in bytes (VmHWM: peak resident set; VmRSS: current), or null off Linux. */
export function procStatusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat; null off Linux. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** USER_HZ: Linux reports process times in hundredths of a second on every common platform. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ServerOptions {
  repoRoot: string;
  dataDir: string;
  /** The server's stdout and stderr go here. */
  logPath: string;
  /** Start the server under `node --cpu-prof`, writing the profile here when it stops. */
  profileDir?: string | null;
  /** Give up waiting for /healthz after this long. */
  startTimeoutMs?: number;
  /** Variables set for the server beside the data folder and the port (RATE_LIMITS). */
  env?: Record<string, string>;
}

export interface ServerHandle {
  pid: number;
  url: string;
  /** From spawning the process to the first answer of /healthz. */
  startupMs: number;
  logPath: string;
  running(): boolean;
  /** How it exited ("code 1", "signal SIGKILL"), or "running". */
  exitStatus(): string;
  /** Stops it with SIGTERM (SIGKILL if it has not exited in time); answers its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the local server (`node --conditions=source functions/src/runtime/local/main.ts`) on a data set,
 * on a free port of 127.0.0.1, and answers once /healthz does.
 */
export async function startServer(options: ServerOptions): Promise<ServerHandle> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(options.logPath, 'w');
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...profile, '--conditions=source', join(options.repoRoot, 'functions/src/runtime/local/main.ts')],
    {
      cwd: options.repoRoot,
      env: { ...process.env, ...options.env, DATA_DIR: options.dataDir, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  track(child);
  let exitCode: number | null | undefined;
  let exitSignal: string | null = null;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      resolve(code);
    });
  });
  const exitStatus = () =>
    exitCode === undefined ? 'running' : exitSignal ? `signal ${exitSignal}` : `code ${exitCode}`;
  const running = () => exitCode === undefined;
  const stop = async (): Promise<number | null> => {
    if (!running()) return exitCode ?? null;
    child.kill('SIGTERM');
    // Writing a CPU profile on exit takes a while.
    const killer = setTimeout(() => child.kill('SIGKILL'), options.profileDir ? 60_000 : 15_000);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  for (;;) {
    if (!running()) {
      throw new Error(`The server exited during start-up (${exitStatus()}). Its log:\n${tailOf(options.logPath)}`);
    }
    try {
      const reply = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (reply.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server did not answer /healthz in time. Its log:\n${tailOf(options.logPath)}`);
    }
    await sleep(10);
  }
  const startupMs = Math.round(performance.now() - started);
  return { pid: child.pid as number, url, startupMs, logPath: options.logPath, running, exitStatus, stop };
}

/**
 * Runs one scenario in a separate process (load-child.ts) and answers its result; the child is
 * killed if it overruns the scenario's duration by a minute.
 */
export async function runLoadInChild(
  repoRoot: string,
  workDir: string,
  name: string,
  spec: LoadSpec,
): Promise<LoadResult> {
  const specPath = join(workDir, `${name}.spec.json`);
  writeFileSync(specPath, JSON.stringify(spec));
  const child = spawn(
    process.execPath,
    ['--conditions=source', join(repoRoot, 'functions/bench/load-child.ts'), specPath],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  track(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const limitMs = (spec.durationSeconds + spec.timeoutSeconds + 60) * 1000;
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (code !== 0 || !line) {
    throw new Error(`The load generator for ${name} failed (exit ${code}):\n${stderr.slice(-2000)}`);
  }
  return JSON.parse(line.slice(RESULT_MARKER.length)) as LoadResult;
}
