import type { StatementSync } from 'node:sqlite';
import type { Clock, ScheduledTask, TaskQueue } from '@ereg/shared';
import { createLogger, type Logger, type LogWriter } from '../../observability/logger.ts';
import { currentTraceparent, inSpan, SpanKind } from '../../observability/trace-context.ts';
import { Poller } from './poller.ts';
import type { SqliteStore } from './sqlite-store.ts';

/** Cloud Tasks' rule for task ids, kept here so that a name that works locally works in the cloud. */
const TASK_ID = /^[A-Za-z0-9_-]{1,500}$/;

function checkName(name: string): void {
  if (!TASK_ID.test(name)) {
    throw new Error(`A task name may hold only letters, digits, '-' and '_' (at most 500): ${JSON.stringify(name)}`);
  }
}

/**
 * The embedded default's task queue: named tasks in the `scheduled_tasks` table of the store's
 * database, run by a `TaskRunner`. As on Cloud Tasks, a name is taken for good once used — also by a
 * task that ran, failed or was cancelled — so scheduling it again answers `'exists'` (the version in
 * the name is what lets a moved appointment get a new task).
 */
export class SqliteTaskQueue implements TaskQueue {
  private readonly clock: Clock;
  private readonly serialize: <T>(fn: () => T) => Promise<T>;
  private readonly st: { insert: StatementSync; cancel: StatementSync };

  /** Writes go through the store's `exclusive`, so they never land inside another request's unit of work. */
  constructor(store: SqliteStore, clock: Clock) {
    this.clock = clock;
    this.serialize = (fn) => store.exclusive(fn);
    this.st = {
      insert: store.db.prepare(
        `INSERT INTO scheduled_tasks (name, run_at, payload, status, attempts, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', 0, ?, ?)
         ON CONFLICT (name) DO NOTHING`,
      ),
      cancel: store.db.prepare(
        `UPDATE scheduled_tasks SET status = 'cancelled', lease_until = NULL, updated_at = ?
         WHERE name = ? AND status IN ('pending', 'running')`,
      ),
    };
  }

  async schedule(task: ScheduledTask): Promise<'scheduled' | 'exists'> {
    checkName(task.name);
    const runAt = task.at.toISOString();
    // The trace of what scheduled it (a request, an event's consumer) goes with the task to its run.
    const traceparent = currentTraceparent();
    const payload = JSON.stringify(traceparent ? { ...task.payload, traceparent } : task.payload);
    const now = this.clock.now().toISOString();
    const { changes } = await this.serialize(() => this.st.insert.run(task.name, runAt, payload, now, now));
    return changes === 1 ? 'scheduled' : 'exists';
  }

  /** A pending task will not run; one running now finishes but is not retried, as on Cloud Tasks. */
  async cancel(name: string): Promise<void> {
    checkName(name);
    const now = this.clock.now().toISOString();
    await this.serialize(() => this.st.cancel.run(now, name));
  }
}

/** A task as its handler receives it; `attempt` is 1 on the first run. */
export interface RunnableTask {
  name: string;
  payload: Record<string, unknown>;
  attempt: number;
}

export type TaskHandler = (task: RunnableTask) => Promise<void>;

export interface TaskRunnerOptions {
  /** Runs before a task fails for good (default 10); a run cut short by a dying process counts. */
  maxAttempts?: number;
  /** The wait before the next run after the `attempt`-th failed (default 1 s doubling, at most 1 h). */
  backoffMs?: (attempt: number) => number;
  /** How long a claimed task is left to one runner before another may take it (default 60 s). */
  leaseMs?: number;
  /** Tasks claimed at once (default 20). */
  batchSize?: number;
  /** Where the runner's log lines go (JSON, one per line); the process's output unless given. */
  log?: LogWriter;
}

interface ClaimedTask {
  name: string;
  payload: string;
  attempts: number;
  run_at: string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs the tasks of a `SqliteTaskQueue` when they are due by the clock. A task is claimed with a
 * conditional UPDATE that marks it running with a lease and counts the attempt, so two runners — in
 * one process or in two on the same file — never both run it; every later change of the task is
 * conditional on that claim (its attempt count) still holding. A runner that dies leaves its task
 * running until the lease expires; then it is due again. The handler runs outside the store's lock,
 * so it may use the store (and this queue) as any caller does.
 */
export class TaskRunner {
  private readonly clock: Clock;
  private readonly handler: TaskHandler;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly log: Logger;
  private readonly serialize: <T>(fn: () => T) => Promise<T>;
  private readonly st;
  private readonly poller = new Poller(
    () => this.runDue(),
    (error: unknown) => this.log.error('Task run failed.', { error }),
  );
  private running: Promise<number> | null = null;
  private stopping = false;

  constructor(store: SqliteStore, clock: Clock, handler: TaskHandler, options: TaskRunnerOptions = {}) {
    const db = store.db;
    this.clock = clock;
    this.handler = handler;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.backoffMs = options.backoffMs ?? ((attempt) => Math.min(1000 * 2 ** (attempt - 1), 3_600_000));
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 20;
    this.log = createLogger(options.log);
    this.serialize = (fn) => store.exclusive(fn);
    this.st = {
      // A task whose last allowed run was cut short is not run again.
      expireSpent: db.prepare(
        `UPDATE scheduled_tasks SET status = 'failed', lease_until = NULL, updated_at = :now,
           last_error = 'its last attempt did not finish (the process running it stopped)'
         WHERE status = 'running' AND lease_until <= :now AND attempts >= :max
         RETURNING name`,
      ),
      claim: db.prepare(
        `UPDATE scheduled_tasks SET status = 'running', attempts = attempts + 1, lease_until = :lease,
           updated_at = :now
         WHERE name IN (
           SELECT name FROM scheduled_tasks
           WHERE (status = 'pending' AND run_at <= :now) OR (status = 'running' AND lease_until <= :now)
           ORDER BY run_at, name LIMIT :limit)
         RETURNING name, payload, attempts, run_at`,
      ),
      renew: db.prepare(
        `UPDATE scheduled_tasks SET lease_until = ?, updated_at = ?
         WHERE name = ? AND status = 'running' AND attempts = ?`,
      ),
      done: db.prepare(
        `UPDATE scheduled_tasks SET status = 'done', lease_until = NULL, updated_at = ?
         WHERE name = ? AND status = 'running' AND attempts = ?`,
      ),
      retry: db.prepare(
        `UPDATE scheduled_tasks SET status = 'pending', run_at = ?, last_error = ?, lease_until = NULL,
           updated_at = ?
         WHERE name = ? AND status = 'running' AND attempts = ?`,
      ),
      fail: db.prepare(
        `UPDATE scheduled_tasks SET status = 'failed', last_error = ?, lease_until = NULL, updated_at = ?
         WHERE name = ? AND status = 'running' AND attempts = ?`,
      ),
      // A claim not started when the runner stops is handed back uncounted.
      release: db.prepare(
        `UPDATE scheduled_tasks SET status = 'pending', attempts = attempts - 1, lease_until = NULL,
           updated_at = ?
         WHERE name = ? AND status = 'running' AND attempts = ?`,
      ),
    };
  }

  /**
   * Runs every task due now, oldest first, one at a time; answers how many runs were made (succeeded
   * or not). Concurrent calls share one run.
   */
  runDue(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<number> {
    let ran = 0;
    while (!this.stopping) {
      const batch = await this.serialize(() => this.claim());
      if (batch.length === 0) break;
      for (const [i, task] of batch.entries()) {
        if (this.stopping) {
          await this.serialize(() => this.release(batch.slice(i)));
          break;
        }
        if (await this.runOne(task)) ran++;
      }
    }
    return ran;
  }

  private claim(): ClaimedTask[] {
    const now = this.clock.now();
    const at = now.toISOString();
    for (const row of this.st.expireSpent.all({ now: at, max: this.maxAttempts }) as Array<{ name: string }>) {
      this.log.error(`Task ${row.name} failed for good: its last attempt did not finish.`, { task: row.name });
    }
    const lease = new Date(now.getTime() + this.leaseMs).toISOString();
    const rows = this.st.claim.all({ now: at, lease, limit: this.batchSize }) as unknown as ClaimedTask[];
    // RETURNING gives the rows in no particular order.
    const key = (t: ClaimedTask) => `${t.run_at} ${t.name}`;
    return rows.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  }

  private release(tasks: ClaimedTask[]): void {
    const now = this.clock.now().toISOString();
    for (const task of tasks) this.st.release.run(now, task.name, task.attempts);
  }

  /** Runs one claimed task, unless another runner took it over or it was cancelled meanwhile. */
  private async runOne(task: ClaimedTask): Promise<boolean> {
    // The lease runs from the start of this task, not of its batch.
    const still = await this.serialize(() => {
      const now = this.clock.now();
      const lease = new Date(now.getTime() + this.leaseMs).toISOString();
      return this.st.renew.run(lease, now.toISOString(), task.name, task.attempts).changes === 1;
    });
    if (!still) return false;
    const { traceparent, ...payload } = JSON.parse(task.payload) as Record<string, unknown>;
    // The run joins the trace of what scheduled the task.
    const parent = typeof traceparent === 'string' ? traceparent : null;
    const attributes = { 'ereg.task.name': task.name, 'ereg.task.attempt': task.attempts };
    await inSpan('task.run', { kind: SpanKind.CONSUMER, parent, attributes }, async () => {
      try {
        await this.handler({ name: task.name, payload, attempt: task.attempts });
      } catch (error) {
        await this.serialize(() => this.failed(task, error));
        return;
      }
      this.log.info(`Task ${task.name} ran (attempt ${task.attempts}).`, { task: task.name, attempt: task.attempts });
      await this.serialize(() => {
        if (this.st.done.run(this.clock.now().toISOString(), task.name, task.attempts).changes === 0) {
          this.log.warn(`Task ${task.name} finished after its lease was taken over or it was cancelled.`, {
            task: task.name,
          });
        }
      });
    });
    return true;
  }

  private failed(task: ClaimedTask, error: unknown): void {
    const now = this.clock.now();
    const reason = message(error);
    if (task.attempts >= this.maxAttempts) {
      this.st.fail.run(reason, now.toISOString(), task.name, task.attempts);
      this.log.error(`Task ${task.name} failed for good after ${task.attempts} attempts: ${reason}`, {
        task: task.name,
        attempt: task.attempts,
      });
      return;
    }
    const next = new Date(now.getTime() + this.backoffMs(task.attempts)).toISOString();
    this.st.retry.run(next, reason, now.toISOString(), task.name, task.attempts);
    this.log.warn(`Task ${task.name} failed (attempt ${task.attempts}); will retry at ${next}: ${reason}`, {
      task: task.name,
      attempt: task.attempts,
    });
  }

  /** Polls for due tasks until stopped. */
  start(intervalMs = 1000): void {
    if (this.poller.running) return;
    this.stopping = false;
    this.poller.start(intervalMs);
  }

  /** Stops polling and waits for the task in progress; tasks claimed but not started go back to pending. */
  async stop(): Promise<void> {
    this.poller.stop();
    this.stopping = true;
    try {
      await this.running;
    } finally {
      this.stopping = false;
    }
  }
}
