import {
  type Actor,
  type AvailabilitySnapshot,
  addDays,
  type Centre,
  type DomainEvent,
  type EventData,
  type EventType,
  LOOKUP_REASONS,
  type LocalDate,
  type LookupBy,
  makeEvent,
  type Vaccine,
  type VisitFacts,
} from '@ereg/shared';
import { createRandom } from './demo-data.ts';

/** The seeded draws the history makes. */
interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

function createRng(seed: number): Rng {
  const next = createRandom(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  };
}

/**
 * Weeks of vaccination before today, for the reports to show on a system started with demo data (or,
 * larger, for the benchmark): people register, book through every channel (a two-dose course's second
 * visit booked with the first), come, miss or are turned away; centres publish places and agents look
 * people up; a snapshot of free places each morning. As in 2021, the oldest come first and younger
 * groups follow. These events go to the reports only (the analytics sink), never to the operational
 * store: they are the warehouse's past, not visits anyone can open.
 */
export interface ReportHistoryOptions {
  seed: number;
  /** Days before `today` to fill (today itself is left to the running system). */
  days: number;
  today: LocalDate;
  centres: readonly Centre[];
  vaccines: readonly Vaccine[];
  /** Visits a centre has on an average day. */
  visitsPerCentreDay: number;
}

/** How every id of the history begins: its events are told apart from the outbox's by it. */
export const HISTORY_PREFIX = 'hist-';

const WEB: Actor = { role: 'patient', id: 'self' };
const CHANNELS: readonly Actor[] = [
  WEB,
  WEB,
  WEB,
  WEB,
  WEB,
  WEB,
  { role: 'agent', id: 'agent-1' },
  { role: 'agent', id: 'agent-2' },
  { role: 'sms', id: 'sms' },
  { role: 'staff', id: 'desk' },
];
const SYSTEM: Actor = { role: 'system', id: 'demo-history' };
const STAFF: Actor = { role: 'staff', id: 'desk' };
const SMS: Actor = { role: 'system', id: 'sms-sender' };
const LOOKUP_BY: readonly LookupBy[] = ['pesel', 'pesel', 'reference', 'phone'];

/** The instant of a Warsaw wall-clock hour on a date (CET or CEST as the date's month says, near enough for history). */
function at(date: LocalDate, hour: number, minute = 0): Date {
  const month = Number(date.slice(5, 7));
  const offset = month >= 4 && month <= 10 ? 2 : 1;
  return new Date(Date.parse(`${date}T00:00:00Z`) + ((hour - offset) * 60 + minute) * 60_000);
}

/**
 * The history's events in the order they happened, one day after another. A generator, so that a
 * large history (the benchmark's month of a country) is written without holding it in memory.
 */
export function* reportHistory(options: ReportHistoryOptions): Generator<DomainEvent> {
  const rng = createRng(options.seed);
  let serial = 0;
  const id = (prefix: string) => `${HISTORY_PREFIX}${prefix}-${(serial++).toString(36)}`;
  const event = <T extends EventType>(type: T, when: Date, actor: Actor, subject: string, data: EventData<T>) =>
    makeEvent(id('evt'), type, when, actor, subject, data) as DomainEvent;
  const products = (centre: Centre) => options.vaccines.filter((v) => (centre.schedule.weekly.capacity[v.id] ?? 0) > 0);
  /** Second visits already booked, by the day they fall on. */
  const second = new Map<LocalDate, DomainEvent[]>();

  for (let back = options.days; back >= 1; back--) {
    const day = addDays(options.today, -back);
    // Week by week the policy opened to younger people: the oldest born first.
    const progress = 1 - back / options.days;
    const youngest = Math.round(1941 + 40 * progress);
    const today: DomainEvent[] = [];
    for (const centre of options.centres) {
      const offered = products(centre);
      if (offered.length === 0) continue;
      const visits = Math.max(1, Math.round(options.visitsPerCentreDay * (0.6 + 0.8 * rng.next())));
      today.push(
        event('slots.published', at(addDays(day, -14), 2), SYSTEM, centre.id, {
          centreId: centre.id,
          date: day,
          created: Math.ceil(visits * 1.25),
          resized: 0,
          removed: 0,
          cancelledAppointments: 0,
          capacity: Math.ceil(visits * 1.25),
        }),
      );
      for (let v = 0; v < visits; v++) {
        const vaccine = rng.pick(offered);
        const patientId = id('pat');
        const birthYear = rng.int(1921, youngest);
        const lead = rng.int(0, 14);
        const bookedOn = addDays(day, -lead);
        const channel = rng.pick(CHANNELS);
        const bookingId = id('bkg');
        today.push(
          event('patient.registered.v2', at(bookedOn, 8, rng.int(0, 59)), SYSTEM, patientId, {
            patientId,
            birthYear,
            sex: rng.next() < 0.55 ? 'female' : 'male',
          }),
        );
        const course = vaccine.doses > 1 ? [day, addDays(day, vaccine.minIntervalDays)] : [day];
        const facts = course.map((date, index) => ({
          appointmentId: id('apt'),
          patientId,
          vaccineId: vaccine.id,
          dose: index + 1,
          centreId: centre.id,
          slotId: id('slt'),
          start: at(date, 9, rng.int(0, 7) * 15).toISOString(),
          localDate: date,
        }));
        facts.forEach((visit, index) => {
          today.push(
            event('appointment.booked', at(bookedOn, 9, 30), channel, visit.appointmentId, {
              ...visit,
              bookingId,
              version: 1,
              autoBooked: index > 0,
            }),
          );
        });
        // The confirmation by text message, and the reminder the day before the first visit.
        const texts = [
          { purpose: 'booked' as const, key: `booked:${bookingId}`, sentAt: at(bookedOn, 9, 31) },
          ...(lead > 0
            ? [{ purpose: 'reminder' as const, key: `reminder:${bookingId}`, sentAt: at(addDays(day, -1), 17) }]
            : []),
        ];
        for (const text of texts) {
          const message = { purpose: text.purpose, attempts: 1, language: 'pl' as const };
          today.push(event('sms.status_changed', text.sentAt, SMS, text.key, { ...message, status: 'sent' }));
          const roll = rng.next();
          const status = roll < 0.95 ? 'delivered' : roll < 0.99 ? 'undelivered' : 'failed';
          today.push(
            event('sms.status_changed', new Date(text.sentAt.getTime() + 40_000), SMS, text.key, {
              ...message,
              status,
            }),
          );
        }
        today.push(outcome(facts[0] as (typeof facts)[number], rng, event));
        const later = facts[1];
        if (later) {
          const list = second.get(later.localDate) ?? [];
          list.push(outcome(later, rng, event));
          second.set(later.localDate, list);
        }
      }
    }
    // Agents' look-ups of the day.
    for (let k = 0; k < Math.ceil(options.centres.length / 4); k++) {
      today.push(
        event(
          'hotline.looked_up',
          at(day, rng.int(8, 19), rng.int(0, 59)),
          { role: 'agent', id: 'agent-1' },
          'agent-1',
          {
            by: rng.pick(LOOKUP_BY),
            reasonCode: rng.pick(LOOKUP_REASONS),
            found: rng.next() < 0.9 ? 1 : 0,
          },
        ),
      );
    }
    today.push(...(second.get(day) ?? []));
    second.delete(day);
    yield* today.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  }
}

/** What came of a visit: given (most), missed, or the person came but was not vaccinated. */
function outcome(
  visit: VisitFacts,
  rng: Rng,
  event: <T extends EventType>(type: T, when: Date, actor: Actor, subject: string, data: EventData<T>) => DomainEvent,
): DomainEvent {
  const roll = rng.next();
  const when = new Date(visit.start);
  if (roll < 0.88) {
    return event('appointment.completed', when, STAFF, visit.appointmentId, {
      ...visit,
      lot: 'DEMO-LOT',
      at: visit.start,
    });
  }
  if (roll < 0.96) {
    return event('appointment.no_show', at(visit.localDate, 20), SYSTEM, visit.appointmentId, {
      ...visit,
      automatic: true,
    });
  }
  return event('appointment.not_given', when, STAFF, visit.appointmentId, { ...visit, reasonCode: 'unwell' });
}

/** The mornings' snapshots of free places on the history's days: room soon at first, later sooner still. */
export function reportHistorySnapshots(options: ReportHistoryOptions): AvailabilitySnapshot[] {
  const rng = createRng(options.seed + 1);
  const snapshots: AvailabilitySnapshot[] = [];
  for (let back = options.days; back >= 1; back--) {
    const day = addDays(options.today, -back);
    for (const centre of options.centres) {
      for (const vaccine of options.vaccines) {
        const perDay = centre.schedule.weekly.capacity[vaccine.id] ?? 0;
        if (perDay === 0) continue;
        const published = perDay * 16 * 24;
        const booked = Math.round(published * (0.5 + 0.45 * rng.next()));
        const wait = Math.round((back / options.days) * 10 * rng.next());
        snapshots.push({
          date: day,
          centreId: centre.id,
          vaccineId: vaccine.id,
          published,
          booked,
          free: published - booked,
          free7: Math.round((published - booked) * 0.15),
          free14: Math.round((published - booked) * 0.4),
          firstFreeDate: published > booked ? addDays(day, wait) : null,
          takenAt: at(day, 1).toISOString(),
        });
      }
    }
  }
  return snapshots;
}
