import type { ScheduledTask, TaskQueue } from '@ereg/shared';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { currentTraceparent } from '../../observability/trace-context.ts';

/** gRPC status codes the adapter acts on (the REST fallback maps HTTP answers to them too). */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const RETRYABLE = new Set([
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED (429)
  13, // INTERNAL (500)
  14, // UNAVAILABLE (503)
]);

/** Cloud Tasks' rule for task ids. */
const TASK_ID = /^[A-Za-z0-9_-]{1,500}$/;

export interface CloudTasksQueueConfig {
  /** `projects/<project>/locations/<location>/queues/<queue>`. */
  queuePath: string;
  /** The HTTPS endpoint the tasks call (the function that handles them). */
  url: string;
  /** The service account whose OIDC token Cloud Tasks attaches; the handler checks it. */
  serviceAccountEmail: string;
  /** The OIDC token's audience; the target URL when not given. */
  audience?: string;
  /** Attempts per call on UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL or RESOURCE_EXHAUSTED (default 5). */
  maxAttempts?: number;
  /** First back-off delay in ms, doubled per attempt (default 200). */
  initialBackoffMs?: number;
}

/** The two calls the adapter makes: a CloudTasksClient, or a stand-in. */
export type TasksApi = Pick<CloudTasksClient, 'createTask' | 'deleteTask'>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * The task queue on Cloud Tasks: each task is an OIDC-authenticated HTTP POST of its JSON payload to
 * the configured handler at `at`, with a `traceparent` header when it is scheduled within a trace.
 *
 * Tasks are named `<queuePath>/tasks/<name>`, the name derived by the caller from the appointment id,
 * purpose and version. Cloud Tasks refuses a second task of the same name (ALREADY_EXISTS →
 * `'exists'`), also for about an hour after a task was deleted and for days after it ran — which is
 * why the version belongs in the name: a moved appointment gets a new name.
 *
 * Transient failures are retried here, with the same name, so a retry can never create a second task:
 * when an attempt created the task but its answer was lost, the next attempt gets ALREADY_EXISTS and
 * answers `'exists'`. The client's own retries are switched off so that the attempts are counted once.
 */
export class CloudTasksQueue implements TaskQueue {
  private readonly client: TasksApi;
  private readonly config: Required<CloudTasksQueueConfig>;

  constructor(client: TasksApi, config: CloudTasksQueueConfig) {
    this.client = client;
    this.config = { audience: config.url, maxAttempts: 5, initialBackoffMs: 200, ...config };
  }

  taskPath(name: string): string {
    if (!TASK_ID.test(name)) {
      throw new Error(`A task name may hold only letters, digits, '-' and '_' (at most 500): ${JSON.stringify(name)}`);
    }
    return `${this.config.queuePath}/tasks/${name}`;
  }

  async schedule(task: ScheduledTask): Promise<'scheduled' | 'exists'> {
    const ms = task.at.getTime();
    // The trace of what scheduled it goes with the task: the target's request joins it.
    const traceparent = currentTraceparent();
    const request = {
      parent: this.config.queuePath,
      task: {
        name: this.taskPath(task.name),
        scheduleTime: { seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 },
        httpRequest: {
          httpMethod: 'POST' as const,
          url: this.config.url,
          headers: { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) },
          body: Buffer.from(JSON.stringify(task.payload)),
          oidcToken: { serviceAccountEmail: this.config.serviceAccountEmail, audience: this.config.audience },
        },
      },
    };
    try {
      await this.withRetries(() => this.client.createTask(request, { retry: null }));
      return 'scheduled';
    } catch (error) {
      if (codeOf(error) === ALREADY_EXISTS) return 'exists';
      throw error;
    }
  }

  async cancel(name: string): Promise<void> {
    const path = this.taskPath(name);
    try {
      await this.withRetries(() => this.client.deleteTask({ name: path }, { retry: null }));
    } catch (error) {
      if (codeOf(error) === NOT_FOUND) return;
      throw error;
    }
  }

  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const code = codeOf(error);
        if (attempt >= this.config.maxAttempts || typeof code !== 'number' || !RETRYABLE.has(code)) throw error;
        await sleep(this.config.initialBackoffMs * 2 ** (attempt - 1));
      }
    }
  }
}
