/**
 * Work to run later (an SMS reminder the day before a visit), identified by a name the caller derives
 * from what the task is about — appointment id, purpose and version — so that scheduling the same task
 * twice, after a retry or a duplicate event, leaves one task.
 */
export interface ScheduledTask {
  /** Unique per task and stable across retries: letters, digits, `-` and `_` (Cloud Tasks' rule). */
  name: string;
  /** When the task should run. */
  at: Date;
  /** What the handler receives, as JSON. */
  payload: Record<string, unknown>;
}

/** Schedules named tasks; a name already scheduled answers 'exists' and changes nothing. */
export interface TaskQueue {
  schedule(task: ScheduledTask): Promise<'scheduled' | 'exists'>;
  /** Removes a task that has not run; a task that is unknown or already gone is not an error. */
  cancel(name: string): Promise<void>;
}
