import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { isSmsRejected } from '@ereg/shared';
import { LocalSms } from '../../src/adapters/sqlite/local-sms.ts';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { FakeClock } from '../support/builders.ts';

const T0 = '2026-01-12T07:00:00.000Z';
const ANNA = '+48600100200';
const JAN = '+48600100300';

let dir: string;
let db: DatabaseSync;
let store: SqliteStore;
let clock: FakeClock;
let sms: LocalSms;

function open(): void {
  db = new DatabaseSync(join(dir, 'ereg.sqlite'));
  prepareDatabase(db);
  store = new SqliteStore(db);
  sms = new LocalSms(store, clock);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ereg-sms-'));
  clock = new FakeClock(T0);
  open();
});

afterEach(async () => {
  await store.flush();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const minutes = (n: number) => new Date(Date.parse(T0) + n * 60_000).toISOString();

describe('the local SMS sender', () => {
  test('a message sent lands on the phone, answered with a local provider id', async () => {
    const { providerId } = await sms.send({ key: 'booked:apt_1', to: ANNA, body: 'Zarezerwowano wizytę.' });
    const received = await sms.listReceived(ANNA);
    expect(received).toEqual([
      { id: expect.any(Number), key: 'booked:apt_1', to: ANNA, body: 'Zarezerwowano wizytę.', sentAt: T0 },
    ]);
    expect(providerId).toBe(`local-${received[0]?.id}`);
  });

  test('lists what the phones received, newest first, for one number or all, up to the limit', async () => {
    await sms.send({ key: 'booked:apt_1', to: ANNA, body: 'a1' });
    clock.set(minutes(1));
    await sms.send({ key: 'booked:apt_2', to: JAN, body: 'j1' });
    clock.set(minutes(2));
    await sms.send({ key: 'reminder:apt_1:1', to: ANNA, body: 'a2' });
    const bodies = (list: Array<{ body: string }>) => list.map((m) => m.body);
    expect(bodies(await sms.listReceived())).toEqual(['a2', 'j1', 'a1']);
    expect(bodies(await sms.listReceived(ANNA))).toEqual(['a2', 'a1']);
    expect(bodies(await sms.listReceived(undefined, 2))).toEqual(['a2', 'j1']);
    expect(bodies(await sms.listReceived(JAN, 0))).toEqual([]);
    expect(await sms.listReceived('+48600100999')).toEqual([]);
  });

  test('sends again when called again with the same key: once-only sending is the ledger’s job', async () => {
    const first = await sms.send({ key: 'booked:apt_1', to: ANNA, body: 'x' });
    const second = await sms.send({ key: 'booked:apt_1', to: ANNA, body: 'x' });
    expect(second.providerId).not.toBe(first.providerId);
    expect(await sms.listReceived(ANNA)).toHaveLength(2);
  });

  test('refuses a number that is not E.164 for good, as Twilio does, and no phone receives it', async () => {
    const error = await sms.send({ key: 'booked:apt_9', to: '600100200', body: 'x' }).catch((e: unknown) => e);
    expect(isSmsRejected(error)).toBe(true);
    expect(error).toMatchObject({ key: 'booked:apt_9', providerCode: '21211' });
    expect(await sms.listReceived()).toEqual([]);
  });

  test('a conversation shows both directions in time order, the latest ones when limited', async () => {
    await sms.send({ key: 'booked:apt_1', to: ANNA, body: 'Zarezerwowano.' });
    clock.set(minutes(5));
    const inbound = await sms.recordInbound({ from: ANNA, body: 'ZMIEN' });
    // The reply goes out at the same instant as the text it answers, and still follows it.
    await sms.send({ key: `reply:${inbound}`, to: ANNA, body: 'Proponujemy wtorek 09:00. TAK/NIE?' });
    await sms.send({ key: 'booked:apt_2', to: JAN, body: 'not Anna’s' });
    await sms.recordInbound({ from: JAN, body: 'not Anna’s either' });
    clock.set(minutes(6));
    const second = await sms.recordInbound({ from: ANNA, body: 'TAK' });
    expect(second).toBeGreaterThan(inbound);

    const talk = await sms.conversation(ANNA);
    expect(talk.map((t) => [t.direction, t.body, t.at])).toEqual([
      ['out', 'Zarezerwowano.', T0],
      ['in', 'ZMIEN', minutes(5)],
      ['out', 'Proponujemy wtorek 09:00. TAK/NIE?', minutes(5)],
      ['in', 'TAK', minutes(6)],
    ]);
    expect(talk.map((t) => t.key)).toEqual(['booked:apt_1', null, `reply:${inbound}`, null]);
    expect(talk[1]?.id).toBe(inbound);
    expect((await sms.conversation(ANNA, 2)).map((t) => t.body)).toEqual(['Proponujemy wtorek 09:00. TAK/NIE?', 'TAK']);
    expect(await sms.conversation('+48600100999')).toEqual([]);
  });

  test('what the phones received and sent survives a restart', async () => {
    await sms.send({ key: 'booked:apt_1', to: ANNA, body: 'before' });
    clock.set(minutes(1));
    await sms.recordInbound({ from: ANNA, body: 'TAK' });
    await store.flush();
    db.close();
    open();
    expect((await sms.conversation(ANNA)).map((t) => t.body)).toEqual(['before', 'TAK']);
  });

  test('a message sent while a unit of work is in progress is not rolled back with it', async () => {
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
        await tx.getSmsSession(ANNA);
        inside();
        await gate;
        throw new Error('the unit fails');
      })
      .catch((error: unknown) => error);
    await unitStarted;
    const sent = sms.send({ key: 'reply:1', to: ANNA, body: 'kept' });
    const recorded = sms.recordInbound({ from: ANNA, body: 'kept too' });
    release();
    expect(await unit).toEqual(new Error('the unit fails'));
    await Promise.all([sent, recorded]);
    expect((await sms.conversation(ANNA)).map((t) => t.body).sort()).toEqual(['kept', 'kept too']);
  });
});
