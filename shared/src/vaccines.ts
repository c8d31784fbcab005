import { conflict, invalid } from './errors.ts';
import type { AppointmentStatus, Instant, Vaccine } from './model.ts';

/**
 * The COVID-19 vaccines authorised in Poland in 2021, with the intervals of their summaries of product
 * characteristics: the catalogue a store starts with (vaccine-catalogue.ts), which administrators then edit.
 */
export const VACCINES: readonly Vaccine[] = [
  {
    id: 'comirnaty',
    name: 'Comirnaty',
    manufacturer: 'Pfizer-BioNTech',
    platform: 'mRNA',
    doses: 2,
    minIntervalDays: 21,
    maxIntervalDays: 42,
    minAgeYears: 12,
    recommendedIntervalDays: 21,
    usableAsBooster: true,
    mayFollow: ['comirnaty', 'spikevax', 'vaxzevria', 'jcovden'],
  },
  {
    id: 'spikevax',
    name: 'Spikevax',
    manufacturer: 'Moderna',
    platform: 'mRNA',
    doses: 2,
    minIntervalDays: 28,
    maxIntervalDays: 42,
    minAgeYears: 12,
    recommendedIntervalDays: 28,
    usableAsBooster: true,
    mayFollow: ['comirnaty', 'spikevax', 'vaxzevria', 'jcovden'],
  },
  {
    id: 'vaxzevria',
    name: 'Vaxzevria',
    manufacturer: 'AstraZeneca',
    platform: 'vector',
    doses: 2,
    minIntervalDays: 28,
    maxIntervalDays: 84,
    minAgeYears: 18,
    recommendedIntervalDays: 84,
    usableAsBooster: false,
    mayFollow: [],
  },
  {
    id: 'jcovden',
    name: 'COVID-19 Vaccine Janssen',
    manufacturer: 'Johnson & Johnson',
    platform: 'vector',
    doses: 1,
    minIntervalDays: 0,
    maxIntervalDays: 0,
    minAgeYears: 18,
    recommendedIntervalDays: 0,
    usableAsBooster: false,
    mayFollow: [],
  },
];

/** A booster no sooner than five months after the last dose of the primary course. */
export const BOOSTER_MIN_DAYS = 150;

const DAY_MS = 24 * 60 * 60 * 1000;

const addDays = (instant: Instant, days: number): Instant =>
  new Date(Date.parse(instant) + days * DAY_MS).toISOString();

/** Looks a product up by id; an unknown id is the caller's input error, so it names `field`. */
export function findVaccine(catalogue: readonly Vaccine[], id: string, field = 'vaccineId'): Vaccine {
  const vaccine = catalogue.find((candidate) => candidate.id === id);
  if (!vaccine) throw invalid('UNKNOWN_VACCINE', `There is no vaccine with id "${id}".`, field);
  return vaccine;
}

/** One of a person's appointments, as far as course planning cares. */
export type DoseRecord = { dose: number; vaccineId: string; status: AppointmentStatus; start: Instant };

/** The dose a person may book next: which products, and between which instants (null = unbounded). */
export type NextDose = {
  dose: number;
  kind: 'primary' | 'booster';
  vaccineIds: string[];
  earliest: Instant | null;
  latest: Instant | null;
};

/** A window in which a dose may start; a null bound is open. */
export type DoseWindow = { earliest: Instant | null; latest: Instant | null };

/** The booster window opens BOOSTER_MIN_DAYS after the course's last dose and never closes. */
export function boosterWindow(lastDoseStart: Instant): DoseWindow {
  return { earliest: addDays(lastDoseStart, BOOSTER_MIN_DAYS), latest: null };
}

/**
 * Window for the dose that follows one of `vaccine` given at `previousDoseStart` (null: nothing to follow, so
 * no window). A single-dose product has no next primary dose, so what follows it is the booster.
 */
export function doseWindow(vaccine: Vaccine, previousDoseStart: Instant | null): DoseWindow {
  if (previousDoseStart === null) return { earliest: null, latest: null };
  if (vaccine.doses <= 1) return boosterWindow(previousDoseStart);
  return {
    earliest: addDays(previousDoseStart, vaccine.minIntervalDays),
    latest: addDays(previousDoseStart, vaccine.maxIntervalDays),
  };
}

/**
 * Where a course's next dose is looked for when a dose of `vaccine` is booked in `slot`: a free slot of
 * the same centre and product starting in [from, to) (to null: no bound). The rule booking applies, and
 * what the published availability applies to say whether a first dose can be completed.
 */
export function followUpRange(
  vaccine: Vaccine,
  slot: { start: Instant; end: Instant },
): { from: Instant; to: Instant | null } {
  const window = doseWindow(vaccine, slot.start);
  return {
    from: window.earliest ?? slot.end,
    to: window.latest ? new Date(Date.parse(window.latest) + 1).toISOString() : null,
  };
}

/** Whether a dose starting at `start` respects the window, both bounds included. */
export function isWithinWindow(start: Instant, window: DoseWindow): boolean {
  const at = Date.parse(start);
  if (window.earliest !== null && at < Date.parse(window.earliest)) return false;
  if (window.latest !== null && at > Date.parse(window.latest)) return false;
  return true;
}

/** Whether a product may be given as a booster after a primary course of `courseId`. */
export function mayBoost(vaccine: Vaccine, courseId: string): boolean {
  return vaccine.usableAsBooster && !vaccine.withdrawn && vaccine.mayFollow.includes(courseId);
}

/** Among duplicate records of one dose, the completed one is what happened; otherwise the latest booking. */
const preferred = (a: DoseRecord, b: DoseRecord): DoseRecord => {
  if ((a.status === 'completed') !== (b.status === 'completed')) return a.status === 'completed' ? a : b;
  return Date.parse(b.start) > Date.parse(a.start) ? b : a;
};

/**
 * Works out the next dose from a person's appointments: same product within its interval for the primary
 * course, then one booster. Throws a conflict when there is nothing left to book.
 */
export function planNextDose(history: readonly DoseRecord[], catalogue: readonly Vaccine[]): NextDose {
  // Cancelled and missed appointments are as if they never existed: the dose can be booked again.
  const byDose = new Map<number, DoseRecord>();
  for (const record of history) {
    if (record.status !== 'booked' && record.status !== 'completed') continue;
    const seen = byDose.get(record.dose);
    byDose.set(record.dose, seen ? preferred(seen, record) : record);
  }
  const doses = [...byDose.keys()].sort((a, b) => a - b);
  const first = byDose.get(doses[0] ?? 0);
  const last = byDose.get(doses.at(-1) ?? 0);
  if (!first || !last) {
    return {
      dose: 1,
      kind: 'primary',
      vaccineIds: catalogue.filter((vaccine) => !vaccine.withdrawn).map((vaccine) => vaccine.id),
      earliest: null,
      latest: null,
    };
  }

  // The course's product comes from its first dose: a booster may be a different product.
  const course = findVaccine(catalogue, first.vaccineId);
  const k = last.dose;
  if (k < course.doses) {
    return { dose: k + 1, kind: 'primary', vaccineIds: [course.id], ...doseWindow(course, last.start) };
  }
  if (k === course.doses) {
    for (let dose = 1; dose <= course.doses; dose++) {
      if (byDose.get(dose)?.status !== 'completed') {
        throw conflict(
          'ALREADY_BOOKED',
          'You already have your vaccination course booked; a booster can be booked once all its doses are given.',
          { dose },
        );
      }
    }
    return {
      dose: k + 1,
      kind: 'booster',
      vaccineIds: catalogue.filter((vaccine) => mayBoost(vaccine, course.id)).map((vaccine) => vaccine.id),
      ...boosterWindow(last.start),
    };
  }
  if (last.status === 'booked') {
    throw conflict('ALREADY_BOOKED', 'You already have your booster booked.', { dose: k });
  }
  throw conflict(
    'COURSE_COMPLETE',
    'You have completed your vaccination course and booster; there is nothing more to book.',
    {
      dose: k,
    },
  );
}
