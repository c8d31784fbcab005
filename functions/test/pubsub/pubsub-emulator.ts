import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Starts Google's Pub/Sub emulator (Google Cloud CLI, offline) on 127.0.0.1 and a free port.
 * A missing gcloud or emulator is an error, never a skip: install with
 * `gcloud components install pubsub-emulator` or the apt package google-cloud-cli-pubsub-emulator.
 * (A stand-in until functions/test/support/emulators.ts provides the shared launcher.)
 */
export async function startPubsubEmulator(timeoutMs = 60_000): Promise<{ host: string; stop(): Promise<void> }> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const child = spawn(
    'gcloud',
    ['beta', 'emulators', 'pubsub', 'start', `--host-port=${host}`, '--project=demo-ereg'],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Pub/Sub emulator did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Server started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run gcloud for the Pub/Sub emulator (install the Google Cloud CLI): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Pub/Sub emulator exited with ${code} before starting:\n${output}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await exited;
  };
  try {
    await started;
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
