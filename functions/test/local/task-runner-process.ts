import { appendFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { TaskRunner } from '../../src/adapters/sqlite/sqlite-task-queue.ts';

// A task runner in a process of its own on an existing database file, for multi-process tests. Each run
// is appended to RUN_LOG as "<name> <attempt> <pid>". With HANG set, the first task it starts never
// finishes (the test kills the process); otherwise it runs until nothing is due and exits.
const { DB_PATH: dbPath, FAKE_NOW: now, RUN_LOG: runLog, HANG: hang } = process.env;
if (!dbPath || !now || !runLog) throw new Error('DB_PATH, FAKE_NOW and RUN_LOG are required');
const clock = { now: () => new Date(now) };
const db = new DatabaseSync(dbPath);
prepareDatabase(db);
const store = new SqliteStore(db);
const runner = new TaskRunner(
  store,
  clock,
  async (task) => {
    appendFileSync(runLog, `${task.name} ${task.attempt} ${process.pid}\n`);
    if (hang) {
      process.stdout.write(`STARTED ${task.name}\n`);
      await new Promise(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  },
  { batchSize: 5, log: () => {} },
);
process.stdout.write('READY\n');
// Both processes start on a signal, so that their claims meet.
process.stdin.once('data', async () => {
  await runner.runDue();
  db.close();
  process.stdout.write('DONE\n');
  process.exit(0);
});
