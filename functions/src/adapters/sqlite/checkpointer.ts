import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS } from './schema.ts';

// Runs in its own thread with its own connection: a checkpoint copies the WAL into the database file
// and waits for the disk, which must not stall the server's only JavaScript thread.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path, { timeout: workerData.busyTimeoutMs });
const timer = setInterval(() => {
  try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'stop') { clearInterval(timer); db.close(); parentPort.close(); }
});
`;

/**
 * Moves WAL checkpoints off the request thread: the connection's automatic checkpoints are turned
 * off and a worker thread checkpoints every `intervalMs` instead.
 */
export function startCheckpointer(
  db: DatabaseSync,
  path: string,
  log: (line: string) => void,
  intervalMs = 1000,
): { stop(): Promise<void> } {
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, busyTimeoutMs: BUSY_TIMEOUT_MS } });
  worker.on('message', (message: unknown) => log(`Checkpoint failed: ${String(message)}`));
  worker.on('error', (error) => log(`Checkpointer stopped: ${error.message}`));
  worker.unref();
  db.exec('PRAGMA wal_autocheckpoint = 0');
  return {
    async stop() {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      await exited;
      db.exec('PRAGMA wal_autocheckpoint = 10000');
    },
  };
}
