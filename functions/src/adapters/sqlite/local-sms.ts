import type { StatementSync } from 'node:sqlite';
import { type Clock, type Instant, type SmsMessage, type SmsSender, smsRejected } from '@ereg/shared';
import type { SqliteStore } from './sqlite-store.ts';

/** A message as a phone received it (table `sms_phone`). */
export interface ReceivedMessage {
  id: number;
  /** The ledger key it was sent under. */
  key: string;
  to: string;
  body: string;
  sentAt: Instant;
}

/** One text of a conversation with a phone number: `out` to the phone, `in` from it. */
export interface ConversationEntry {
  direction: 'in' | 'out';
  id: number;
  body: string;
  at: Instant;
  /** The ledger key of a message sent; null for a text received. */
  key: string | null;
}

/** What Twilio accepts as a recipient: E.164. */
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The embedded default's SMS provider: instead of a network, two tables of the store's database —
 * `sms_phone`, what the phones received, and `sms_inbound`, the texts the local phone page sent in —
 * which that page shows. Like Twilio, it refuses a recipient that is not an E.164 number (code 21211)
 * and sends again when called again: once-only sending is the message ledger's job.
 */
export class LocalSms implements SmsSender {
  private readonly clock: Clock;
  private readonly serialize: <T>(fn: () => T) => Promise<T>;
  private readonly st: Record<'send' | 'inbound' | 'newest' | 'newestTo' | 'conversation', StatementSync>;

  /** Writes go through the store's `exclusive`, so they never land inside another request's unit of work. */
  constructor(store: SqliteStore, clock: Clock) {
    this.clock = clock;
    this.serialize = (fn) => store.exclusive(fn);
    const db = store.db;
    this.st = {
      send: db.prepare('INSERT INTO sms_phone (key, to_phone, body, sent_at) VALUES (?, ?, ?, ?)'),
      inbound: db.prepare('INSERT INTO sms_inbound (from_phone, body, received_at) VALUES (?, ?, ?)'),
      newest: db.prepare('SELECT * FROM sms_phone ORDER BY sent_at DESC, id DESC LIMIT ?'),
      newestTo: db.prepare('SELECT * FROM sms_phone WHERE to_phone = ? ORDER BY sent_at DESC, id DESC LIMIT ?'),
      // At one instant a text received comes before a message sent: a reply follows what it answers.
      conversation: db.prepare(
        `SELECT direction, id, key, body, at FROM (
           SELECT 'out' AS direction, id, key, body, sent_at AS at FROM sms_phone WHERE to_phone = :phone
           UNION ALL
           SELECT 'in' AS direction, id, NULL AS key, body, received_at AS at FROM sms_inbound WHERE from_phone = :phone)
         ORDER BY at DESC, direction DESC, id DESC LIMIT :limit`,
      ),
    };
  }

  async send(message: SmsMessage): Promise<{ providerId: string }> {
    if (!E164.test(message.to)) {
      throw smsRejected(message.key, '21211', `The 'To' number ${message.to} is not a valid phone number.`);
    }
    const sentAt = this.clock.now().toISOString();
    const { lastInsertRowid } = await this.serialize(() =>
      this.st.send.run(message.key, message.to, message.body, sentAt),
    );
    return { providerId: `local-${lastInsertRowid}` };
  }

  /** What the phones received, newest first; only the phone `to` when given. */
  async listReceived(to?: string, limit = 50): Promise<ReceivedMessage[]> {
    if (limit <= 0) return [];
    const rows = (to === undefined ? this.st.newest.all(limit) : this.st.newestTo.all(to, limit)) as Array<{
      id: number;
      key: string;
      to_phone: string;
      body: string;
      sent_at: string;
    }>;
    return rows.map((row) => ({ id: row.id, key: row.key, to: row.to_phone, body: row.body, sentAt: row.sent_at }));
  }

  /** Records a text that a phone sent in (the local phone page); answers its id. */
  async recordInbound(text: { from: string; body: string }): Promise<number> {
    const receivedAt = this.clock.now().toISOString();
    const { lastInsertRowid } = await this.serialize(() => this.st.inbound.run(text.from, text.body, receivedAt));
    return Number(lastInsertRowid);
  }

  /** The last `limit` texts between us and a phone number, both directions, oldest first. */
  async conversation(phone: string, limit = 50): Promise<ConversationEntry[]> {
    if (limit <= 0) return [];
    const rows = this.st.conversation.all({ phone, limit }) as unknown as ConversationEntry[];
    return rows
      .map((row) => ({ direction: row.direction, id: row.id, body: row.body, at: row.at, key: row.key }))
      .reverse();
  }
}
