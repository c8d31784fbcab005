import { CentreDirectory } from '../centre-directory.ts';
import type { Appointment, Centre } from '../model.ts';
import { PostalCodes } from '../postal-codes.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { bookAppointment } from './book-appointment.ts';
import { cancelCentreDay } from './centre-schedule.ts';
import { addDaysToInstant } from './deps.ts';
import { rescheduleAppointment } from './manage-appointments.ts';
import { soonestSlotsInstead } from './rebook-offers.ts';

// Monday 2026-01-12, 08:00 in Warsaw.
const TUESDAY = '2026-01-13';

let system: MemorySystem;
let directory: CentreDirectory;
let centre: Centre;
let manager: Principal;

beforeEach(async () => {
  system = createMemorySystem();
  directory = new CentreDirectory(system.store, system.clock, PostalCodes.fromRows([]), 0, 0);
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  manager = { role: 'centre-manager', staffId: 'manager-1', centreId: centre.id };
});

async function book(date: string, time: string, vaccineId = 'comirnaty'): Promise<Appointment[]> {
  const { patientId, principal } = await system.newPatient();
  const slotId = (await system.slotAt(centre, date, time, vaccineId)).id;
  const booked = await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
  return booked.appointments;
}

const stored = async (id: string) => (await system.store.getAppointment(id)) as Appointment;

describe('the times offered instead of a cancelled visit', () => {
  test('a first dose is offered the soonest free slots of the same product, however many others the centre has', async () => {
    const [dose1] = await book(TUESDAY, '09:00');
    await cancelCentreDay(system.deps, manager, centre.id, TUESDAY, 'power cut');

    const offered = await soonestSlotsInstead(system.deps, directory, await stored(dose1?.id as string), centre, 2);

    expect(offered.map((s) => [s.vaccineId, s.localStart])).toEqual([
      ['comirnaty', '2026-01-12T08:15'],
      ['comirnaty', '2026-01-12T08:30'],
    ]);
  });

  test('a later dose cancelled on its own is offered only slots inside its interval after the earlier dose', async () => {
    const [dose1, dose2] = await book(TUESDAY, '09:00');
    await cancelCentreDay(system.deps, manager, centre.id, dose2?.localDate as string, 'power cut');
    expect((await stored(dose1?.id as string)).status).toBe('booked');

    const offered = await soonestSlotsInstead(system.deps, directory, await stored(dose2?.id as string), centre, 2);

    const earliest = addDaysToInstant(dose1?.start as string, 21);
    const latest = addDaysToInstant(dose1?.start as string, 42);
    expect(offered).toHaveLength(2);
    for (const slot of offered) {
      expect(slot.start >= earliest && slot.start <= latest).toBe(true);
      expect(slot.localStart.slice(0, 10)).not.toBe(dose2?.localDate);
      expect(slot.vaccineId).toBe('comirnaty');
    }
  });

  test('a later dose whose interval opens in the middle of a day is offered that day’s times after it', async () => {
    const [dose1, dose2] = await book(TUESDAY, '11:00');
    // The second dose was moved a day on; its interval opens at 11:00 on the day before.
    const dayAfter = addDaysToInstant(dose2?.start as string, 1).slice(0, 10);
    await rescheduleAppointment(system.deps, manager, {
      appointmentId: dose2?.id as string,
      slotId: (await system.slotAt(centre, dayAfter, '09:00')).id,
    });
    await cancelCentreDay(system.deps, manager, centre.id, dayAfter, 'power cut');

    const offered = await soonestSlotsInstead(system.deps, directory, await stored(dose2?.id as string), centre, 2);

    const opens = addDaysToInstant(dose1?.start as string, 21);
    expect(offered.map((s) => s.start)).toEqual([opens, new Date(Date.parse(opens) + 15 * 60_000).toISOString()]);
  });

  test('nothing is offered once the person has booked that dose again', async () => {
    const [dose1] = await book(TUESDAY, '09:00');
    await cancelCentreDay(system.deps, manager, centre.id, TUESDAY, 'power cut');
    const patientId = dose1?.patientId as string;
    await bookAppointment(
      system.deps,
      { role: 'patient', patientId },
      { patientId, slotId: (await system.slotAt(centre, '2026-01-14', '09:00')).id, idempotencyKey: null },
    );

    expect(await soonestSlotsInstead(system.deps, directory, await stored(dose1?.id as string), centre, 2)).toEqual([]);
  });
});
