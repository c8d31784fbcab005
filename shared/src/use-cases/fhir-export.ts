import { FHIR_DAY_FILES, type FhirDayFile } from '../fhir/fhir-codes.ts';
import {
  type FhirBundle,
  type FhirResource,
  toFhirAppointment,
  toFhirCollection,
  toFhirImmunization,
  toFhirPatient,
  type VisitContext,
} from '../fhir/fhir-resources.ts';
import type { Appointment, Batch, Centre, Instant, LocalDate, StaffMember } from '../model.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { audit, type Deps } from './deps.ts';

/** What a registry is told of a day's export, after FHIR Bulk Data's manifest: the files to fetch. */
export interface FhirDayManifest {
  /** When the manifest was made: a record changed later (a correction) comes in a later fetch of its day. */
  transactionTime: Instant;
  date: LocalDate;
  requiresAccessToken: true;
  output: Array<{ type: 'Immunization' | 'Appointment' | 'Patient'; url: string }>;
  error: [];
}

/** A registry's leave: no one else reads the export (administrators and analysts reach no person's record). */
function requireRegistry(principal: Principal): asserts principal is Extract<Principal, { role: 'registry' }> {
  requireRole(principal, 'registry');
}

/** The manifest of a day's export; `urlOf` gives each file's address on this deployment. */
export function fhirDayManifest(
  deps: Deps,
  principal: Principal,
  date: LocalDate,
  urlOf: (file: FhirDayFile) => string,
): FhirDayManifest {
  requireRegistry(principal);
  return {
    transactionTime: deps.clock.now().toISOString(),
    date,
    requiresAccessToken: true,
    output: FHIR_DAY_FILES.map((file) => ({
      type: file.replace('.ndjson', '') as FhirDayManifest['output'][number]['type'],
      url: urlOf(file),
    })),
    error: [],
  };
}

/** The context of a centre's visits: its slots' ends, batches and staff, read once per centre. */
async function centreContext(deps: Deps, centre: Centre, visits: readonly Appointment[]) {
  const needsBatches = visits.some((a) => a.completion?.batchId);
  const [slots, batches, staff] = await Promise.all([
    deps.store.listSlotsOfCentreDay(centre.id, visits[0]?.localDate ?? ''),
    needsBatches ? deps.store.listBatchesOfCentre(centre.id) : Promise.resolve([]),
    deps.store.listStaffOfCentre(centre.id),
  ]);
  const ends = new Map(slots.map((slot) => [slot.id, slot.end]));
  const batchById = new Map<string, Batch>(batches.map((b) => [b.id, b]));
  const staffById = new Map<string, StaffMember>(staff.map((s) => [s.id, s]));
  return (appointment: Appointment): VisitContext => ({
    centre,
    vaccines: deps.vaccines,
    end: ends.get(appointment.slotId) ?? null,
    batches: batchById,
    staff: staffById,
  });
}

/**
 * One file of a day's export, line by line, for a registry; recorded in the audit log before the first
 * line. The day is the centres' local date of the visits. It is read a centre at a time and written as
 * it is read, so a day of the whole country never sits in memory (only the ids of the day's patients,
 * to give each Patient once).
 */
export async function exportFhirDay(
  deps: Deps,
  principal: Principal,
  date: LocalDate,
  file: FhirDayFile,
): Promise<AsyncIterable<string>> {
  requireRegistry(principal);
  await deps.store.runInTransaction(async (tx) => {
    audit(deps, tx, actorOf(principal), null, 'fhir.export', `${date} ${file}`);
  });
  return linesOf(deps, date, file);
}

async function* linesOf(deps: Deps, date: LocalDate, file: FhirDayFile): AsyncIterable<string> {
  const centres = await deps.store.listCentres();
  const patientsGiven = new Set<string>();
  for (const centre of centres) {
    const visits = await deps.store.listAppointmentsOfCentreDay(centre.id, date);
    if (visits.length === 0) continue;
    if (file === 'Patient.ndjson') {
      for (const visit of visits) {
        if (patientsGiven.has(visit.patientId)) continue;
        patientsGiven.add(visit.patientId);
        const patient = await deps.store.getPatient(visit.patientId);
        if (patient) yield `${JSON.stringify(toFhirPatient(patient))}\n`;
      }
      continue;
    }
    const contextOf = await centreContext(deps, centre, visits);
    for (const visit of visits) {
      const resource =
        file === 'Appointment.ndjson'
          ? toFhirAppointment(visit, contextOf(visit))
          : toFhirImmunization(visit, contextOf(visit));
      if (resource) yield `${JSON.stringify(resource)}\n`;
    }
  }
}

/**
 * A patient's own record as a FHIR Bundle (`collection`): their Patient, every visit as an Appointment
 * and every vaccination (or dose not given) as an Immunization. Only the person themselves asks for it.
 */
export async function patientFhirRecord(deps: Deps, principal: Principal): Promise<FhirBundle> {
  requireRole(principal, 'patient');
  const patient = await deps.store.getPatient(principal.patientId);
  if (!patient) throw new Error(`The session's patient ${principal.patientId} has no record.`);
  const visits = await deps.store.listAppointmentsOfPatient(patient.id);
  visits.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const contexts = new Map<string, (a: Appointment) => VisitContext>();
  const resources: FhirResource[] = [toFhirPatient(patient)];
  const immunizations: FhirResource[] = [];
  for (const visit of visits) {
    const key = `${visit.centreId} ${visit.localDate}`;
    let contextOf = contexts.get(key);
    if (!contextOf) {
      const centre = await deps.store.getCentre(visit.centreId);
      if (!centre) continue;
      const sameDay = visits.filter((v) => v.centreId === visit.centreId && v.localDate === visit.localDate);
      contextOf = await centreContext(deps, centre, sameDay);
      contexts.set(key, contextOf);
    }
    resources.push(toFhirAppointment(visit, contextOf(visit)));
    const immunization = toFhirImmunization(visit, contextOf(visit));
    if (immunization) immunizations.push(immunization);
  }
  return toFhirCollection([...resources, ...immunizations], deps.clock.now().toISOString());
}
