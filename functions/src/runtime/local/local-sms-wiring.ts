import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { deliverMessage, type SmsDeps } from '@ereg/shared';

/** The local task runner's handler: send one message (planning is the outbox's SMS planner's). */
export async function runLocalSmsTask(deps: SmsDeps, payload: Record<string, unknown>): Promise<void> {
  if (typeof payload.key !== 'string') throw new Error(`A task without a message key: ${JSON.stringify(payload)}`);
  await deliverMessage(deps, { key: payload.key, hop: typeof payload.hop === 'number' ? payload.hop : 0 });
}

const TOKEN_KEY = 'sms.localAuthToken';

/** The auth token the local phone signs its webhook requests with, as Twilio signs with the account's. */
export function loadOrCreateSmsToken(db: DatabaseSync): string {
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(TOKEN_KEY, randomBytes(24).toString('hex'));
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(TOKEN_KEY) as { value: string }).value;
}
