import { conflict, invalid } from '../errors.ts';
import { makeEvent } from '../events.ts';
import type { Appointment, Centre, Instant, Patient, Vaccine } from '../model.ts';
import { ageOn } from '../pesel.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { readCatalogue } from '../vaccine-catalogue.ts';
import { type DoseRecord, doseWindow, isWithinWindow } from '../vaccines.ts';
import { audit, type Deps } from './deps.ts';

/** Why a booked visit would not be allowed under a product's new definition. */
export type ImpactProblem = 'interval' | 'age' | 'booster' | 'follow' | 'withdrawn';

/** A booked visit that a product's new definition would no longer allow (it keeps its place all the same). */
export interface AffectedVisit {
  appointmentId: string;
  bookingReference?: string;
  centreId: string;
  centreName: string;
  start: Instant;
  dose: number;
  problem: ImpactProblem;
}

export interface VaccineImpact {
  affected: AffectedVisit[];
  total: number;
}

/** The most booked visits of one product an impact reads. */
export const IMPACT_SCAN_LIMIT = 100_000;
/** Patients' histories read at once while judging visits. */
const READ_AT_ONCE = 50;

const ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
const PLATFORMS: readonly Vaccine['platform'][] = ['mRNA', 'vector'];

const wholeIn = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;

/**
 * Checks a product's definition field by field, naming the first bad one (`vaccine.<field>`): doses
 * 1..3; intervals 0..365 days with min ≤ recommended ≤ max; minimum age 0..120; boosters may follow only
 * products of the catalogue (or this one). Answers it with names trimmed and `mayFollow` sorted.
 */
export function validateVaccine(vaccine: Vaccine, catalogue: readonly Vaccine[]): Vaccine {
  const field = (name: string) => `vaccine.${name}`;
  if (!ID.test(vaccine.id)) {
    throw invalid('INVALID_VACCINE_ID', 'id is 2–40 lower-case letters, digits or dashes.', field('id'));
  }
  const name = vaccine.name.trim();
  if (name.length < 2 || name.length > 100)
    throw invalid('INVALID_NAME', 'name is 2 to 100 characters.', field('name'));
  const manufacturer = vaccine.manufacturer.trim();
  if (manufacturer.length < 2 || manufacturer.length > 100) {
    throw invalid('INVALID_MANUFACTURER', 'manufacturer is 2 to 100 characters.', field('manufacturer'));
  }
  if (!PLATFORMS.includes(vaccine.platform)) {
    throw invalid('INVALID_PLATFORM', `platform is one of ${PLATFORMS.join(', ')}.`, field('platform'));
  }
  if (!wholeIn(vaccine.doses, 1, 3)) throw invalid('INVALID_DOSES', 'doses is 1, 2 or 3.', field('doses'));
  for (const name of ['minIntervalDays', 'recommendedIntervalDays', 'maxIntervalDays'] as const) {
    if (!wholeIn(vaccine[name], 0, 365)) {
      throw invalid('INVALID_INTERVAL', `${name} is a whole number of days from 0 to 365.`, field(name));
    }
  }
  if (vaccine.recommendedIntervalDays < vaccine.minIntervalDays) {
    throw invalid(
      'INVALID_INTERVAL',
      'recommendedIntervalDays must not be shorter than minIntervalDays.',
      field('recommendedIntervalDays'),
    );
  }
  if (vaccine.maxIntervalDays < vaccine.recommendedIntervalDays) {
    throw invalid(
      'INVALID_INTERVAL',
      'maxIntervalDays must not be shorter than recommendedIntervalDays.',
      field('maxIntervalDays'),
    );
  }
  if (!wholeIn(vaccine.minAgeYears, 0, 120)) {
    throw invalid('INVALID_AGE', 'minAgeYears is a whole number from 0 to 120.', field('minAgeYears'));
  }
  const known = new Set([...catalogue.map((v) => v.id), vaccine.id]);
  vaccine.mayFollow.forEach((id, i) => {
    if (!known.has(id))
      throw invalid('UNKNOWN_VACCINE', `There is no vaccine with id "${id}".`, field(`mayFollow.${i}`));
  });
  const { withdrawn, ...rest } = vaccine;
  return {
    ...rest,
    name,
    manufacturer,
    mayFollow: [...new Set(vaccine.mayFollow)].sort(),
    ...(withdrawn ? { withdrawn: true } : {}),
  };
}

/** Among duplicate records of one dose, the completed one; otherwise the latest (as course planning does). */
function dosesOf(history: readonly Appointment[], before: Appointment): Map<number, DoseRecord> {
  const byDose = new Map<number, DoseRecord>();
  for (const record of history) {
    if (record.id === before.id || record.dose >= before.dose) continue;
    if (record.status !== 'booked' && record.status !== 'completed') continue;
    const seen = byDose.get(record.dose);
    const better =
      !seen ||
      (record.status === 'completed' && seen.status !== 'completed') ||
      (record.status === seen.status && record.start > seen.start);
    if (better) byDose.set(record.dose, record);
  }
  return byDose;
}

/**
 * What the new definition says of one booked visit of the product: the first problem found, or null.
 * `history`: the person's visits (for a later dose); `patient`: when the minimum age rose.
 */
function problemOf(
  visit: Appointment,
  vaccine: Vaccine,
  catalogue: readonly Vaccine[],
  history: readonly Appointment[],
  patient: Patient | null,
): ImpactProblem | null {
  if (patient && ageOn(patient.birthDate, visit.localDate) < vaccine.minAgeYears) return 'age';
  if (visit.dose === 1) return vaccine.withdrawn ? 'withdrawn' : null;
  const earlier = dosesOf(history, visit);
  const first = earlier.get(1);
  if (!first) return null;
  const course = first.vaccineId === vaccine.id ? vaccine : catalogue.find((v) => v.id === first.vaccineId);
  if (!course) return null;
  if (visit.dose <= course.doses) {
    // A primary dose of another product's course is not this product's to judge.
    if (course.id !== vaccine.id) return null;
    const previous = earlier.get(visit.dose - 1);
    if (previous && !isWithinWindow(visit.start, doseWindow(vaccine, previous.start))) return 'interval';
    return null;
  }
  if (vaccine.withdrawn) return 'withdrawn';
  if (!vaccine.usableAsBooster) return 'booster';
  if (!vaccine.mayFollow.includes(course.id)) return 'follow';
  return null;
}

/**
 * The booked visits still to come (not cancelled, not completed) of a product that its new definition
 * would no longer allow: a later dose outside the new interval from the dose before, a person younger
 * than the new minimum age, a booster the product may no longer be or may not follow that course with,
 * a first dose or booster of a withdrawn product. Read with one query of the product's booked visits
 * from now, then the histories of the people with a later dose, soonest first.
 */
async function impactOf(deps: Deps, vaccine: Vaccine, catalogue: readonly Vaccine[]): Promise<VaccineImpact> {
  const now = deps.clock.now().toISOString();
  const booked = await deps.store.listBookedAppointmentsOfVaccine(vaccine.id, now, IMPACT_SCAN_LIMIT);
  const before = catalogue.find((v) => v.id === vaccine.id);
  const ageRose = !before || vaccine.minAgeYears > before.minAgeYears;
  const centres = new Map<string, Centre | null>();
  const affected: AffectedVisit[] = [];
  for (let i = 0; i < booked.length; i += READ_AT_ONCE) {
    const chunk = booked.slice(i, i + READ_AT_ONCE);
    const judged = await Promise.all(
      chunk.map(async (visit) => {
        const history = visit.dose > 1 ? await deps.store.listAppointmentsOfPatient(visit.patientId) : [];
        const patient = ageRose ? await deps.store.getPatient(visit.patientId) : null;
        return { visit, problem: problemOf(visit, vaccine, catalogue, history, patient) };
      }),
    );
    for (const { visit, problem } of judged) {
      if (problem === null) continue;
      if (!centres.has(visit.centreId)) centres.set(visit.centreId, await deps.store.getCentre(visit.centreId));
      affected.push({
        appointmentId: visit.id,
        ...(visit.reference ? { bookingReference: visit.reference } : {}),
        centreId: visit.centreId,
        centreName: centres.get(visit.centreId)?.name ?? visit.centreId,
        start: visit.start,
        dose: visit.dose,
        problem,
      });
    }
  }
  return { affected, total: affected.length };
}

/** The catalogue as stored (seeded on first use), with withdrawn products too: the ministry's list. */
export async function adminVaccines(deps: Deps, principal: Principal): Promise<{ vaccines: Vaccine[] }> {
  requireRole(principal, 'admin');
  return { vaccines: await readCatalogue(deps.store) };
}

/** What saving a product's definition would leave booked that it no longer allows; changes nothing. */
export async function vaccineImpact(deps: Deps, principal: Principal, vaccine: Vaccine): Promise<VaccineImpact> {
  requireRole(principal, 'admin');
  const catalogue = await readCatalogue(deps.store);
  return impactOf(deps, validateVaccine(vaccine, catalogue), catalogue);
}

/**
 * Adds a product to the catalogue or changes one. The administrator first sees the impact and sends
 * its count (`acknowledgedAffected`); a different count (visits booked or moved since) is refused with
 * IMPACT_NOT_ACKNOWLEDGED carrying the impact as it now is. Booked visits are never changed: they keep
 * the rules they were booked under. The catalogue in force follows at once in this process and within
 * `CATALOGUE_REFRESH_MS` elsewhere.
 */
export async function saveVaccine(
  deps: Deps,
  principal: Principal,
  vaccineId: string,
  input: { vaccine: Vaccine; acknowledgedAffected: number },
): Promise<{ vaccine: Vaccine; affected: number }> {
  requireRole(principal, 'admin');
  if (input.vaccine.id !== vaccineId) {
    throw invalid('ID_MISMATCH', 'vaccine.id must be the id in the address.', 'vaccine.id');
  }
  if (!wholeIn(input.acknowledgedAffected, 0, Number.MAX_SAFE_INTEGER)) {
    throw invalid('INVALID_COUNT', 'acknowledgedAffected is a whole number, 0 or more.', 'acknowledgedAffected');
  }
  const catalogue = await readCatalogue(deps.store);
  const vaccine = validateVaccine(input.vaccine, catalogue);
  const impact = await impactOf(deps, vaccine, catalogue);
  if (impact.total !== input.acknowledgedAffected) {
    throw conflict(
      'IMPACT_NOT_ACKNOWLEDGED',
      `This change leaves ${impact.total} booked visit(s) it would not allow; review them and confirm that count.`,
      { affected: impact.affected, total: impact.total },
    );
  }
  const actor = actorOf(principal);
  await deps.store.runInTransaction(async (tx) => {
    const stored = await tx.listVaccines();
    const now = deps.clock.now();
    const added = !stored.some((v) => v.id === vaccine.id);
    tx.putVaccine(vaccine);
    audit(deps, tx, actor, null, added ? 'add-vaccine' : 'change-vaccine', `${vaccine.id}: ${impact.total} affected`);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'vaccine.changed', now, actor, vaccine.id, {
        vaccineId: vaccine.id,
        added,
        withdrawn: vaccine.withdrawn === true,
        affected: impact.total,
      }),
    );
  });
  await deps.catalogue?.refresh();
  return { vaccine, affected: impact.total };
}
