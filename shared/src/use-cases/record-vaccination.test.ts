import type { Appointment, Centre } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { addDays } from '../time-zone.ts';
import { VACCINES } from '../vaccines.ts';
import { checkIn } from './centre-day.ts';
import {
  completeVaccination,
  correctVaccination,
  markNoShow,
  markNotGiven,
  vaccinationWarnings,
} from './record-vaccination.ts';

let system: MemorySystem;
let centre: Centre;
let staff: Principal;
/** The centre's batches: comirnaty (100 doses), another comirnaty, spikevax. */
let batch: { comirnaty: string; other: string; spikevax: string };

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw (07:00Z); visits below are on Tuesday.
const TUESDAY = '2026-01-13';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  staff = await system.addStaff(centre, 'staff-1');
  batch = {
    comirnaty: await system.addBatch(centre, 'comirnaty', { number: 'FK-1234' }),
    other: await system.addBatch(centre, 'comirnaty', { number: 'FK-9999' }),
    spikevax: await system.addBatch(centre, 'spikevax', { number: 'SP-0001' }),
  };
});

const standAt = (date: string, time: string) => system.standAt(centre, date, time);
const stored = (id: string) => system.stored(id);
const book = (date: string, time: string, vaccineId?: string) => system.bookCourse(centre, date, time, vaccineId);

/** A visit on Tuesday at 09:00 whose patient was checked in at 08:50; the clock at 09:05. */
async function checkedIn(): Promise<[Appointment, Appointment]> {
  const [visit, next] = await book(TUESDAY, '09:00');
  standAt(TUESDAY, '08:50');
  await checkIn(system.deps, staff, centre.id, visit.id);
  standAt(TUESDAY, '09:05');
  return [await stored(visit.id), next];
}

const dose = (appointmentId: string, more: Record<string, unknown> = {}) => ({
  appointmentId,
  vaccineId: 'comirnaty',
  batchId: batch.comirnaty,
  site: 'left_deltoid' as const,
  ...more,
});

describe('recording a vaccination', () => {
  test('the dose comes out of the batch’s stock; the last dose empties the batch', async () => {
    const small = await system.addBatch(centre, 'comirnaty', { number: 'LAST-1', doses: 1 });
    const [visit] = await checkedIn();
    const [next] = await book(TUESDAY, '09:15');
    await checkIn(system.deps, staff, centre.id, next.id);

    const recorded = await completeVaccination(system.deps, staff, centre.id, dose(visit.id, { batchId: small }));

    expect(recorded.completion).toMatchObject({ batchId: small, lot: 'LAST-1' });
    expect(await system.store.getBatchStock(small)).toMatchObject({ remaining: 0 });
    expect((await system.store.runInTransaction((tx) => tx.getBatch(small)))?.status).toBe('depleted');
    await expect(
      completeVaccination(system.deps, staff, centre.id, dose(next.id, { batchId: small })),
    ).rejects.toMatchObject({ code: 'BATCH_DEPLETED' });
    expect((await stored(next.id)).status).toBe('booked');
  });

  test.each([
    ['a batch that is not here', 'bat-nowhere', 'BATCH_NOT_FOUND'],
    ['a batch of another product', 'spikevax', 'BATCH_PRODUCT_MISMATCH'],
  ])('%s is refused, and nothing is written', async (_, which, code) => {
    const [visit] = await checkedIn();
    const batchId = which === 'spikevax' ? batch.spikevax : which;

    await expect(completeVaccination(system.deps, staff, centre.id, dose(visit.id, { batchId }))).rejects.toMatchObject(
      { code },
    );
    expect(await stored(visit.id)).toEqual(visit);
    expect(await system.store.getBatchStock(batch.spikevax)).toMatchObject({ remaining: 100 });
  });

  test('a batch past its last day on the day the dose was given is refused', async () => {
    const old = await system.addBatch(centre, 'comirnaty', { number: 'OLD-1', expiry: '2026-01-12' });
    const [visit] = await checkedIn();

    await expect(
      completeVaccination(system.deps, staff, centre.id, dose(visit.id, { batchId: old })),
    ).rejects.toMatchObject({ code: 'BATCH_EXPIRED' });
  });

  test.each([
    ['an unknown product', { vaccineId: 'aspirin' }, 'vaccineId'],
    ['a dose number of 0', { dose: 0 }, 'dose'],
    ['a vaccinator from another centre', { vaccinatorId: 'staff-elsewhere' }, 'vaccinatorId'],
    ['a responsible person unknown here', { responsibleId: 'nobody' }, 'responsibleId'],
  ])('%s is refused naming the field, and nothing is written', async (_, more, field) => {
    const other = await system.addCentre();
    await system.addStaff(other, 'staff-elsewhere');
    const [visit] = await checkedIn();

    await expect(completeVaccination(system.deps, staff, centre.id, dose(visit.id, more))).rejects.toMatchObject({
      kind: 'invalid',
      field,
    });

    expect(await stored(visit.id)).toEqual(visit);
    expect(system.store.eventsOfType('appointment.completed')).toEqual([]);
  });

  test('a vaccination cannot be recorded before the day of the visit', async () => {
    const [visit] = await book(TUESDAY, '09:00');

    await expect(completeVaccination(system.deps, staff, centre.id, dose(visit.id))).rejects.toMatchObject({
      kind: 'conflict',
      code: 'NOT_YET_DUE',
    });
    expect(await stored(visit.id)).toEqual(visit);
  });

  test('a vaccination cannot be recorded for a patient not checked in', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '09:05');

    await expect(completeVaccination(system.deps, staff, centre.id, dose(visit.id))).rejects.toMatchObject({
      kind: 'conflict',
      code: 'NOT_CHECKED_IN',
    });
    expect(await stored(visit.id)).toEqual(visit);
  });

  test.each([
    ['in 1900', '1900-01-01T00:00:00.000Z', 'TOO_LATE'],
    ['a minute before the check-in', '2026-01-13T07:49:00.000Z', 'BEFORE_CHECK_IN'],
    ['more than a minute from now', '2026-01-13T08:06:01.000Z', 'IN_FUTURE'],
    ['not an instant', 'tuesday', 'INVALID_INSTANT'],
  ])('a time %s is refused naming the time', async (_, at, code) => {
    const [visit] = await checkedIn();

    await expect(completeVaccination(system.deps, staff, centre.id, dose(visit.id, { at }))).rejects.toMatchObject({
      kind: 'invalid',
      code,
      field: 'at',
    });
    expect(await stored(visit.id)).toEqual(visit);
  });

  test.each([
    ['the moment of the check-in', '2026-01-13T07:50:00.000Z'],
    ['a minute ahead of the clock', '2026-01-13T08:06:00.000Z'],
  ])('a time at %s is accepted', async (_, at) => {
    const [visit] = await checkedIn();

    const completed = await completeVaccination(system.deps, staff, centre.id, dose(visit.id, { at }));

    expect(completed.completion?.at).toBe(at);
  });

  test('a dose given on the day is entered two days later with its time', async () => {
    const [visit] = await checkedIn();
    const at = system.clock.now().toISOString();
    standAt(addDays(TUESDAY, 2), '10:00');

    const completed = await completeVaccination(system.deps, staff, centre.id, dose(visit.id, { at }));

    expect(completed.completion?.at).toBe(at);
  });

  test('the dose is recorded with product, lot, dose, site and who gave it, once, with an event', async () => {
    const [visit] = await checkedIn();
    const nurse = await system.addStaff(centre, 'nurse-1');
    const input = dose(visit.id, { site: 'right_deltoid', vaccinatorId: nurse.staffId });

    const completed = await completeVaccination(system.deps, staff, centre.id, input);

    const at = system.clock.now().toISOString();
    expect(completed).toMatchObject({ status: 'completed', version: visit.version + 1 });
    expect(await stored(visit.id)).toEqual(completed);
    expect(completed.completion).toEqual({
      vaccineId: 'comirnaty',
      lot: 'FK-1234',
      batchId: batch.comirnaty,
      dose: 1,
      site: 'right_deltoid',
      vaccinatorId: 'nurse-1',
      responsibleId: 'nurse-1',
      warnings: [],
      by: { role: 'staff', id: 'staff-1' },
      at,
    });
    expect(system.store.eventsOfType('appointment.completed')).toEqual([
      expect.objectContaining({
        subjectId: visit.id,
        data: expect.objectContaining({
          lot: 'FK-1234',
          batchId: batch.comirnaty,
          vaccineId: 'comirnaty',
          dose: 1,
          at,
          site: 'right_deltoid',
        }),
      }),
    ]);
    await expect(completeVaccination(system.deps, staff, centre.id, input)).rejects.toMatchObject({
      code: 'NOT_BOOKED',
    });
    expect(system.store.eventsOfType('appointment.completed')).toHaveLength(1);
  });

  test('another product than the one booked is recorded, with a warning', async () => {
    const [visit] = await checkedIn();

    const completed = await completeVaccination(
      system.deps,
      staff,
      centre.id,
      dose(visit.id, { vaccineId: 'spikevax', batchId: batch.spikevax }),
    );

    expect(completed.completion).toMatchObject({ vaccineId: 'spikevax', warnings: ['PRODUCT_DIFFERS_FROM_BOOKING'] });
    expect(system.store.eventsOfType('appointment.completed')[0]?.data).toMatchObject({
      vaccineId: 'spikevax',
      warnings: ['PRODUCT_DIFFERS_FROM_BOOKING'],
    });
  });

  test('sent again with the same key (a queued request whose answer was lost), it answers as the first time', async () => {
    const [visit] = await checkedIn();
    const input = { ...dose(visit.id), idempotencyKey: 'device-1:rec-0001' };

    const first = await completeVaccination(system.deps, staff, centre.id, input);
    const again = await completeVaccination(system.deps, staff, centre.id, input);

    expect(again).toEqual(first);
    expect(system.store.eventsOfType('appointment.completed')).toHaveLength(1);
    await expect(
      completeVaccination(system.deps, staff, centre.id, { ...input, batchId: batch.other }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });
});

describe('warnings on a recording', () => {
  const comirnaty = VACCINES.find((v) => v.id === 'comirnaty');
  const visit = (dose: number, more: Partial<Appointment> = {}): Appointment =>
    ({
      id: `apt-${dose}`,
      patientId: 'p-1',
      vaccineId: 'comirnaty',
      dose,
      status: 'booked',
      completion: null,
      ...more,
    }) as Appointment;
  const given = (vaccineId: string, at: string) =>
    visit(1, { status: 'completed', completion: { vaccineId, lot: 'A1', by: { role: 'staff', id: 's' }, at } });

  test('a second dose of another product than the first, too soon after it, is warned of twice', () => {
    expect(comirnaty?.minIntervalDays).toBeGreaterThan(2);
    const warnings = vaccinationWarnings(
      visit(2),
      { vaccineId: 'spikevax', dose: 2, at: '2026-01-03T10:00:00.000Z' },
      [given('comirnaty', '2026-01-01T10:00:00.000Z')],
      VACCINES,
    );
    expect(warnings).toEqual(['PRODUCT_DIFFERS_FROM_BOOKING', 'PRODUCT_DIFFERS_FROM_FIRST_DOSE', 'INTERVAL_TOO_SHORT']);
  });

  test('a second dose long after the first is warned of; one within the interval is not', () => {
    const first = given('comirnaty', '2026-01-01T10:00:00.000Z');
    const late = addDays('2026-01-01', (comirnaty?.maxIntervalDays ?? 0) + 1);
    const inTime = addDays('2026-01-01', comirnaty?.minIntervalDays ?? 0);

    expect(
      vaccinationWarnings(
        visit(2),
        { vaccineId: 'comirnaty', dose: 2, at: `${late}T10:00:00.000Z` },
        [first],
        VACCINES,
      ),
    ).toEqual(['INTERVAL_TOO_LONG']);
    expect(
      vaccinationWarnings(
        visit(2),
        { vaccineId: 'comirnaty', dose: 2, at: `${inTime}T10:00:00.000Z` },
        [first],
        VACCINES,
      ),
    ).toEqual([]);
  });

  test('a dose number other than the course’s is warned of', () => {
    expect(
      vaccinationWarnings(visit(1), { vaccineId: 'comirnaty', dose: 2, at: '2026-01-03T10:00:00.000Z' }, [], VACCINES),
    ).toEqual(['DOSE_DIFFERS_FROM_COURSE']);
  });
});

describe('correcting a recording', () => {
  test('the recording changes, the earlier one is kept with who changed it and why, with an event', async () => {
    const [visit] = await checkedIn();
    const recorded = await completeVaccination(system.deps, staff, centre.id, dose(visit.id));
    standAt(TUESDAY, '12:00');

    const corrected = await correctVaccination(system.deps, staff, centre.id, {
      ...dose(visit.id, { batchId: batch.other, site: 'right_deltoid' }),
      reason: 'lot misread',
    });

    expect(corrected.completion).toMatchObject({ lot: 'FK-9999', site: 'right_deltoid', at: recorded.completion?.at });
    // The batch named now gave the dose; the one first named keeps it counted as given.
    expect(await system.store.getBatchStock(batch.other)).toMatchObject({ remaining: 99 });
    expect(await system.store.getBatchStock(batch.comirnaty)).toMatchObject({ remaining: 99 });
    expect(corrected.corrections).toEqual([
      {
        before: recorded.completion,
        reason: 'lot misread',
        by: { role: 'staff', id: 'staff-1' },
        at: system.clock.now().toISOString(),
      },
    ]);
    expect(system.store.eventsOfType('vaccination.corrected')).toEqual([
      expect.objectContaining({
        subjectId: visit.id,
        data: expect.objectContaining({ lot: 'FK-9999', batchId: batch.other, previousBatchId: batch.comirnaty }),
      }),
    ]);
  });

  test('only a recorded vaccination can be corrected, and a correction says why', async () => {
    const [visit] = await checkedIn();

    await expect(
      correctVaccination(system.deps, staff, centre.id, { ...dose(visit.id), reason: 'lot misread' }),
    ).rejects.toMatchObject({ code: 'NOT_COMPLETED' });
    await completeVaccination(system.deps, staff, centre.id, dose(visit.id));
    await expect(
      correctVaccination(system.deps, staff, centre.id, { ...dose(visit.id), reason: ' ' }),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });
    expect(system.store.eventsOfType('vaccination.corrected')).toEqual([]);
  });
});

describe('a dose not given', () => {
  test('is recorded with its reason; the later dose is cancelled so the person can book again', async () => {
    const [visit, next] = await checkedIn();

    const ended = await markNotGiven(system.deps, staff, centre.id, {
      appointmentId: visit.id,
      reason: 'unwell',
    });

    expect(ended).toMatchObject({
      status: 'not_given',
      notGiven: { reason: 'unwell', note: null, by: { role: 'staff', id: 'staff-1' } },
    });
    expect(await stored(next.id)).toMatchObject({
      status: 'cancelled',
      cancellation: { reason: 'Dose 1 was not given.', code: 'dose_missed' },
    });
    expect(system.store.eventsOfType('appointment.not_given')).toEqual([
      expect.objectContaining({ subjectId: visit.id, data: expect.objectContaining({ reasonCode: 'unwell' }) }),
    ]);
    expect(JSON.stringify(system.store.eventsOfType('appointment.not_given'))).not.toContain('note');
  });

  test('"other" needs a note, and a patient not checked in cannot be recorded so', async () => {
    const [visit] = await checkedIn();
    const [waiting] = await book(TUESDAY, '10:00');

    await expect(
      markNotGiven(system.deps, staff, centre.id, { appointmentId: visit.id, reason: 'other' }),
    ).rejects.toMatchObject({ code: 'NOTE_REQUIRED', field: 'note' });
    await expect(
      markNotGiven(system.deps, staff, centre.id, { appointmentId: waiting.id, reason: 'declined' }),
    ).rejects.toMatchObject({ code: 'NOT_CHECKED_IN' });
    expect(
      await markNotGiven(system.deps, staff, centre.id, {
        appointmentId: visit.id,
        reason: 'other',
        note: 'needle phobia, will come back',
      }),
    ).toMatchObject({ notGiven: { reason: 'other', note: 'needle phobia, will come back' } });
  });
});

describe('marking a no-show', () => {
  test('a visit that has not started yet cannot be marked missed', async () => {
    const [visit] = await book(TUESDAY, '09:00');
    standAt(TUESDAY, '08:59');

    await expect(markNoShow(system.deps, staff, centre.id, visit.id)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'NOT_YET_DUE',
    });

    expect(await stored(visit.id)).toEqual(visit);
    expect(system.store.eventsOfType('appointment.no_show')).toEqual([]);
  });

  test('a missed first dose cancels the booked second dose and frees its place', async () => {
    const [first, second] = await book(TUESDAY, '09:00');
    const secondSlotBefore = await system.store.getSlot(second.slotId);
    standAt(TUESDAY, '09:30');

    const missed = await markNoShow(system.deps, staff, centre.id, first.id);

    expect(missed).toMatchObject({ status: 'no_show', version: first.version + 1 });
    expect(await stored(first.id)).toEqual(missed);
    expect(await stored(second.id)).toMatchObject({
      status: 'cancelled',
      cancellation: { reason: 'Dose 1 was missed.', by: { role: 'staff', id: 'staff-1' } },
    });
    expect((await system.store.getSlot(second.slotId))?.booked).toBe((secondSlotBefore?.booked as number) - 1);
    expect(system.store.eventsOfType('appointment.no_show').map((e) => e.subjectId)).toEqual([first.id]);
    expect(system.store.eventsOfType('appointment.cancelled')).toEqual([
      expect.objectContaining({
        subjectId: second.id,
        data: expect.objectContaining({ cascade: true, reasonCode: 'dose_missed' }),
      }),
    ]);
  });
});
