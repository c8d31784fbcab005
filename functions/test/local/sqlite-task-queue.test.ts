import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { EventConsumer } from '@ereg/shared';
import { anEvent } from '@ereg/shared/testing';
import { OutboxDispatcher } from '../../src/adapters/sqlite/outbox-dispatcher.ts';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import {
  type RunnableTask,
  SqliteTaskQueue,
  type TaskHandler,
  TaskRunner,
  type TaskRunnerOptions,
} from '../../src/adapters/sqlite/sqlite-task-queue.ts';
import { FakeClock } from '../support/builders.ts';

jest.setTimeout(30_000);

const T0 = '2026-01-12T07:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms);

let dir: string;
let dbPath: string;
let clock: FakeClock;
const opened: Array<{ db: DatabaseSync; store: SqliteStore }> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ereg-tasks-'));
  dbPath = join(dir, 'ereg.sqlite');
  clock = new FakeClock(T0);
});

afterEach(async () => {
  for (const { db, store } of opened.splice(0)) {
    await store.flush();
    if (db.isOpen) db.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A connection to the test's database file, as a process opens it. */
/** The message of one of the runner's JSON log lines. */
const messageOf = (line: string) => (JSON.parse(line) as { message: string }).message;

function open() {
  const db = new DatabaseSync(dbPath);
  prepareDatabase(db);
  const store = new SqliteStore(db);
  opened.push({ db, store });
  const queue = new SqliteTaskQueue(store, clock);
  const log: string[] = [];
  const runner = (handler: TaskHandler, options: TaskRunnerOptions = {}) =>
    new TaskRunner(store, clock, handler, { log: (line) => log.push(messageOf(line)), ...options });
  return { db, store, queue, runner, log };
}

/** A handler that records every run and throws for the runs `fails` picks. */
function recorder(fails: (task: RunnableTask) => boolean = () => false) {
  const runs: Array<RunnableTask & { at: string }> = [];
  const handler: TaskHandler = async (task) => {
    runs.push({ ...task, at: clock.now().toISOString() });
    if (fails(task)) throw new Error(`cannot run ${task.name} (attempt ${task.attempt})`);
  };
  return { runs, handler };
}

function taskRow(db: DatabaseSync, name: string) {
  return db
    .prepare('SELECT status, attempts, last_error, run_at, lease_until FROM scheduled_tasks WHERE name = ?')
    .get(name) as
    | { status: string; attempts: number; last_error: string | null; run_at: string; lease_until: string | null }
    | undefined;
}

const reminder = (name: string, ms: number, payload: Record<string, unknown> = { appointmentId: name }) => ({
  name,
  at: at(ms),
  payload,
});

describe('scheduling and cancelling', () => {
  test('a name is scheduled once: the same name again answers exists and changes nothing', async () => {
    const { queue, runner } = open();
    expect(await queue.schedule(reminder('reminder-apt_1-2', 0, { version: 2 }))).toBe('scheduled');
    expect(await queue.schedule(reminder('reminder-apt_1-2', 5_000, { version: 3 }))).toBe('exists');
    const { runs, handler } = recorder();
    expect(await runner(handler).runDue()).toBe(1);
    expect(runs.map((r) => [r.name, r.payload, r.attempt])).toEqual([['reminder-apt_1-2', { version: 2 }, 1]]);
  });

  test('a name stays taken after its task ran or was cancelled, as on Cloud Tasks', async () => {
    const { queue, runner } = open();
    await queue.schedule(reminder('ran', 0));
    await queue.schedule(reminder('cancelled', 0));
    await queue.cancel('cancelled');
    await runner(recorder().handler).runDue();
    expect(await queue.schedule(reminder('ran', 60_000))).toBe('exists');
    expect(await queue.schedule(reminder('cancelled', 60_000))).toBe('exists');
  });

  test('a name Cloud Tasks would refuse is refused with its message, when scheduling and when cancelling', async () => {
    const { queue, db } = open();
    const refusal = "A task name may hold only letters, digits, '-' and '_' (at most 500)";
    await expect(queue.schedule(reminder('reminder:apt_1:2', 0))).rejects.toThrow(refusal);
    await expect(queue.schedule(reminder('x'.repeat(501), 0))).rejects.toThrow(refusal);
    await expect(queue.cancel('a/b')).rejects.toThrow(refusal);
    expect(await queue.schedule(reminder('x'.repeat(500), 0))).toBe('scheduled');
    expect((db.prepare('SELECT count(*) AS n FROM scheduled_tasks').get() as { n: number }).n).toBe(1);
  });

  test('a cancelled task never runs; cancelling an unknown or finished task is no error', async () => {
    const { queue, runner, db } = open();
    await queue.schedule(reminder('keep', 0));
    await queue.schedule(reminder('drop', 0));
    await queue.cancel('drop');
    const { runs, handler } = recorder();
    await runner(handler).runDue();
    await queue.cancel('keep');
    await queue.cancel('never-scheduled');
    expect(runs.map((r) => r.name)).toEqual(['keep']);
    expect([taskRow(db, 'keep')?.status, taskRow(db, 'drop')?.status]).toEqual(['done', 'cancelled']);
  });
});

describe('running due tasks', () => {
  test('a task runs only once the clock reaches its time', async () => {
    const { queue, runner } = open();
    await queue.schedule(reminder('later', 3_600_000));
    const { runs, handler } = recorder();
    const r = runner(handler);
    expect(await r.runDue()).toBe(0);
    clock.set(at(3_599_999).toISOString());
    expect(await r.runDue()).toBe(0);
    clock.set(at(3_600_000).toISOString());
    expect(await r.runDue()).toBe(1);
    expect(runs.map((run) => [run.name, run.at])).toEqual([['later', at(3_600_000).toISOString()]]);
  });

  test('a task that succeeded is done and never runs again', async () => {
    const { queue, runner, db } = open();
    await queue.schedule(reminder('once', 0));
    const { runs, handler } = recorder();
    const r = runner(handler);
    expect(await r.runDue()).toBe(1);
    clock.advanceDays(30);
    expect(await r.runDue()).toBe(0);
    expect(await runner(handler).runDue()).toBe(0);
    expect(runs).toHaveLength(1);
    expect(taskRow(db, 'once')).toMatchObject({ status: 'done', attempts: 1, lease_until: null });
  });

  test('due tasks run oldest first, in batches, one at a time', async () => {
    const { queue, runner } = open();
    for (const [name, ms] of [
      ['e', 500],
      ['d', 400],
      ['c', 300],
      ['b', 200],
      ['a', 100],
      ['not-yet', 2_000],
    ] as const) {
      await queue.schedule(reminder(name, ms));
    }
    clock.set(at(1_000).toISOString());
    const order: string[] = [];
    let inFlight = 0;
    const handler: TaskHandler = async (task) => {
      inFlight++;
      expect(inFlight).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1));
      order.push(task.name);
      inFlight--;
    };
    expect(await runner(handler, { batchSize: 2 }).runDue()).toBe(5);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('concurrent calls share one run', async () => {
    const { queue, runner } = open();
    for (const name of ['a', 'b', 'c']) await queue.schedule(reminder(name, 0));
    const { runs, handler } = recorder();
    const r = runner(handler);
    expect(await Promise.all([r.runDue(), r.runDue(), r.runDue()])).toEqual([3, 3, 3]);
    expect(runs.map((run) => run.name)).toEqual(['a', 'b', 'c']);
  });

  test('a failing task is retried with a growing backoff, then fails for good after maxAttempts (logged)', async () => {
    const { queue, runner, db, log } = open();
    await queue.schedule(reminder('flaky', 0));
    const { runs, handler } = recorder(() => true);
    const r = runner(handler, { maxAttempts: 4 });
    // Each retry waits 1 s, 2 s, 4 s: run whenever due, stepping the clock by 500 ms.
    for (let ms = 0; ms <= 20_000; ms += 500) {
      clock.set(at(ms).toISOString());
      await r.runDue();
    }
    expect(runs.map((run) => [run.attempt, run.at])).toEqual([
      [1, at(0).toISOString()],
      [2, at(1_000).toISOString()],
      [3, at(3_000).toISOString()],
      [4, at(7_000).toISOString()],
    ]);
    expect(taskRow(db, 'flaky')).toMatchObject({
      status: 'failed',
      attempts: 4,
      last_error: 'cannot run flaky (attempt 4)',
      lease_until: null,
    });
    expect(log.filter((line) => line.includes('failed for good'))).toEqual([
      'Task flaky failed for good after 4 attempts: cannot run flaky (attempt 4)',
    ]);
    clock.advanceDays(1);
    expect(await r.runDue()).toBe(0);
  });

  test('a task that fails, then succeeds, is done; the backoff is the one given', async () => {
    const { queue, runner, db } = open();
    await queue.schedule(reminder('second-time-lucky', 0));
    const { runs, handler } = recorder((task) => task.attempt === 1);
    const r = runner(handler, { backoffMs: (attempt) => attempt * 60_000 });
    expect(await r.runDue()).toBe(1);
    expect(taskRow(db, 'second-time-lucky')).toMatchObject({
      status: 'pending',
      run_at: at(60_000).toISOString(),
      last_error: 'cannot run second-time-lucky (attempt 1)',
    });
    clock.set(at(59_999).toISOString());
    expect(await r.runDue()).toBe(0);
    clock.set(at(60_000).toISOString());
    expect(await r.runDue()).toBe(1);
    expect(runs.map((run) => run.attempt)).toEqual([1, 2]);
    expect(taskRow(db, 'second-time-lucky')?.status).toBe('done');
  });

  test('start polls for due tasks; stop waits for the task in progress and hands back those not started', async () => {
    const { queue, runner, db } = open();
    for (const name of ['first', 'second', 'third']) await queue.schedule(reminder(name, 0));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const ran: string[] = [];
    const r = runner(
      async (task) => {
        started();
        await gate;
        ran.push(task.name);
      },
      { batchSize: 3 },
    );
    r.start(5);
    await firstStarted;
    const stopped = r.stop();
    release();
    await stopped;
    expect(ran).toEqual(['first']);
    expect(taskRow(db, 'first')?.status).toBe('done');
    expect([taskRow(db, 'second'), taskRow(db, 'third')]).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 0, lease_until: null }),
      expect.objectContaining({ status: 'pending', attempts: 0, lease_until: null }),
    ]);
    const { runs, handler } = recorder();
    expect(await runner(handler).runDue()).toBe(2);
    expect(runs.map((run) => [run.name, run.attempt])).toEqual([
      ['second', 1],
      ['third', 1],
    ]);
  });
});

describe('the store and the queue together', () => {
  test('a task is scheduled after a unit of work in progress, and not rolled back with it', async () => {
    const { store, queue, db } = open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside!: () => void;
    const unitStarted = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const unit = store
      .runInTransaction(async (tx) => {
        await tx.getSlot('s-1');
        inside();
        await gate;
        throw new Error('the unit fails');
      })
      .catch((error: unknown) => error);
    await unitStarted;
    const scheduled = queue.schedule(reminder('outside-the-unit', 0));
    release();
    expect(await unit).toEqual(new Error('the unit fails'));
    expect(await scheduled).toBe('scheduled');
    expect(taskRow(db, 'outside-the-unit')?.status).toBe('pending');
  });

  test('an outbox consumer schedules a task while the dispatcher delivers', async () => {
    const { store, queue, db } = open();
    const event = anEvent('appointment.booked', {}, { id: 'evt-1', occurredAt: T0 });
    await store.runInTransaction(async (tx) => tx.addEvent(event));
    const consumer: EventConsumer = {
      name: 'reminders',
      handle: async (e) => {
        await queue.schedule(reminder(`reminder-${e.id}`, 86_400_000));
      },
    };
    const dispatcher = new OutboxDispatcher(store, [consumer], () => {});
    expect(await dispatcher.drain()).toBe(1);
    expect(taskRow(db, 'reminder-evt-1')?.status).toBe('pending');
  });

  test('a handler may use the store and the queue', async () => {
    const { store, queue, runner, db } = open();
    await queue.schedule(reminder('chain', 0));
    const r = runner(async (task) => {
      await store.runInTransaction(async (tx) => {
        await tx.getSmsMessage(`reminder:${task.name}`);
      });
      await queue.schedule(reminder(`${task.name}-next`, 1_000));
    });
    expect(await r.runDue()).toBe(1);
    expect(taskRow(db, 'chain-next')?.status).toBe('pending');
  });
});

describe('restarts and several runners on one file', () => {
  test('tasks pending when the process stopped run after a restart', async () => {
    const first = open();
    await first.queue.schedule(reminder('before-restart-1', 0));
    await first.queue.schedule(reminder('before-restart-2', 60_000));
    await first.store.flush();
    first.db.close();

    const second = open();
    clock.set(at(60_000).toISOString());
    const { runs, handler } = recorder();
    expect(await second.runner(handler).runDue()).toBe(2);
    expect(runs.map((run) => run.name)).toEqual(['before-restart-1', 'before-restart-2']);
    expect(await second.queue.schedule(reminder('before-restart-1', 0))).toBe('exists');
  });

  test('two runners on one file, racing, run each task once', async () => {
    const a = open();
    const b = open();
    const names = Array.from({ length: 40 }, (_, i) => `race-${String(i).padStart(2, '0')}`);
    for (const name of names) await a.queue.schedule(reminder(name, 0));
    const runs: string[] = [];
    const by = { a: 0, b: 0 };
    const handler =
      (who: 'a' | 'b'): TaskHandler =>
      async (task) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        runs.push(task.name);
        by[who]++;
      };
    const [ranA, ranB] = await Promise.all([
      a.runner(handler('a'), { batchSize: 5 }).runDue(),
      b.runner(handler('b'), { batchSize: 5 }).runDue(),
    ]);
    expect(runs.sort()).toEqual(names);
    expect(ranA + ranB).toBe(40);
    expect(by.a).toBeGreaterThan(0);
    expect(by.b).toBeGreaterThan(0);
  });
});

/** A runner in its own process (task-runner-process.ts) on the test's file. */
class RunnerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  private output = '';

  constructor(runLog: string, options: { hang?: boolean } = {}) {
    this.child = spawn(process.execPath, ['--conditions=source', join(__dirname, 'task-runner-process.ts')], {
      env: {
        ...process.env,
        DB_PATH: dbPath,
        FAKE_NOW: clock.now().toISOString(),
        RUN_LOG: runLog,
        HANG: options.hang ? '1' : '',
      },
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  async waitFor(line: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!this.output.includes(line)) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`the runner process did not print ${line}: ${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  go(): void {
    this.child.stdin.write('go\n');
  }
}

describe('runner processes', () => {
  const runsIn = (runLog: string) =>
    readFileSync(runLog, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string, string]);

  test('two processes on one file run each task once', async () => {
    const { queue, store } = open();
    const names = Array.from({ length: 60 }, (_, i) => `proc-${String(i).padStart(2, '0')}`);
    for (const name of names) await queue.schedule(reminder(name, 0));
    await store.flush();
    const runLog = join(dir, 'runs.log');
    writeFileSync(runLog, '');
    const processes = [new RunnerProcess(runLog), new RunnerProcess(runLog)];
    await Promise.all(processes.map((p) => p.waitFor('READY')));
    for (const p of processes) p.go();
    expect(await Promise.all(processes.map((p) => p.exited))).toEqual([0, 0]);
    const runs = runsIn(runLog);
    expect(runs.map(([name]) => name).sort()).toEqual(names);
    expect(new Set(runs.map(([, attempt]) => attempt))).toEqual(new Set(['1']));
  });

  test('a task left running by a process that died runs again once its lease has expired', async () => {
    const { queue, store, runner, db } = open();
    await queue.schedule(reminder('orphan', 0));
    await store.flush();
    const runLog = join(dir, 'runs.log');
    writeFileSync(runLog, '');
    const dying = new RunnerProcess(runLog, { hang: true });
    await dying.waitFor('READY');
    dying.go();
    await dying.waitFor('STARTED orphan');
    dying.child.kill('SIGKILL');
    await dying.exited;
    expect(taskRow(db, 'orphan')).toMatchObject({ status: 'running', attempts: 1 });

    const { runs, handler } = recorder();
    const r = runner(handler);
    clock.set(at(59_999).toISOString());
    expect(await r.runDue()).toBe(0);
    clock.set(at(60_000).toISOString());
    expect(await r.runDue()).toBe(1);
    expect(runs.map((run) => [run.name, run.attempt])).toEqual([['orphan', 2]]);
    expect(taskRow(db, 'orphan')?.status).toBe('done');
  });

  test('a task whose last allowed attempt died with its process fails for good instead of running again', async () => {
    const { queue, store, runner, db, log } = open();
    await queue.schedule(reminder('poison', 0));
    await store.flush();
    const runLog = join(dir, 'runs.log');
    writeFileSync(runLog, '');
    const dying = new RunnerProcess(runLog, { hang: true });
    await dying.waitFor('READY');
    dying.go();
    await dying.waitFor('STARTED poison');
    dying.child.kill('SIGKILL');
    await dying.exited;

    const { runs, handler } = recorder();
    clock.set(at(60_000).toISOString());
    expect(await runner(handler, { maxAttempts: 1 }).runDue()).toBe(0);
    expect(runs).toEqual([]);
    expect(taskRow(db, 'poison')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(log).toEqual(['Task poison failed for good: its last attempt did not finish.']);
  });
});
