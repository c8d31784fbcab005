import { ApiError, NETWORK_ERROR } from '../api-client.ts';

/** A change made at the desk, kept on the device until the API has it. */
export interface QueuedChange {
  /** Also the request's Idempotency-Key: sent again after a lost answer, the API applies it once. */
  id: string;
  /** What kind of change (the app's words: check-in, recording, no-show…). */
  kind: string;
  /** The visit it is about, so that a list can show it as waiting. */
  appointmentId: string;
  /** Whom and what it concerns, as the waiting list shows it. */
  label: string;
  /** What to send: the route's name, path parameters and body, as the app's client takes them. */
  request: { route: string; params: Record<string, string>; body?: unknown };
  createdAt: string;
  /** `conflict`: the API refused it (the visit was cancelled meanwhile…); kept until the person has seen it. */
  state: 'waiting' | 'conflict';
  error?: { status: number; code: string; message: string };
}

/** What a run of sending did. */
export interface FlushResult {
  sent: number;
  conflicts: number;
  /** Left waiting because the network (or the API) is not there now. */
  waiting: number;
}

/**
 * Whether a failure means "try again later" rather than "refused": no network, the API unavailable or
 * busy, or the session over (the person signs in again and the change goes then).
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  const { status } = error;
  return error.code === NETWORK_ERROR || status === 0 || status === 401 || status === 429 || status >= 500;
}

/**
 * The desk's outbox: changes are kept on the device (in `storage`, under `key`) the moment they are
 * made and sent in the order they were made, one at a time. A change leaves the outbox only when the
 * API has taken it; a failure of the network leaves it and those after it for the next run; a refusal
 * (the visit was cancelled meanwhile, say) is kept as a conflict for the person to see — never dropped
 * silently. Every change carries its own idempotency key, so one sent again after a lost answer is
 * applied once.
 */
export class DeskOutbox {
  private readonly storage: Storage;
  private readonly key: string;
  private readonly send: (change: QueuedChange) => Promise<unknown>;
  private readonly listeners = new Set<() => void>();
  private running: Promise<FlushResult> | null = null;
  private changes: QueuedChange[];

  constructor(storage: Storage, key: string, send: (change: QueuedChange) => Promise<unknown>) {
    this.storage = storage;
    this.key = key;
    this.send = send;
    this.changes = this.read();
  }

  private read(): QueuedChange[] {
    try {
      const stored = JSON.parse(this.storage.getItem(this.key) ?? '[]');
      return Array.isArray(stored) ? (stored as QueuedChange[]) : [];
    } catch {
      return [];
    }
  }

  private write(): void {
    this.storage.setItem(this.key, JSON.stringify(this.changes));
    for (const listener of this.listeners) listener();
  }

  /** Every change not yet taken by the API, oldest first (waiting ones and conflicts). */
  list(): readonly QueuedChange[] {
    return this.changes;
  }

  /** Keeps a change to send; answers it as kept. */
  add(change: Omit<QueuedChange, 'state' | 'createdAt'> & { createdAt?: string }): QueuedChange {
    const kept: QueuedChange = { ...change, createdAt: change.createdAt ?? new Date().toISOString(), state: 'waiting' };
    this.changes = [...this.changes, kept];
    this.write();
    return kept;
  }

  /** The person has seen a conflict: it leaves the outbox. */
  dismiss(id: string): void {
    this.changes = this.changes.filter((c) => c.id !== id);
    this.write();
  }

  /** Called whenever the outbox changes. Answers how to stop listening. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends the waiting changes in order; concurrent calls share one run. */
  flush(): Promise<FlushResult> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, conflicts: 0, waiting: 0 };
    for (;;) {
      const next = this.changes.find((c) => c.state === 'waiting');
      if (!next) break;
      try {
        await this.send(next);
        this.changes = this.changes.filter((c) => c.id !== next.id);
        result.sent++;
        this.write();
      } catch (error) {
        if (isTransient(error)) break;
        const refused = error as ApiError;
        this.changes = this.changes.map((c) =>
          c.id === next.id
            ? {
                ...c,
                state: 'conflict',
                error: { status: refused.status, code: refused.code, message: refused.message },
              }
            : c,
        );
        result.conflicts++;
        this.write();
      }
    }
    result.waiting = this.changes.filter((c) => c.state === 'waiting').length;
    return result;
  }
}
