import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Google's own emulators (Google Cloud CLI, Java), started offline on 127.0.0.1 and a free port, one
 * per test file. A missing `gcloud` or emulator component is always an error, never a skip: tests that
 * need an emulator fail with the install hint (under CI=true as everywhere else).
 */
export interface Emulator {
  /** `127.0.0.1:PORT`, for `settings({ host, ssl: false })` or `*_EMULATOR_HOST`. */
  host: string;
  /** Stops the emulator and every process it started (the whole process group). */
  stop(): Promise<void>;
}

const INSTALL_HINT: Record<string, string> = {
  firestore:
    'Install the Firestore emulator: `gcloud components install cloud-firestore-emulator` ' +
    '(or `apt-get install google-cloud-cli-firestore-emulator` where the CLI came from apt); it needs Java 17+.',
  pubsub:
    'Install the Pub/Sub emulator: `gcloud components install pubsub-emulator` ' +
    '(or `apt-get install google-cloud-cli-pubsub-emulator` where the CLI came from apt); it needs Java 17+.',
};

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function missing(kind: string, why: string): Error {
  const ci = process.env.CI === 'true' ? ' (CI=true: a missing emulator is a failure, never a skip)' : '';
  return new Error(`The ${kind} emulator cannot run: ${why}.${ci}\n${INSTALL_HINT[kind] ?? ''}`);
}

let gcloudChecked = false;

function requireGcloud(kind: string): void {
  if (gcloudChecked) return;
  const probe = spawnSync('gcloud', ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error || probe.status !== 0) {
    throw missing(
      kind,
      `\`gcloud\` is not available (${probe.error?.message ?? probe.stderr.trim()}); install the Google Cloud CLI`,
    );
  }
  gcloudChecked = true;
}

async function startEmulator(
  kind: 'firestore' | 'pubsub',
  args: (host: string) => string[],
  readyLine: string,
  timeoutMs: number,
): Promise<Emulator> {
  requireGcloud(kind);
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const child: ChildProcess = spawn('gcloud', args(host), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The ${kind} emulator did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(missing(kind, `cannot run gcloud: ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const component = /component|not installed|gcloud components install|apt-get install/i.test(output);
      reject(
        component
          ? missing(kind, `the emulator component is not installed (gcloud exited with ${code}):\n${output}`)
          : new Error(`The ${kind} emulator exited with ${code} before it was ready:\n${output}`),
      );
    });
  });
  const stop = async () => {
    if (exited || !child.pid) return;
    try {
      // gcloud starts a Java process of its own: the group (detached above) is stopped as a whole.
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, 5_000);
    await exit;
    clearTimeout(timer);
  };
  try {
    await started;
  } catch (error) {
    await stop();
    throw error;
  }
  // Output keeps coming (request logs); keep draining it so the pipes never fill up.
  child.stdout?.resume();
  child.stderr?.resume();
  return { host, stop };
}

/**
 * `gcloud emulators firestore start` on a free port; ready in ~10–15 s. Use a distinct projectId per test
 * file. With `rules` (a path), client requests — those without the admin's `Bearer owner` — meet those rules.
 */
export function startFirestoreEmulator(timeoutMs = 90_000, options: { rules?: string } = {}): Promise<Emulator> {
  const rules = options.rules ? [`--rules=${options.rules}`] : [];
  return startEmulator(
    'firestore',
    (host) => ['emulators', 'firestore', 'start', `--host-port=${host}`, ...rules, '--quiet'],
    'Dev App Server is now running',
    timeoutMs,
  );
}

/** `gcloud beta emulators pubsub start` on a free port, project `demo-ereg`. */
export function startPubsubEmulator(timeoutMs = 90_000): Promise<Emulator> {
  return startEmulator(
    'pubsub',
    (host) => ['beta', 'emulators', 'pubsub', 'start', `--host-port=${host}`, '--project=demo-ereg', '--quiet'],
    'Server started',
    timeoutMs,
  );
}
