import type { Slot } from '@ereg/shared';
// The standby list's port and records (shared/src, where the stores' port is declared).
import type { Store, Transaction } from '../../../shared/src/ports.ts';
import type { StandbyEntry, StandbyOffer, StandbyVacancy } from '../../../shared/src/standby.ts';

const JOINED = '2026-01-12T07:00:00.000Z';

const anEntry = (patientId: string, overrides: Partial<StandbyEntry> = {}): StandbyEntry => ({
  patientId,
  sequence: 1,
  joinedAt: JOINED,
  channel: 'web',
  wishes: { from: '2026-01-13', to: '2026-02-28', postalCode: '00-950', maxKm: 30, vaccineIds: null },
  position: { lat: 52.2297, lon: 21.0122 },
  dose: 1,
  appointmentId: null,
  phone: '+48600100200',
  language: 'pl',
  status: 'waiting',
  offerId: null,
  silentOffers: 0,
  updatedAt: JOINED,
  ...overrides,
});

const anOffer = (id: string, overrides: Partial<StandbyOffer> = {}): StandbyOffer => ({
  id,
  patientId: 'p-1',
  slotId: 's-1',
  centreId: 'c-k',
  vaccineId: 'comirnaty',
  start: '2026-01-14T08:00:00.000Z',
  localDate: '2026-01-14',
  reason: 'freed',
  phone: '+48600100200',
  offeredAt: '2026-01-12T08:00:00.000Z',
  expiresAt: '2026-01-12T08:30:00.000Z',
  status: 'open',
  decidedAt: null,
  appointmentId: null,
  ...overrides,
});

const aVacancy = (slotId: string, overrides: Partial<StandbyVacancy> = {}): StandbyVacancy => ({
  slotId,
  centreId: 'c-k',
  vaccineId: 'comirnaty',
  start: '2026-01-14T08:00:00.000Z',
  localDate: '2026-01-14',
  reason: 'freed',
  notedAt: '2026-01-12T08:00:00.000Z',
  ...overrides,
});

const aSlot = (id: string, capacity: number): Slot => ({
  id,
  centreId: 'c-k',
  vaccineId: 'comirnaty',
  start: '2026-01-14T08:00:00.000Z',
  end: '2026-01-14T08:15:00.000Z',
  localDate: '2026-01-14',
  capacity,
  booked: 0,
});

export interface StandbyContractOptions {
  /** Units taking a joining number at once. */
  joins: number;
  /** Units holding a place at once (the matcher's transaction), over 20 slots of 5 places. */
  holds: number;
}

/** A unit that lost every round to others (Firestore's CONTENDED): it wrote nothing, which is allowed. */
const contended = (error: unknown): boolean => (error as { code?: unknown }).code === 'CONTENDED';

/**
 * The standby list's records, the same on every store: one entry per person, offers and noted places
 * replaced by a second write, the lists the matcher, the expiry run and a text reply read (each in its
 * order, filtered and limited), writes seen only once their unit commits, and joining numbers never
 * handed out twice however many joins run at once.
 */
export function describeStandbyStoreContract(
  name: string,
  open: () => Promise<{ store: Store; close(): Promise<void> }>,
  options: StandbyContractOptions,
): void {
  describe(`Store contract, the standby list: ${name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    // A store each: the lists read the whole standby list.
    beforeEach(async () => {
      ({ store, close } = await open());
    });
    afterEach(async () => close?.());
    const vacancyOf = (slotId: string) => store.runInTransaction((tx) => tx.getStandbyVacancy(slotId));

    test('keeps one entry per person, a second write replacing the first', async () => {
      await store.runInTransaction(async (tx) => {
        expect(await tx.getStandbyEntry('p-1')).toBeNull();
        tx.putStandbyEntry(anEntry('p-1'));
        tx.putStandbyEntry(anEntry('p-2', { sequence: 2, phone: null, channel: 'phone' }));
      });
      const offered = anEntry('p-1', { status: 'offered', offerId: 'o-1', updatedAt: '2026-01-12T08:00:00.000Z' });
      await store.runInTransaction(async (tx) => {
        expect(await tx.getStandbyEntry('p-1')).toEqual(anEntry('p-1'));
        tx.putStandbyEntry(offered);
      });
      expect(await store.getStandbyEntry('p-1')).toEqual(offered);
      expect(await store.getStandbyEntry('p-2')).toEqual(
        anEntry('p-2', { sequence: 2, phone: null, channel: 'phone' }),
      );
      expect(await store.getStandbyEntry('p-3')).toBeNull();
      expect(await store.listStandbyEntries({ status: 'waiting', afterSequence: 0, limit: 10 })).toEqual([
        anEntry('p-2', { sequence: 2, phone: null, channel: 'phone' }),
      ]);
      expect(await store.listStandbyEntries({ status: 'offered', afterSequence: 0, limit: 10 })).toEqual([offered]);
    });

    test('keeps offers by id, a second write replacing the first', async () => {
      const taken = anOffer('o-1', {
        status: 'taken',
        decidedAt: '2026-01-12T08:05:00.000Z',
        appointmentId: 'a-9',
      });
      await store.runInTransaction(async (tx) => {
        expect(await tx.getStandbyOffer('o-1')).toBeNull();
        tx.putStandbyOffer(anOffer('o-1'));
      });
      expect(await store.getStandbyOffer('o-1')).toEqual(anOffer('o-1'));
      await store.runInTransaction(async (tx) => {
        expect(await tx.getStandbyOffer('o-1')).toEqual(anOffer('o-1'));
        tx.putStandbyOffer(taken);
      });
      expect(await store.getStandbyOffer('o-1')).toEqual(taken);
      expect(await store.getStandbyOffer('o-2')).toBeNull();
      // The offer is no longer open: neither the expiry run nor a reply from the phone finds it.
      expect(await store.listExpiredStandbyOffers('2026-01-12T09:00:00.000Z', 10)).toEqual([]);
      expect(await store.listOpenStandbyOffersOfPhone('+48600100200')).toEqual([]);
      expect(await store.listStandbyOffersOfPatient('p-1', 10)).toEqual([taken]);
    });

    test('keeps one note per slot, a second note replacing the first, and drops a note', async () => {
      await store.runInTransaction(async (tx) => {
        expect(await tx.getStandbyVacancy('s-1')).toBeNull();
        tx.putStandbyVacancy(aVacancy('s-1'));
        tx.putStandbyVacancy(aVacancy('s-2'));
      });
      const wasted = aVacancy('s-1', { reason: 'would_be_wasted', notedAt: '2026-01-12T09:00:00.000Z' });
      await store.runInTransaction(async (tx) => {
        expect(await tx.getStandbyVacancy('s-1')).toEqual(aVacancy('s-1'));
        tx.putStandbyVacancy(wasted);
      });
      expect(await vacancyOf('s-1')).toEqual(wasted);
      expect((await store.listStandbyVacancies(10)).map((v) => v.slotId)).toEqual(['s-2', 's-1']);
      await store.runInTransaction(async (tx) => {
        tx.deleteStandbyVacancy('s-2');
        tx.deleteStandbyVacancy('s-never-noted');
      });
      expect(await vacancyOf('s-2')).toBeNull();
      expect(await store.listStandbyVacancies(10)).toEqual([wasted]);
    });

    test('lists entries of one status in joining order, after a number, at most a limit', async () => {
      await store.runInTransaction(async (tx) => {
        tx.putStandbyEntry(anEntry('p-5', { sequence: 5 }));
        tx.putStandbyEntry(anEntry('p-1', { sequence: 1 }));
        tx.putStandbyEntry(anEntry('p-12', { sequence: 12 }));
        tx.putStandbyEntry(anEntry('p-3', { sequence: 3, status: 'paused' }));
        tx.putStandbyEntry(anEntry('p-2', { sequence: 2 }));
        tx.putStandbyEntry(anEntry('p-7', { sequence: 7, status: 'offered', offerId: 'o-7' }));
        tx.putStandbyEntry(anEntry('p-9', { sequence: 9, status: 'left' }));
      });
      const waiting = (afterSequence: number, limit: number) =>
        store
          .listStandbyEntries({ status: 'waiting', afterSequence, limit })
          .then((entries) => entries.map((e) => e.sequence));
      expect(await waiting(0, 10)).toEqual([1, 2, 5, 12]);
      expect(await waiting(0, 2)).toEqual([1, 2]);
      expect(await waiting(2, 2)).toEqual([5, 12]);
      expect(await waiting(5, 10)).toEqual([12]);
      expect(await waiting(12, 10)).toEqual([]);
      expect(await waiting(0, 0)).toEqual([]);
      expect(
        (await store.listStandbyEntries({ status: 'paused', afterSequence: 0, limit: 10 })).map((e) => e.patientId),
      ).toEqual(['p-3']);
      expect(await store.listStandbyEntries({ status: 'placed', afterSequence: 0, limit: 10 })).toEqual([]);
    });

    test('counts the people still waiting or holding an offer who joined before a number', async () => {
      expect(await store.countStandbyAhead(100)).toBe(0);
      await store.runInTransaction(async (tx) => {
        tx.putStandbyEntry(anEntry('p-1', { sequence: 1 }));
        tx.putStandbyEntry(anEntry('p-2', { sequence: 2, status: 'offered', offerId: 'o-2' }));
        tx.putStandbyEntry(anEntry('p-3', { sequence: 3, status: 'placed' }));
        tx.putStandbyEntry(anEntry('p-4', { sequence: 4, status: 'paused' }));
        tx.putStandbyEntry(anEntry('p-5', { sequence: 5, status: 'left' }));
        tx.putStandbyEntry(anEntry('p-6', { sequence: 6 }));
        tx.putStandbyEntry(anEntry('p-8', { sequence: 8 }));
      });
      expect(await store.countStandbyAhead(1)).toBe(0);
      expect(await store.countStandbyAhead(2)).toBe(1);
      expect(await store.countStandbyAhead(6)).toBe(2);
      expect(await store.countStandbyAhead(7)).toBe(3);
      expect(await store.countStandbyAhead(8)).toBe(3);
      expect(await store.countStandbyAhead(9)).toBe(4);
    });

    test('lists noted places oldest note first, then by slot, at most a limit', async () => {
      await store.runInTransaction(async (tx) => {
        tx.putStandbyVacancy(aVacancy('s-c', { notedAt: '2026-01-12T08:00:00.000Z' }));
        tx.putStandbyVacancy(aVacancy('s-a', { notedAt: '2026-01-12T09:00:00.000Z' }));
        tx.putStandbyVacancy(aVacancy('s-b', { notedAt: '2026-01-12T08:00:00.000Z' }));
        tx.putStandbyVacancy(aVacancy('s-d', { notedAt: '2026-01-12T07:59:59.999Z' }));
      });
      expect((await store.listStandbyVacancies(10)).map((v) => v.slotId)).toEqual(['s-d', 's-b', 's-c', 's-a']);
      expect((await store.listStandbyVacancies(2)).map((v) => v.slotId)).toEqual(['s-d', 's-b']);
      expect(await store.listStandbyVacancies(0)).toEqual([]);
    });

    test('lists open offers whose hold ended at or before a moment, by their end then id, at most a limit', async () => {
      await store.runInTransaction(async (tx) => {
        tx.putStandbyOffer(anOffer('o-b', { expiresAt: '2026-01-12T08:30:00.000Z' }));
        tx.putStandbyOffer(anOffer('o-a', { expiresAt: '2026-01-12T08:30:00.000Z' }));
        tx.putStandbyOffer(anOffer('o-early', { expiresAt: '2026-01-12T08:20:00.000Z' }));
        tx.putStandbyOffer(anOffer('o-late', { expiresAt: '2026-01-12T08:40:00.000Z' }));
        tx.putStandbyOffer(anOffer('o-declined', { expiresAt: '2026-01-12T08:10:00.000Z', status: 'declined' }));
        tx.putStandbyOffer(anOffer('o-expired', { expiresAt: '2026-01-12T08:10:00.000Z', status: 'expired' }));
      });
      const expired = (at: string, limit: number) =>
        store.listExpiredStandbyOffers(at, limit).then((offers) => offers.map((o) => o.id));
      expect(await expired('2026-01-12T08:19:59.999Z', 10)).toEqual([]);
      expect(await expired('2026-01-12T08:20:00.000Z', 10)).toEqual(['o-early']);
      expect(await expired('2026-01-12T08:30:00.000Z', 10)).toEqual(['o-early', 'o-a', 'o-b']);
      expect(await expired('2026-01-12T08:30:00.000Z', 2)).toEqual(['o-early', 'o-a']);
      expect(await expired('2026-01-12T09:00:00.000Z', 10)).toEqual(['o-early', 'o-a', 'o-b', 'o-late']);
      expect(await expired('2026-01-12T09:00:00.000Z', 0)).toEqual([]);
    });

    test("lists the open offers texted to a phone, newest first, and none of another phone's", async () => {
      const phone = '+48600100200';
      await store.runInTransaction(async (tx) => {
        tx.putStandbyOffer(anOffer('o-1', { phone, offeredAt: '2026-01-12T08:00:00.000Z' }));
        tx.putStandbyOffer(anOffer('o-2', { phone, offeredAt: '2026-01-12T09:00:00.000Z', patientId: 'p-2' }));
        tx.putStandbyOffer(anOffer('o-3', { phone, offeredAt: '2026-01-12T10:00:00.000Z', status: 'expired' }));
        tx.putStandbyOffer(anOffer('o-4', { phone: '+48600100201', offeredAt: '2026-01-12T09:30:00.000Z' }));
        tx.putStandbyOffer(anOffer('o-5', { phone: null, offeredAt: '2026-01-12T09:45:00.000Z' }));
      });
      expect((await store.listOpenStandbyOffersOfPhone(phone)).map((o) => o.id)).toEqual(['o-2', 'o-1']);
      expect((await store.listOpenStandbyOffersOfPhone('+48600100201')).map((o) => o.id)).toEqual(['o-4']);
      expect(await store.listOpenStandbyOffersOfPhone('+48600100999')).toEqual([]);
    });

    test("lists a person's offers newest first, then by id from the last, at most a limit", async () => {
      await store.runInTransaction(async (tx) => {
        tx.putStandbyOffer(anOffer('o-1', { offeredAt: '2026-01-10T08:00:00.000Z', status: 'declined' }));
        tx.putStandbyOffer(anOffer('o-3', { offeredAt: '2026-01-11T08:00:00.000Z', status: 'expired' }));
        tx.putStandbyOffer(anOffer('o-2', { offeredAt: '2026-01-11T08:00:00.000Z', status: 'expired' }));
        tx.putStandbyOffer(anOffer('o-4', { offeredAt: '2026-01-12T08:00:00.000Z' }));
        tx.putStandbyOffer(anOffer('o-other', { patientId: 'p-2', offeredAt: '2026-01-12T09:00:00.000Z' }));
      });
      const ofPatient = (patientId: string, limit: number) =>
        store.listStandbyOffersOfPatient(patientId, limit).then((offers) => offers.map((o) => o.id));
      expect(await ofPatient('p-1', 10)).toEqual(['o-4', 'o-3', 'o-2', 'o-1']);
      expect(await ofPatient('p-1', 2)).toEqual(['o-4', 'o-3']);
      expect(await ofPatient('p-1', 0)).toEqual([]);
      expect(await ofPatient('p-2', 10)).toEqual(['o-other']);
      expect(await ofPatient('p-3', 10)).toEqual([]);
    });

    test('shows a unit’s writes to nobody before it commits, and none of a unit that fails', async () => {
      let wrote!: () => void;
      const written = new Promise<void>((resolve) => {
        wrote = resolve;
      });
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const unit = store.runInTransaction(async (tx) => {
        await tx.getStandbyEntry('p-1');
        tx.putStandbyEntry(anEntry('p-1'));
        tx.putStandbyOffer(anOffer('o-1'));
        tx.putStandbyVacancy(aVacancy('s-1'));
        wrote();
        await finished;
      });
      await written;
      expect(await store.getStandbyEntry('p-1')).toBeNull();
      expect(await store.getStandbyOffer('o-1')).toBeNull();
      // Plain reads only: a unit would wait for the one under way.
      expect(await store.listStandbyVacancies(10)).toEqual([]);
      expect(await store.listStandbyEntries({ status: 'waiting', afterSequence: 0, limit: 10 })).toEqual([]);
      finish();
      await unit;
      expect(await store.getStandbyEntry('p-1')).toEqual(anEntry('p-1'));
      expect(await store.getStandbyOffer('o-1')).toEqual(anOffer('o-1'));
      expect(await vacancyOf('s-1')).toEqual(aVacancy('s-1'));

      await expect(
        store.runInTransaction(async (tx) => {
          tx.putStandbyEntry(anEntry('p-2', { sequence: 2 }));
          tx.putStandbyOffer(anOffer('o-1', { status: 'taken' }));
          tx.deleteStandbyVacancy('s-1');
          throw new Error('the offer could not be made');
        }),
      ).rejects.toThrow('the offer could not be made');
      expect(await store.getStandbyEntry('p-2')).toBeNull();
      expect(await store.getStandbyOffer('o-1')).toEqual(anOffer('o-1'));
      expect(await vacancyOf('s-1')).toEqual(aVacancy('s-1'));
    });

    test('refuses a read after a write, and after the joining number, which writes its counter', async () => {
      const refusals: Array<(tx: Transaction) => Promise<unknown>> = [
        (tx: Transaction) => {
          tx.putStandbyEntry(anEntry('p-1'));
          return tx.getStandbyEntry('p-1');
        },
        (tx: Transaction) => {
          tx.putStandbyVacancy(aVacancy('s-1'));
          return tx.getStandbyOffer('o-1');
        },
        (tx: Transaction) => {
          tx.deleteStandbyVacancy('s-1');
          return tx.getStandbyVacancy('s-1');
        },
        (tx: Transaction) => {
          tx.putStandbyOffer(anOffer('o-1'));
          return tx.takeStandbySequence();
        },
        async (tx: Transaction) => {
          await tx.takeStandbySequence();
          return tx.getStandbyEntry('p-1');
        },
      ];
      for (const unit of refusals) {
        await expect(store.runInTransaction((tx) => unit(tx))).rejects.toThrow(/reads before/);
      }
      expect(await store.getStandbyEntry('p-1')).toBeNull();
      expect(await vacancyOf('s-1')).toBeNull();
      expect(await store.getStandbyOffer('o-1')).toBeNull();
    });

    test('hands out joining numbers once each, even to joins at the same moment', async () => {
      const joins = Array.from({ length: options.joins }, (_, i) => `p-${i}`);
      const numbers = await Promise.all(
        joins.map((patientId) =>
          store.runInTransaction(async (tx) => {
            if (await tx.getStandbyEntry(patientId)) throw new Error(`${patientId} joined twice`);
            const sequence = await tx.takeStandbySequence();
            tx.putStandbyEntry(anEntry(patientId, { sequence }));
            return sequence;
          }),
        ),
      );
      expect(new Set(numbers).size).toBe(options.joins);
      expect(numbers.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
      const line = await store.listStandbyEntries({ status: 'waiting', afterSequence: 0, limit: options.joins + 1 });
      expect(line.map((e) => e.sequence)).toEqual([...numbers].sort((a, b) => a - b));
      const later = await store.runInTransaction((tx) => tx.takeStandbySequence());
      expect(numbers).not.toContain(later);
      expect(later).toBeGreaterThanOrEqual(1);
    });

    test('holds places within each slot’s capacity and one open offer per person when holds run at once', async () => {
      const slots = Array.from({ length: 20 }, (_, i) => aSlot(`s-${i}`, 5));
      // More holds than people, more people than places: both the slot and the entry are contended.
      const people = Array.from({ length: Math.ceil(options.holds * 0.6) }, (_, i) =>
        anEntry(`p-${i}`, { sequence: i + 1, phone: `+48600${String(100000 + i)}` }),
      );
      await store.runInTransaction(async (tx) => {
        for (const slot of slots) tx.putSlot(slot);
        for (const entry of people) tx.putStandbyEntry(entry);
      });
      // Consecutive holds share a slot; hold i and hold i + people share a person, in another slot.
      const perSlot = Math.ceil(options.holds / slots.length);
      const hold = (i: number) =>
        store.runInTransaction(async (tx) => {
          const slotId = `s-${Math.floor(i / perSlot) % slots.length}`;
          const patientId = `p-${i % people.length}`;
          const slot = await tx.getSlot(slotId);
          const entry = await tx.getStandbyEntry(patientId);
          if (!slot || !entry) throw new Error(`${slotId} or ${patientId} is missing`);
          if (slot.booked >= slot.capacity || entry.status !== 'waiting') return false;
          const offerId = `o-${i}`;
          tx.putSlot({ ...slot, booked: slot.booked + 1 });
          tx.putStandbyOffer(anOffer(offerId, { patientId, slotId, phone: entry.phone }));
          tx.putStandbyEntry({ ...entry, status: 'offered', offerId });
          return true;
        });
      const outcomes = await Promise.allSettled(Array.from({ length: options.holds }, (_, i) => hold(i)));
      const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
      expect(failed.filter((reason) => !contended(reason))).toEqual([]);
      const held = outcomes.filter((o) => o.status === 'fulfilled' && o.value).length;
      expect(held).toBeGreaterThan(0);

      const booked = await Promise.all(slots.map(async (s) => (await store.getSlot(s.id))?.booked ?? -1));
      expect(Math.max(...booked)).toBeLessThanOrEqual(5);
      expect(Math.min(...booked)).toBeGreaterThanOrEqual(0);
      let open = 0;
      for (const person of people) {
        const offers = (await store.listStandbyOffersOfPatient(person.patientId, 10)).filter(
          (o) => o.status === 'open',
        );
        expect(offers.length).toBeLessThanOrEqual(1);
        const entry = await store.getStandbyEntry(person.patientId);
        expect(entry?.offerId ?? null).toBe(offers[0]?.id ?? null);
        expect(entry?.status).toBe(offers.length === 1 ? 'offered' : 'waiting');
        if (person.phone) expect((await store.listOpenStandbyOffersOfPhone(person.phone)).length).toBe(offers.length);
        open += offers.length;
      }
      // Every hold counted in its slot once: no place lost, none counted twice.
      expect(booked.reduce((a, b) => a + b, 0)).toBe(held);
      expect(open).toBe(held);
      // With nothing contended away, the places or the people ran out.
      if (failed.length === 0) expect(held).toBe(Math.min(5 * slots.length, people.length));
    });
  });
}
