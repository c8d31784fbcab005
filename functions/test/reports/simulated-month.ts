import {
  type Actor,
  type DomainEvent,
  type EventData,
  type EventType,
  type Language,
  LOOKUP_REASONS,
  type LookupBy,
  type LookupReason,
  makeEvent,
  type SmsOutcome,
  type SmsPurpose,
  VACCINES,
} from '@ereg/shared';
import type { CentreRow, PopulationRow, SnapshotRow, VaccineRow } from '../../src/reports/local-warehouse.ts';

/**
 * A month of a small country's vaccination, simulated: people register, book through each channel
 * (later doses booked along with the first), move and cancel visits, come or miss them; centres
 * publish places (some days twice), receive batches and waste doses; agents look people up; a snapshot
 * of free places is taken every day. It gives the events the system would write and, kept apart, a
 * ledger of what happened, from which a test computes each report's figures without SQL.
 */

/** A seeded generator, so that a failing month can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FIRST_DAY = '2021-03-01';
export const DAYS = 30;

/** The month's dates: day 0 is 1 March 2021. */
export const dateOf = (day: number): string => {
  const d = new Date(Date.UTC(2021, 2, 1 + day));
  return d.toISOString().slice(0, 10);
};

/**
 * The instant of a Warsaw wall-clock time in March 2021, worked out here from the rule (UTC+1 until
 * 28 March 01:00 UTC, UTC+2 after) rather than by the code under test.
 */
export function warsawInstant(date: string, hour: number, minute = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, hour, minute);
  const summer = asUtc - 2 * 3_600_000 >= Date.UTC(2021, 2, 28, 1);
  return new Date(asUtc - (summer ? 2 : 1) * 3_600_000).toISOString();
}

export interface SimCentre {
  id: string;
  voivodeship: string;
  powiat: string | null;
}

export const CENTRES: SimCentre[] = [
  { id: 'ctr-krk', voivodeship: '12', powiat: '1261' },
  { id: 'ctr-waw', voivodeship: '14', powiat: '1465' },
  { id: 'ctr-wro', voivodeship: '02', powiat: null },
];

export type Channel = 'web' | 'hotline' | 'sms' | 'centre' | 'system';
const ACTORS: Record<Exclude<Channel, 'system'>, Actor> = {
  web: { role: 'patient', id: 'self' },
  hotline: { role: 'agent', id: 'agt-1' },
  sms: { role: 'sms', id: 'sms' },
  centre: { role: 'staff', id: 'stf-1' },
};

export interface Person {
  id: string;
  birthYear: number;
  /** The day (Warsaw's) the person registered. */
  registeredOn: string;
  /** The priority groups the person holds at the end of the month (their latest change's set). */
  groups: string[];
}

/** A visit as the ledger keeps it: where and when it ended up, and what became of it. */
export interface Visit {
  appointmentId: string;
  person: Person;
  centre: SimCentre;
  vaccineId: string;
  dose: number;
  /** The recorded dose number when the staff recorded another. */
  doseGiven: number | null;
  bookedOn: string;
  channel: Channel;
  autoBooked: boolean;
  /** The visit's day as booked, and as it was when it ended (after a move). */
  firstDay: string;
  day: string;
  movedOn: { date: string; channel: Channel } | null;
  cancelledOn: { date: string; channel: Channel } | null;
  outcome: 'completed' | 'no_show' | 'not_given' | null;
  batchId: string | null;
}

/** A text message as the ledger keeps it: why it was sent, and on which days (Warsaw's) what became of it. */
export interface SimMessage {
  key: string;
  purpose: SmsPurpose;
  /** The day the provider accepted it; null when it never did. */
  sentOn: string | null;
  /** The provider's delivery report and the day it came; null when none came. */
  report: { status: 'delivered' | 'undelivered' | 'failed'; on: string } | null;
  /** The day the provider refused it for good. */
  rejectedOn: string | null;
  /** The day it was dropped, no longer true (its visit cancelled or moved). */
  skippedOn: string | null;
}

export interface Ledger {
  people: Person[];
  visits: Visit[];
  /** Places published per centre and day, as last published. */
  places: Map<string, number>;
  lookups: Array<{ date: string; reason: LookupReason; by: LookupBy; found: number }>;
  batches: Array<{ date: string; centre: SimCentre; vaccineId: string; batchId: string; doses: number }>;
  wasted: Array<{ date: string; centre: SimCentre; vaccineId: string; batchId: string; count: number }>;
  snapshots: SnapshotRow[];
  /** Text messages that were sent, refused or dropped in the month (none still waiting for its time). */
  messages: SimMessage[];
  population: PopulationRow[];
  vaccines: VaccineRow[];
  centres: CentreRow[];
}

export interface SimulatedMonth {
  /** The events in the order the system would have written them (by when they happened). */
  events: DomainEvent[];
  ledger: Ledger;
}

const LOOKUP_BY: readonly LookupBy[] = ['pesel', 'reference', 'phone'];
const BANDS = ['0-17', '18-24', '25-49', '50-59', '60-69', '70-79', '80+'];

export function simulateMonth(seed = 2021, people = 160): SimulatedMonth {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const timed: Array<{ at: string; event: DomainEvent }> = [];
  let n = 0;
  const add = <T extends EventType>(type: T, at: string, actor: Actor, subject: string, data: EventData<T>) => {
    n += 1;
    const event = makeEvent(`evt-${String(n).padStart(5, '0')}`, type, new Date(at), actor, subject, data);
    timed.push({ at, event: event as DomainEvent });
  };
  const system: Actor = { role: 'system', id: 'system' };
  const staff = ACTORS.centre;

  const ledger: Ledger = {
    people: [],
    visits: [],
    places: new Map(),
    lookups: [],
    batches: [],
    wasted: [],
    snapshots: [],
    messages: [],
    population: [],
    vaccines: VACCINES.map((v) => ({
      vaccine_id: v.id,
      name: v.name,
      manufacturer: v.manufacturer,
      doses: v.doses,
      min_interval_days: v.minIntervalDays,
      recommended_interval_days: null,
      max_interval_days: v.maxIntervalDays,
      min_age: v.minAgeYears,
      updated_at: '2021-02-01T00:00:00.000Z',
    })),
    centres: CENTRES.map((c) => ({
      centre_id: c.id,
      name: `Punkt ${c.id}`,
      town: c.id.slice(4),
      postal_code: '00-950',
      voivodeship: c.voivodeship,
      powiat: c.powiat,
      gmina: c.powiat ? `${c.powiat}011` : null,
      latitude: 52,
      longitude: 20,
      time_zone: 'Europe/Warsaw',
      updated_at: '2021-02-01T00:00:00.000Z',
    })),
  };
  for (const centre of CENTRES) {
    for (const band of BANDS) {
      ledger.population.push({
        voivodeship: centre.voivodeship,
        age_band: band,
        people: between(200, 2000),
        reference_date: '2020-12-31',
      });
    }
  }

  // People registered in February, some by the first version of the event (a birth date).
  // First, people either side of each age band's edge in 2021 (17 and 18, 24 and 25, …), each vaccinated.
  const edges = [18, 25, 50, 60, 70, 80].flatMap((age) => [2021 - age, 2021 - age + 1]);
  for (let i = 0; i < people; i++) {
    const birthYear = edges[i] ?? between(1921, 2006);
    const registeredOn = `2021-02-${String(between(1, 27)).padStart(2, '0')}`;
    const person: Person = { id: `pat-${i}`, birthYear, registeredOn, groups: [] };
    ledger.people.push(person);
    const at = warsawInstant(registeredOn, between(7, 21));
    if (i % 4 === 0) {
      add('patient.registered', at, system, person.id, {
        patientId: person.id,
        birthDate: `${person.birthYear}-0${between(1, 9)}-1${between(0, 9)}`,
        sex: 'female',
      });
    } else {
      add('patient.registered.v2', at, system, person.id, {
        patientId: person.id,
        birthYear: person.birthYear,
        sex: 'male',
      });
    }
  }

  // Places: each centre publishes every day of the month; some days again, with fewer places.
  for (const centre of CENTRES) {
    for (let day = 0; day < DAYS; day++) {
      const date = dateOf(day);
      const first = between(20, 40);
      const published = { centreId: centre.id, date, created: first, resized: 0, removed: 0, cancelledAppointments: 0 };
      add('slots.published', warsawInstant(dateOf(Math.max(0, day - 7)), 2), system, centre.id, {
        ...published,
        capacity: first,
      });
      let last = first;
      if (rnd() < 0.3) {
        last = first - between(1, 5);
        add('slots.published', warsawInstant(dateOf(Math.max(0, day - 3)), 2, 30), staff, centre.id, {
          ...published,
          capacity: last,
        });
      }
      ledger.places.set(`${centre.id}|${date}`, last);
    }
    // Batches on the first day, of every product; waste now and then.
    for (const vaccine of VACCINES) {
      const batchId = `bat-${centre.id}-${vaccine.id}`;
      const doses = between(100, 300);
      add('batch.added', warsawInstant(FIRST_DAY, 7), staff, batchId, {
        batchId,
        centreId: centre.id,
        vaccineId: vaccine.id,
        number: `FK${between(1000, 9999)}`,
        expiry: '2021-06-30',
        doses,
      });
      ledger.batches.push({ date: FIRST_DAY, centre, vaccineId: vaccine.id, batchId, doses });
      for (let k = 0; k < 3; k++) {
        if (rnd() < 0.5) continue;
        const date = dateOf(between(0, DAYS - 1));
        const count = between(1, 4);
        add('dose.wasted', warsawInstant(date, 19), staff, batchId, {
          batchId,
          centreId: centre.id,
          vaccineId: vaccine.id,
          count,
          reasonCode: 'broken',
          note: 'Fiolka pękła',
        });
        ledger.wasted.push({ date, centre, vaccineId: vaccine.id, batchId, count });
      }
    }
  }

  // Bookings, moves, cancellations and what came of each visit.
  let appointments = 0;
  const channels: Array<Exclude<Channel, 'system'>> = ['web', 'web', 'web', 'hotline', 'sms', 'centre'];
  for (const [i, person] of ledger.people.entries()) {
    const sure = i < edges.length;
    if (rnd() < 0.15 && !sure) continue;
    const vaccine = pick(VACCINES);
    const centre = pick(CENTRES);
    const bookedDay = between(0, DAYS - 5);
    const channel = pick(channels);
    // Now and then just after midnight: a booking at 00:30 in Warsaw is that day's, though UTC says the day before.
    const hour = rnd() < 0.15 ? 0 : between(8, 20);
    const bookedAt = warsawInstant(dateOf(bookedDay), hour, 30);
    const firstVisitDay = Math.min(bookedDay + between(0, 9), sure ? DAYS - 1 : DAYS + 9);
    const courseDays = [firstVisitDay];
    for (let dose = 2; dose <= vaccine.doses; dose++) courseDays.push(firstVisitDay + vaccine.minIntervalDays);
    const bookingId = `bkg-${person.id}`;
    courseDays.forEach((visitDay, index) => {
      appointments += 1;
      const visit: Visit = {
        appointmentId: `apt-${appointments}`,
        person,
        centre,
        vaccineId: vaccine.id,
        dose: index + 1,
        doseGiven: null,
        bookedOn: dateOf(bookedDay),
        channel,
        autoBooked: index > 0,
        firstDay: dateOf(visitDay),
        day: dateOf(visitDay),
        movedOn: null,
        cancelledOn: null,
        outcome: null,
        batchId: null,
      };
      ledger.visits.push(visit);
      add('appointment.booked', bookedAt, ACTORS[channel], visit.appointmentId, {
        ...facts(visit),
        bookingId,
        version: 1,
        autoBooked: visit.autoBooked,
      });
    });
    // The first visit's fate: moved, cancelled or kept; then its outcome if its day is in the month.
    const first = ledger.visits.at(-courseDays.length) as Visit;
    const fate = sure ? 1 : rnd();
    if (fate < 0.1 && first.firstDay > first.bookedOn) {
      const when = pick([first.bookedOn, dateOf(bookedDay + 1)].filter((d) => d <= first.firstDay));
      const by = pick(channels);
      first.cancelledOn = { date: when, channel: by };
      add('appointment.cancelled', warsawInstant(when, 21), ACTORS[by], first.appointmentId, {
        ...facts(first),
        bookingId,
        version: 2,
        reason: 'Pacjent prosi o odwołanie',
        reasonCode: 'requested',
        cascade: false,
      });
      continue;
    }
    if (fate < 0.2) {
      const by = pick(channels);
      const to = firstVisitDay + between(1, 3);
      const movedOn = first.bookedOn;
      first.movedOn = { date: movedOn, channel: by };
      const from = {
        centreId: centre.id,
        slotId: 'slt-a',
        start: warsawInstant(first.firstDay, 9),
        localDate: first.firstDay,
      };
      first.day = dateOf(to);
      add('appointment.rescheduled', warsawInstant(movedOn, 22), ACTORS[by], first.appointmentId, {
        appointmentId: first.appointmentId,
        bookingId,
        patientId: person.id,
        vaccineId: vaccine.id,
        dose: 1,
        version: 2,
        from,
        to: { centreId: centre.id, slotId: 'slt-b', start: warsawInstant(first.day, 9), localDate: first.day },
      });
    }
    for (const visit of ledger.visits.slice(-courseDays.length)) {
      if (visit.day > dateOf(DAYS - 1)) continue;
      const roll = sure ? 0 : rnd();
      const visitAt = warsawInstant(visit.day, 10);
      if (roll < 0.7) {
        visit.outcome = 'completed';
        visit.batchId = rnd() < 0.8 ? `bat-${centre.id}-${vaccine.id}` : null;
        // Now and then the staff record another dose number than the course's.
        visit.doseGiven = rnd() < 0.05 ? visit.dose + 1 : null;
        add('appointment.completed', visitAt, staff, visit.appointmentId, {
          ...facts(visit),
          lot: 'FK1234',
          at: visitAt,
          ...(visit.batchId ? { batchId: visit.batchId } : {}),
          ...(visit.doseGiven ? { doseGiven: visit.doseGiven } : {}),
        });
      } else if (roll < 0.85) {
        visit.outcome = 'no_show';
        add('appointment.no_show', warsawInstant(visit.day, 20), system, visit.appointmentId, facts(visit));
      } else {
        visit.outcome = 'not_given';
        add('appointment.not_given', visitAt, staff, visit.appointmentId, {
          ...facts(visit),
          reasonCode: 'unwell',
        });
      }
    }
  }

  // Agents' look-ups.
  for (let k = 0; k < 60; k++) {
    const lookup = {
      date: dateOf(between(0, DAYS - 1)),
      reason: pick(LOOKUP_REASONS),
      by: pick(LOOKUP_BY),
      found: rnd() < 0.2 ? 0 : 1,
    };
    ledger.lookups.push(lookup);
    add('hotline.looked_up', warsawInstant(lookup.date, between(8, 19)), ACTORS.hotline, 'agt-1', {
      by: lookup.by,
      reasonCode: lookup.reason,
      found: lookup.found,
    });
  }

  // A snapshot of free places every day, per centre and product.
  for (let day = 0; day < DAYS; day++) {
    for (const centre of CENTRES) {
      for (const vaccine of VACCINES) {
        const published = between(50, 300);
        const booked = between(0, published);
        const free = published - booked;
        ledger.snapshots.push({
          snapshot_date: dateOf(day),
          centre_id: centre.id,
          vaccine_id: vaccine.id,
          places_published: published,
          places_booked: booked,
          places_free: free,
          first_free_date: free > 0 && rnd() < 0.9 ? dateOf(day + between(0, 20)) : null,
          taken_at: warsawInstant(dateOf(day), 1),
          places_free_7d: Math.floor(free / 4),
          places_free_14d: Math.floor(free / 2),
        });
      }
    }
  }

  // Text messages, from a generator of their own so that the rest of the month stays as it was.
  for (const message of textMessages(ledger, random(seed + 1))) {
    ledger.messages.push(message.kept);
    for (const step of message.steps) {
      add('sms.status_changed', warsawInstant(step.date, step.hour, step.minute), step.actor, message.kept.key, {
        purpose: message.kept.purpose,
        status: step.status,
        attempts: message.attempts,
        language: message.language,
      });
    }
  }

  // Priority groups, from a generator of their own: some people referred once, some twice (the second
  // change replacing the set), a few referred and then taken out of every group.
  const groupsRnd = random(seed + 2);
  const admin: Actor = { role: 'admin', id: 'admin-1' };
  const sets = [['medical'], ['teachers'], ['medical', 'teachers'], ['uniformed']];
  for (const person of ledger.people) {
    if (groupsRnd() < 0.75) continue;
    const changes = groupsRnd() < 0.3 ? 2 : 1;
    let day = Math.floor(groupsRnd() * (DAYS - 6));
    for (let k = 0; k < changes; k++) {
      const groups = groupsRnd() < 0.25 && k > 0 ? [] : (sets[Math.floor(groupsRnd() * sets.length)] as string[]);
      day += k * (1 + Math.floor(groupsRnd() * 5));
      const date = dateOf(day);
      add('patient.groups_changed', warsawInstant(date, 9 + k), admin, person.id, { patientId: person.id, groups });
      person.groups = groups;
    }
  }

  timed.sort((a, b) => a.at.localeCompare(b.at));
  return { events: timed.map((t) => t.event), ledger };
}

const SMS_SENDER: Actor = { role: 'system', id: 'sms-sender' };
const SMS_REPORTS: Actor = { role: 'system', id: 'sms-delivery-report' };
const SMS_PLANNER: Actor = { role: 'system', id: 'sms-planner' };

/** A Warsaw wall-clock moment of the month. */
interface Moment {
  date: string;
  hour: number;
  minute: number;
}

interface SimulatedMessage {
  kept: SimMessage;
  language: Language;
  attempts: number;
  steps: Array<Moment & { status: SmsOutcome; actor: Actor }>;
}

const dayAfter = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const dayBefore = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * The messages of the month's bookings: each booking's confirmation (at once, or at 08:00 after a
 * night booking), a text booking's replies and the notice to the person's own phone, the reminder at
 * 17:00 the day before each visit, and a move's or a cancellation's message (at 08:00 the next day,
 * after the evening's quiet hours), the reminder of a visit moved or cancelled before it dropped. Each
 * message sent is refused now and then, and otherwise reported delivered, undelivered, failed or not
 * at all, sometimes only the next morning (the phone was off).
 */
function textMessages(ledger: Ledger, rnd: () => number): SimulatedMessage[] {
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const last = dateOf(DAYS - 1);
  const messages: SimulatedMessage[] = [];
  const send = (key: string, purpose: SmsPurpose, at: Moment, language: Language) => {
    if (at.date > last) return; // still waiting for its time
    const kept: SimMessage = { key, purpose, sentOn: null, report: null, rejectedOn: null, skippedOn: null };
    const message: SimulatedMessage = { kept, language, attempts: rnd() < 0.05 ? 2 : 1, steps: [] };
    messages.push(message);
    if (rnd() < 0.04) {
      kept.rejectedOn = at.date;
      message.steps.push({ ...at, status: 'rejected', actor: SMS_SENDER });
      return;
    }
    kept.sentOn = at.date;
    message.steps.push({ ...at, status: 'sent', actor: SMS_SENDER });
    const roll = rnd();
    const status = roll < 0.72 ? 'delivered' : roll < 0.82 ? 'undelivered' : roll < 0.88 ? 'failed' : null;
    if (!status) return;
    const nextMorning = rnd() < 0.2 && dayAfter(at.date) <= last;
    const on: Moment = nextMorning
      ? { date: dayAfter(at.date), hour: 7, minute: between(0, 59) }
      : { ...at, minute: at.minute + 1 };
    kept.report = { status, on: on.date };
    message.steps.push({ ...on, status, actor: SMS_REPORTS });
  };
  const skip = (key: string, purpose: SmsPurpose, at: Moment, language: Language) => {
    if (at.date > last) return;
    const kept: SimMessage = { key, purpose, sentOn: null, report: null, rejectedOn: null, skippedOn: at.date };
    messages.push({ kept, language, attempts: 0, steps: [{ ...at, status: 'skipped', actor: SMS_PLANNER }] });
  };

  const bookings = new Map<string, Visit[]>();
  for (const visit of ledger.visits) bookings.set(visit.person.id, [...(bookings.get(visit.person.id) ?? []), visit]);
  for (const [personId, visits] of bookings) {
    const first = visits[0] as Visit;
    const language: Language = rnd() < 0.8 ? 'pl' : rnd() < 0.5 ? 'uk' : 'en';
    const at: Moment = { date: first.bookedOn, hour: between(8, 20), minute: between(0, 58) };
    if (first.channel === 'sms') {
      for (let k = 0; k < 3; k++) send(`reply:SM-${personId}-${k}`, 'reply', { ...at, minute: k }, language);
      if (rnd() < 0.5) send(`booked_by_text:bkg-${personId}`, 'booked_by_text', at, language);
    }
    send(`booked:bkg-${personId}`, 'booked', at, language);
    for (const visit of visits) {
      const reminderOf = (day: string): Moment => ({ date: dayBefore(day), hour: 17, minute: 0 });
      // A visit booked for the next day gets its confirmation only.
      const planned = dayBefore(visit.firstDay) > visit.bookedOn;
      const reminder = `reminder:${visit.appointmentId}:1`;
      const changed = visit.cancelledOn ?? visit.movedOn;
      if (!changed) {
        if (planned) send(reminder, 'reminder', reminderOf(visit.day), language);
        continue;
      }
      // Changed in the evening (21:00 or 22:00): the reminder still due was dropped then; one already
      // sent that afternoon stays sent. The change is told the next morning.
      if (planned && changed.date < dayBefore(visit.firstDay)) {
        skip(reminder, 'reminder', { date: changed.date, hour: 22, minute: 30 }, language);
      } else if (planned) {
        send(reminder, 'reminder', reminderOf(visit.firstDay), language);
      }
      const told: Moment = { date: dayAfter(changed.date), hour: 8, minute: 0 };
      if (visit.cancelledOn) {
        send(`cancelled:${visit.appointmentId}:2`, 'cancelled', told, language);
      } else {
        send(`moved:${visit.appointmentId}:2`, 'moved', told, language);
        // The new day's reminder, unless its time had passed when the visit moved.
        if (dayBefore(visit.day) > changed.date) {
          send(`reminder:${visit.appointmentId}:2`, 'reminder', reminderOf(visit.day), language);
        }
      }
    }
  }
  return messages;
}

function facts(visit: Visit) {
  return {
    appointmentId: visit.appointmentId,
    patientId: visit.person.id,
    vaccineId: visit.vaccineId,
    dose: visit.dose,
    centreId: visit.centre.id,
    slotId: `slt-${visit.appointmentId}`,
    start: warsawInstant(visit.day, 10),
    localDate: visit.day,
  };
}
