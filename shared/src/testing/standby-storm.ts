import { CentreDirectory } from '../centre-directory.ts';
import type { DomainEvent } from '../events.ts';
import type { Patient, Slot } from '../model.ts';
import type { Store, Transaction } from '../ports.ts';
import { PostalCodes } from '../postal-codes.ts';
import type { SmsPurpose } from '../sms.ts';
import type { StandbyEntry } from '../standby.ts';
import { toLocal } from '../time-zone.ts';
import { ActorPseudonyms } from '../use-cases/actor-pseudonyms.ts';
import { DEFAULT_SETTINGS, type Deps } from '../use-cases/deps.ts';
import { expireStandbyOffers, passStandbyOffer, runStandbyMatcher, takeStandbyOffer } from '../use-cases/standby.ts';
import { DEFAULT_SMS_SETTINGS, planMessagesFor, type SmsDeps } from '../use-cases/text-messages.ts';
import { VACCINES } from '../vaccines.ts';
import { aBirthYearRule, aCentre, FakeClock } from './builders.ts';
import { A_MONDAY_MORNING, plainIdentity, sequentialIds } from './memory-system.ts';

/**
 * A store to run the storm on, and how to close it. `seed`, when the store has a bulk path, writes the
 * people waiting and their entries (numbered in joining order) at once; without it each joins in a
 * transaction of its own that takes the store's next number, as a person joining does.
 */
export type StormStoreFactory = () => Promise<{
  store: Store;
  close(): Promise<void>;
  seed?(patients: readonly Patient[], entries: readonly StandbyEntry[]): Promise<void>;
}>;

/** What a storm saw: events by type, and what each round offered to whom (people by joining index). */
export interface StormReport {
  events: Record<string, number>;
  /** Per round, place index → person index of the offers it made. */
  rounds: Array<Map<number, number>>;
  /** The most open offers one person, one phone and one place held at once (each must be 1). */
  most: { perPerson: number; perPhone: number; perPlace: number };
  /** Places whose count of holds and visits exceeded their capacity (must be 0). */
  overbooked: number;
  /**
   * The texts the SMS planner put in the ledger, each event planned twice (delivery is at least once):
   * for offers, lapses and pauses, how many there were and how many have their text in the ledger
   * exactly once, to the phone the offer went to (the offer's naming the place's time).
   */
  sms: Record<'offered' | 'lapsed' | 'paused', { events: number; textedOnce: number }>;
  ms: number;
  /** Milliseconds per phase, in the order run: where a store spends the storm's time. */
  phases: Record<string, number>;
}

/** Wraps a store so that every committed event is seen (whichever store it is). */
function watched(store: Store, seen: DomainEvent[]): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key !== 'runInTransaction') return Reflect.get(target, key, receiver);
      return async <T>(fn: (tx: Transaction) => Promise<T>): Promise<T> => {
        let added: DomainEvent[] = [];
        const result = await target.runInTransaction((tx) => {
          added = [];
          const spy = new Proxy(tx, {
            get(t, k, r) {
              if (k === 'addEvent') {
                return (e: DomainEvent) => {
                  added.push(e);
                  t.addEvent(e);
                };
              }
              const value = Reflect.get(t, k, r);
              return typeof value === 'function' ? value.bind(t) : value;
            },
          });
          return fn(spy);
        });
        seen.push(...added);
        return result;
      };
    },
  });
}

/**
 * A cancellation storm on a fake clock: `places` freed places (one per slot) and `people` waiting who
 * all match every place. Round 1 offers place i to person i; round 2 lets every hold lapse (place i goes
 * to person places + i; the first half of round 1's people had one offer lapse before, so theirs pauses
 * them); round 3 half of those pass (their places go on) and half take; round 4 lets the passed-on holds
 * lapse. Checks after every run that no place is held twice and nobody (no phone) holds two offers, and
 * plans the texts of every run's events as the runtimes do (twice, as a redelivery would). Each phase's
 * time is in the report.
 */
export async function runStandbyStorm(
  open: StormStoreFactory,
  size: { people: number; places: number } = { people: 10_000, places: 1_000 },
): Promise<StormReport> {
  const started = Date.now();
  const phases: Record<string, number> = {};
  const timed = async <T>(phase: string, run: () => Promise<T>): Promise<T> => {
    const from = performance.now();
    try {
      return await run();
    } finally {
      phases[phase] = Math.round((phases[phase] ?? 0) + performance.now() - from);
    }
  };
  const { store: inner, close, seed } = await open();
  const seen: DomainEvent[] = [];
  const store = watched(inner, seen);
  const clock = new FakeClock(A_MONDAY_MORNING);
  const deps: Deps = {
    store,
    clock,
    ids: sequentialIds(),
    identity: plainIdentity,
    staffAccounts: { provision: async () => {}, revoke: async () => {} },
    vaccines: VACCINES,
    settings: DEFAULT_SETTINGS,
    pseudonyms: new ActorPseudonyms('standby-storm-pseudonyms'),
  };
  // The SMS planner works on the store itself: its own writes are not the storm's events.
  const sms: SmsDeps = {
    ...deps,
    store: inner,
    tasks: { schedule: async () => 'scheduled', cancel: async () => {} },
    sms: { send: async (message) => ({ providerId: `storm-${message.key}` }) },
    smsSettings: DEFAULT_SMS_SETTINGS,
    centres: new CentreDirectory(inner, clock, PostalCodes.fromRows([]), 0, 0),
  };
  try {
    const centre = aCentre({ id: 'storm-centre' });
    const at = clock.now().toISOString();
    const slots: Slot[] = Array.from({ length: size.places }, (_, i) => {
      const start = new Date(Date.parse('2026-01-13T07:00:00.000Z') + i * 60_000).toISOString();
      return {
        id: `storm-slot-${String(i).padStart(5, '0')}`,
        centreId: centre.id,
        vaccineId: 'comirnaty',
        start,
        end: new Date(Date.parse(start) + 5 * 60_000).toISOString(),
        localDate: '2026-01-13',
        capacity: 1,
        booked: 0,
      };
    });
    const followUp: Slot = {
      id: 'storm-follow-up',
      centreId: centre.id,
      vaccineId: 'comirnaty',
      start: '2026-02-06T08:00:00.000Z',
      end: '2026-02-06T16:00:00.000Z',
      localDate: '2026-02-06',
      capacity: size.places * 4,
      booked: 0,
    };
    await timed('places', () =>
      store.runInTransaction(async (tx) => {
        tx.putCentre(centre);
        tx.putEligibilityRule(aBirthYearRule(1970));
        for (const slot of [...slots, followUp]) tx.putSlot(slot);
      }),
    );
    const patients: Patient[] = Array.from({ length: size.people }, (_, i) => ({
      id: `storm-pat-${String(i).padStart(6, '0')}`,
      pesel: `5001010${String(i).padStart(4, '0')}`,
      givenName: 'Anna',
      familyName: 'Storm',
      birthDate: '1950-01-01',
      sex: 'female',
      phone: `+4860${String(i).padStart(7, '0')}`,
      language: 'pl',
      groups: [],
      createdAt: at,
    }));
    const entryOf = (patient: Patient, i: number, sequence: number): StandbyEntry => ({
      patientId: patient.id,
      sequence,
      joinedAt: at,
      channel: 'web',
      wishes: {
        from: '2026-01-12',
        to: '2026-02-10',
        postalCode: centre.address.postalCode,
        maxKm: 50,
        vaccineIds: null,
      },
      position: centre.location,
      dose: 1,
      appointmentId: null,
      phone: patient.phone,
      language: 'pl',
      status: 'waiting',
      offerId: null,
      silentOffers: i < size.places / 2 ? DEFAULT_SETTINGS.standby.silentOffersBeforePause - 1 : 0,
      updatedAt: at,
    });
    await timed('join', async () => {
      if (seed) {
        await seed(
          patients,
          patients.map((patient, i) => entryOf(patient, i, i + 1)),
        );
        return;
      }
      for (const [i, patient] of patients.entries()) {
        await store.runInTransaction(async (tx) => {
          const sequence = await tx.takeStandbySequence();
          tx.putPatient(patient);
          tx.putStandbyEntry(entryOf(patient, i, sequence));
        });
      }
    });
    const people = patients.map((patient) => patient.id);
    await timed('note places', () =>
      store.runInTransaction(async (tx) => {
        slots.forEach((slot, i) => {
          tx.putStandbyVacancy({
            slotId: slot.id,
            centreId: centre.id,
            vaccineId: slot.vaccineId,
            start: slot.start,
            localDate: slot.localDate,
            reason: 'freed',
            notedAt: new Date(Date.parse(at) + i).toISOString(),
          });
        });
      }),
    );

    const personIndex = new Map(people.map((id, i) => [id, i]));
    const placeIndex = new Map(slots.map((slot, i) => [slot.id, i]));
    const report: StormReport = {
      events: {},
      rounds: [],
      most: { perPerson: 0, perPhone: 0, perPlace: 0 },
      overbooked: 0,
      sms: {
        offered: { events: 0, textedOnce: 0 },
        lapsed: { events: 0, textedOnce: 0 },
        paused: { events: 0, textedOnce: 0 },
      },
      ms: 0,
      phases,
    };
    let counted = 0;
    const round = async (name: string, run: () => Promise<unknown>) => {
      await timed(name, run);
      const offers = new Map<number, number>();
      const fresh = seen.slice(counted);
      for (const e of fresh) {
        if (e.type === 'standby.offered') {
          offers.set(placeIndex.get(e.data.slotId) ?? -1, personIndex.get(e.data.patientId) ?? -1);
        }
      }
      await timed('texts', () => planTwice(sms, fresh));
      counted = seen.length;
      report.rounds.push(offers);
      await timed('checks', check);
    };
    const check = async () => {
      const open = await inner.listExpiredStandbyOffers('9999-12-31T00:00:00.000Z', size.places * 10);
      const tally = (keys: string[]) => {
        const counts = new Map<string, number>();
        for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
        return Math.max(0, ...counts.values());
      };
      report.most.perPerson = Math.max(report.most.perPerson, tally(open.map((o) => o.patientId)));
      report.most.perPhone = Math.max(report.most.perPhone, tally(open.flatMap((o) => (o.phone ? [o.phone] : []))));
      report.most.perPlace = Math.max(report.most.perPlace, tally(open.map((o) => o.slotId)));
      for (const slot of slots) {
        const now = await inner.getSlot(slot.id);
        if (now && now.booked > now.capacity) report.overbooked++;
      }
    };

    // 1: the matcher offers every place, twice at once (the second finds nothing left to offer).
    await round('1 offer', () => Promise.all([runStandbyMatcher(deps), runStandbyMatcher(deps)]));
    // 2: every hold lapses.
    clock.advanceMinutes(DEFAULT_SETTINGS.standby.holdMinutes + 1);
    await round('2 lapse', () => Promise.all([expireStandbyOffers(deps), expireStandbyOffers(deps)]));
    // 3: the first half of the new holders pass, the second half take.
    await round('3 pass and take', async () => {
      for (let i = 0; i < size.places; i++) {
        const patientId = people[size.places + i] as string;
        const entry = await inner.getStandbyEntry(patientId);
        if (!entry?.offerId) continue;
        const principal = { role: 'patient' as const, patientId };
        const input = { patientId, offerId: entry.offerId };
        if (i < size.places / 2) await passStandbyOffer(deps, principal, input);
        else await takeStandbyOffer(deps, principal, input);
      }
    });
    // 4: the passed-on holds lapse.
    clock.advanceMinutes(DEFAULT_SETTINGS.standby.holdMinutes + 1);
    await round('4 lapse again', () => expireStandbyOffers(deps));

    for (const e of seen) report.events[e.type] = (report.events[e.type] ?? 0) + 1;
    await timed('count texts', () => countTexts(inner, seen, report, centre.timeZone));
    report.ms = Date.now() - started;
    return report;
  } finally {
    await close();
  }
}

/** People whose events are planned at once, as the runtimes' consumers take deliveries side by side. */
const PLANNERS = 8;

/**
 * Plans the texts of a round's events as the runtimes do: each event twice (delivery is at least once),
 * one person's events in order and the second time after the first, different people's side by side.
 */
async function planTwice(sms: SmsDeps, events: readonly DomainEvent[]): Promise<void> {
  const byPerson = new Map<string, DomainEvent[]>();
  for (const e of events) {
    const data = e.data as { patientId?: unknown };
    const person = typeof data.patientId === 'string' ? data.patientId : e.id;
    byPerson.set(person, [...(byPerson.get(person) ?? []), e]);
  }
  const queue = [...byPerson.values()];
  const planner = async () => {
    for (let mine = queue.shift(); mine; mine = queue.shift()) {
      for (const e of [...mine, ...mine]) await planMessagesFor(sms, e);
    }
  };
  await Promise.all(Array.from({ length: PLANNERS }, planner));
}

/**
 * Counts, for each offer, lapse and pause among the events, the texts in the ledger meant for it: of its
 * purpose, to the phone its offer went to, and (for an offer) naming the place's time on the centre's clock.
 */
async function countTexts(
  store: Store,
  seen: readonly DomainEvent[],
  report: StormReport,
  timeZone: string,
): Promise<void> {
  const ledger = await store.listSmsMessages({ limit: 1_000_000 });
  const bodies = new Map<string, string[]>();
  for (const record of ledger) {
    const key = `${record.purpose}|${record.to}`;
    bodies.set(key, [...(bodies.get(key) ?? []), record.body]);
  }
  const phones = new Map<string, string | null>();
  const count = async (
    tally: { events: number; textedOnce: number },
    purpose: SmsPurpose,
    offerId: string,
    says: string,
  ) => {
    tally.events++;
    if (!phones.has(offerId)) phones.set(offerId, (await store.getStandbyOffer(offerId))?.phone ?? null);
    const phone = phones.get(offerId);
    const texts = (bodies.get(`${purpose}|${phone}`) ?? []).filter((body) => body.includes(says));
    if (texts.length === 1) tally.textedOnce++;
  };
  for (const e of seen) {
    if (e.type === 'standby.offered') {
      await count(report.sms.offered, 'standby_offer', e.data.offerId, toLocal(new Date(e.data.start), timeZone).time);
    } else if (e.type === 'standby.expired' && e.data.paused) {
      await count(report.sms.paused, 'standby_paused', e.data.offerId, '');
    } else if (e.type === 'standby.expired') {
      await count(report.sms.lapsed, 'standby_expired', e.data.offerId, '');
    }
  }
}
