import type { DatabaseSync } from 'node:sqlite';
import { type Deps, localToday, makeEvent } from '@ereg/shared';
import type { DevPeople } from '../dev/dev-people.ts';
import {
  buildDemoBatches,
  buildDemoCentres,
  buildDemoCitizens,
  buildDemoStaff,
  demoEligibilityRules,
  patientOf,
} from './demo-data.ts';

/**
 * Loads the demo data set into an empty database, once: centres in every voivodeship with their staff
 * and schedules, the eligibility policy, and the citizens the development identity provider knows.
 * Citizens referred to a priority group are registered up front, as their employer's referral would.
 */
export async function loadDemoData(
  deps: Deps,
  db: DatabaseSync,
  people: DevPeople,
  options: { seed: number; centres: number; citizens: number },
  log: (line: string) => void,
): Promise<void> {
  const loaded = db.prepare("SELECT value FROM meta WHERE key = 'demo.loaded'").get();
  if (loaded) return;
  const now = deps.clock.now();
  const today = localToday(now, deps.settings.timeZone);
  log(`Loading demo data: ${options.centres} centres, ${options.citizens} citizens (seed ${options.seed})…`);
  const centres = buildDemoCentres({ seed: options.seed, count: options.centres, now });
  const staff = buildDemoStaff(centres);
  // The featured people (README, tests) come first in every generated population.
  const citizens = buildDemoCitizens({ seed: options.seed, count: options.citizens, today });
  const rules = demoEligibilityRules(today);
  const batches = buildDemoBatches(centres, { today, now, nextId: () => deps.ids.next('bat') });

  // One transaction: the people list and the marker are written on the same connection inside it,
  // so a crash leaves either everything or nothing.
  await deps.store.runInTransaction(async (tx) => {
    people.add(citizens, 0);
    db.prepare("INSERT INTO meta (key, value) VALUES ('demo.loaded', ?)").run(now.toISOString());
    for (const centre of centres) tx.putCentre(centre);
    for (const member of staff) tx.putStaff(member);
    for (const rule of rules) tx.putEligibilityRule(rule);
    const system = { role: 'system', id: 'demo-data' } as const;
    for (const citizen of citizens.filter((c) => c.groups.length > 0)) {
      const patient = patientOf(citizen, deps.ids.next('pat'), now.toISOString());
      tx.putPatient(patient);
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'patient.registered.v2', now, system, patient.id, {
          patientId: patient.id,
          birthYear: Number(patient.birthDate.slice(0, 4)),
          sex: patient.sex,
        }),
      );
    }
    for (const centre of centres) {
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'centre.onboarded', now, system, centre.id, {
          centreId: centre.id,
          name: centre.name,
          voivodeship: centre.address.voivodeship,
          staff: staff.filter((member) => member.centreId === centre.id).length,
        }),
      );
    }
    for (const batch of batches) {
      tx.addBatch(batch);
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'batch.added', now, batch.createdBy, batch.id, {
          batchId: batch.id,
          centreId: batch.centreId,
          vaccineId: batch.vaccineId,
          number: batch.number,
          expiry: batch.expiry,
          doses: batch.doses,
        }),
      );
    }
  });
  log(
    `Demo data loaded: ${centres.length} centres, ${staff.length} staff, ${batches.length} vaccine batches, ${citizens.length} citizens.`,
  );
}
