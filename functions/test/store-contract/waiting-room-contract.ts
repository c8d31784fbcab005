import type { QueueRoom, QueueTicket, Store } from '@ereg/shared';

const OPENS_AT = '2026-03-02T19:00:00.000Z';

const aRoom = (id: string): QueueRoom => ({
  id,
  opensAt: OPENS_AT,
  opensDoorsAt: '2026-03-02T18:30:00.000Z',
  closesAt: '2026-03-03T01:00:00.000Z',
  admittedThrough: 0,
  shuffled: false,
  earlyCount: 0,
  control: { ratePerSecond: null, carry: 0, lastTickAt: null },
  closedAt: null,
});

const aTicket = (roomId: string, patientId: string, overrides: Partial<QueueTicket> = {}): QueueTicket => ({
  roomId,
  patientId,
  arrivedAt: '2026-03-02T18:40:00.000Z',
  drawKey: 'a000',
  sequence: null,
  position: null,
  admittedAt: null,
  expiresAt: null,
  smsWhenTurn: false,
  status: 'waiting',
  ...overrides,
});

/**
 * The waiting room's records, the same on every store: one ticket per room and person, tickets found
 * unplaced by arrival, by position range and by an admission that ran out, and arrival numbers that are
 * never handed out twice, however many joins run at once.
 */
export function describeWaitingRoomStoreContract(
  name: string,
  open: () => Promise<{ store: Store; close(): Promise<void> }>,
): void {
  describe(`Store contract, the waiting room: ${name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => close?.());

    test('keeps a room and one ticket per room and person, a second write replacing the first', async () => {
      await store.runInTransaction(async (tx) => {
        expect(await tx.getQueueRoom('room-a')).toBeNull();
        expect(await tx.getQueueTicket('room-a', 'pat-1')).toBeNull();
        tx.putQueueRoom(aRoom('room-a'));
        tx.putQueueTicket(aTicket('room-a', 'pat-1'));
        tx.putQueueTicket(aTicket('room-b', 'pat-1', { drawKey: 'b000' }));
      });
      await store.runInTransaction(async (tx) => {
        tx.putQueueTicket(aTicket('room-a', 'pat-1', { smsWhenTurn: true }));
        tx.putQueueRoom({ ...aRoom('room-a'), admittedThrough: 4 });
      });
      expect(await store.getQueueRoom('room-a')).toEqual({ ...aRoom('room-a'), admittedThrough: 4 });
      expect(await store.getQueueTicket('room-a', 'pat-1')).toEqual(aTicket('room-a', 'pat-1', { smsWhenTurn: true }));
      expect(await store.getQueueTicket('room-b', 'pat-1')).toEqual(aTicket('room-b', 'pat-1', { drawKey: 'b000' }));
      expect(await store.getQueueTicket('room-a', 'pat-2')).toBeNull();
      expect(await store.runInTransaction((tx) => tx.getQueueTicket('room-a', 'pat-1'))).toMatchObject({
        smsWhenTurn: true,
      });
    });

    test('keeps the free places a room counted, and reads a room stored without them as having none', async () => {
      const counted = { ...aRoom('room-f'), freePlaces: 1234, freePlacesAt: '2026-03-02T19:00:30.000Z' };
      await store.runInTransaction(async (tx) => {
        tx.putQueueRoom(aRoom('room-g'));
        tx.putQueueRoom(counted);
      });
      expect(await store.getQueueRoom('room-f')).toEqual(counted);
      const before = await store.getQueueRoom('room-g');
      expect(before?.freePlaces ?? null).toBeNull();
      expect(before?.freePlacesAt ?? null).toBeNull();
    });

    test('lists unplaced tickets by arrival, placed ones by position range, and admissions that ran out', async () => {
      const room = 'room-lists';
      await store.runInTransaction(async (tx) => {
        tx.putQueueTicket(aTicket(room, 'late', { arrivedAt: '2026-03-02T18:50:00.000Z' }));
        tx.putQueueTicket(aTicket(room, 'early', { arrivedAt: '2026-03-02T18:35:00.000Z' }));
        tx.putQueueTicket(aTicket(room, 'p1', { position: 1, drawKey: null, sequence: 1 }));
        tx.putQueueTicket(aTicket(room, 'p3', { position: 3, drawKey: null, sequence: 3 }));
        tx.putQueueTicket(
          aTicket(room, 'p2', {
            position: 2,
            status: 'admitted',
            admittedAt: '2026-03-02T19:00:00.000Z',
            expiresAt: '2026-03-02T19:10:00.000Z',
          }),
        );
        tx.putQueueTicket(
          aTicket(room, 'p4', {
            position: 4,
            status: 'admitted',
            admittedAt: '2026-03-02T19:05:00.000Z',
            expiresAt: '2026-03-02T19:15:00.000Z',
          }),
        );
        tx.putQueueTicket(aTicket('room-other', 'stranger', { position: 2 }));
      });
      expect((await store.listUnplacedQueueTickets(room, 10)).map((t) => t.patientId)).toEqual(['early', 'late']);
      expect((await store.listUnplacedQueueTickets(room, 1)).map((t) => t.patientId)).toEqual(['early']);
      expect(await store.listUnplacedQueueTickets(room, 0)).toEqual([]);
      expect((await store.listQueueTicketsByPosition(room, 2, 3)).map((t) => t.patientId)).toEqual(['p2', 'p3']);
      expect((await store.listQueueTicketsByPosition(room, 1, 10)).map((t) => t.position)).toEqual([1, 2, 3, 4]);
      expect(await store.listQueueTicketsByPosition(room, 5, 10)).toEqual([]);
      expect(
        (await store.listExpiredQueueTickets(room, '2026-03-02T19:10:00.000Z', 10)).map((t) => t.patientId),
      ).toEqual(['p2']);
      expect(
        (await store.listExpiredQueueTickets(room, '2026-03-02T19:20:00.000Z', 10)).map((t) => t.patientId),
      ).toEqual(['p2', 'p4']);
      expect(await store.listExpiredQueueTickets(room, '2026-03-02T19:09:59.999Z', 10)).toEqual([]);
    });

    test('hands out arrival numbers once each, even to joins at the same moment, and knows the last one', async () => {
      const room = 'room-rush';
      expect(await store.lastQueueSequence(room)).toBe(0);
      const numbers = await Promise.all(
        Array.from({ length: 40 }, () => store.runInTransaction((tx) => tx.takeQueueSequence(room))),
      );
      expect(new Set(numbers).size).toBe(40);
      expect(numbers.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
      expect(await store.lastQueueSequence(room)).toBe(Math.max(...numbers));
      expect(await store.lastQueueSequence('room-quiet')).toBe(0);
    });

    test('takes an arrival number only with the unit that took it', async () => {
      const room = 'room-undone';
      await expect(
        store.runInTransaction(async (tx) => {
          await tx.takeQueueSequence(room);
          throw new Error('the join failed');
        }),
      ).rejects.toThrow('the join failed');
      expect(await store.lastQueueSequence(room)).toBe(0);
    });
  });
}
