import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const MAIN = join(__dirname, '../../src/runtime/local/main.ts');

export interface Started {
  child: ChildProcess;
  /** Settles when the process has logged a line matching the pattern (or fails when it exits first). */
  logged(pattern: RegExp, timeoutMs: number): Promise<string>;
}

/**
 * `npm start`'s own entry (`functions/src/runtime/local/main.ts`) on a data folder and a fixed port,
 * with a small demo data set on first start; answers once it listens.
 */
export async function startLocalServer(dataDir: string, port: number): Promise<Started> {
  const child = spawn(process.execPath, ['--conditions=source', MAIN], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_SEED: '7',
      DEMO_CENTRES: '16',
      DEMO_CITIZENS: '50',
      // The storm comes from one address: the proof is about crashes, not about limits.
      RATE_LIMITS: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const take = (line: string) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
    for (const wake of waiters) wake();
  };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', take);
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', take);
  const logged = (pattern: RegExp, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.find((line) => pattern.test(line));
        if (found !== undefined) finish(() => resolve(found));
        else if (child.exitCode !== null || child.signalCode !== null) {
          finish(() =>
            reject(new Error(`the server exited (${child.exitCode ?? child.signalCode}): ${lines.join('\n')}`)),
          );
        }
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`no line ${pattern} within ${timeoutMs} ms: ${lines.join('\n')}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', check);
        settle();
      };
      waiters.add(check);
      child.on('exit', check);
      check();
    });
  await logged(/e-Registration is running at/, 60_000);
  return { child, logged };
}

/** Kills the process at once (SIGKILL: no shutdown, no flush, no lease handed back) and waits until it is gone. */
export function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Stops the process as `npm start` is stopped (SIGTERM: background work finishes, the database is closed). */
export function stopGracefully(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve('already gone');
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? 'stopped' : `exited with ${code ?? signal}`);
    });
    child.kill('SIGTERM');
  });
}
