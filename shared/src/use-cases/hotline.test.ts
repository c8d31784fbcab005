import { RetryLaterError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, aCitizen, createMemorySystem, type MemorySystem, refusalOf } from '../testing/index.ts';
import { bookAppointment } from './book-appointment.ts';
import { getCentreDay } from './centre-day.ts';
import { bookHousehold, resendConfirmation } from './hotline-booking.ts';
import { lookUpCaller, registerCaller, revealField } from './hotline-lookup.ts';
import {
  acknowledgeAlert,
  decideReview,
  listAccessLog,
  listHotlineAlerts,
  listLookupReviews,
  queryAuditLog,
  sampleLookupsForReview,
  watchPesel,
} from './hotline-review.ts';
import { login } from './login.ts';

let system: MemorySystem;
const agent: Principal = { role: 'agent', agentId: 'agent-1' };
const supervisor: Principal = { role: 'supervisor', supervisorId: 'supervisor-1' };

beforeEach(async () => {
  system = createMemorySystem({ settings: { lookupBudgetPerHour: 5, lookupAlertAgents: 3, reviewSamplePerDay: 2 } });
  await system.addRule(aBirthYearRule(1970));
});

describe('looking a caller up', () => {
  test('by PESEL with a reason: name and birth date in full, the rest masked, the look-up audited with its reason', async () => {
    const { patientId, pesel } = await system.newPatient({ born: 1950 });
    const answer = await lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'caller-booking' });
    const [card] = answer.callers;
    expect(card).toMatchObject({ patientId, birthDate: '1950-03-15', phone: '+48 *** *** 200' });
    expect(answer.more).toBe(false);
    expect(card?.pesel).toBe(`*******${pesel.slice(-4)}`);
    expect(JSON.stringify(answer)).not.toContain('600100200');
    expect(await system.store.listAudit(patientId)).toEqual([
      expect.objectContaining({
        action: 'lookup',
        reasonCode: 'caller-booking',
        actor: { role: 'agent', id: 'agent-1' },
      }),
    ]);
    expect(system.store.eventsOfType('hotline.looked_up').map((e) => e.data)).toEqual([
      { by: 'pesel', reasonCode: 'caller-booking', found: 1 },
    ]);
  });

  test('the reason “other” needs words, named at the field', async () => {
    const { pesel } = await system.newPatient();
    const error = await refusalOf(lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'other' }));
    expect([error.code, error.field]).toEqual(['REASON_NOTE_REQUIRED', 'note']);
    const found = await lookUpCaller(system.deps, agent, {
      by: 'pesel',
      value: pesel,
      reason: 'other',
      note: 'caller asks about side effects',
    });
    expect(found.callers).toHaveLength(1);
    expect(system.store.auditRecords().at(-1)).toMatchObject({
      reason: 'caller asks about side effects',
      reasonCode: 'other',
    });
  });

  test('by booking reference, in any spelling the caller reads it out', async () => {
    const centre = await system.addCentre();
    const [visit] = await system.bookCourse(centre, '2026-01-20', '09:00');
    const spoken = `${visit.reference.slice(0, 4)}-${visit.reference.slice(4).toLowerCase()}`;
    const answer = await lookUpCaller(system.deps, agent, {
      by: 'reference',
      value: spoken,
      reason: 'caller-changing',
    });
    expect(answer.callers.map((c) => c.patientId)).toEqual([visit.patientId]);
  });

  test('by phone a shared number lists at most five people, masked, each audited and looked up, and says there are more', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await system.newPatient()).patientId);
    const answer = await lookUpCaller(system.deps, agent, {
      by: 'phone',
      value: '600 100 200',
      reason: 'relative-booking',
    });
    expect(answer.callers).toHaveLength(5);
    expect(answer.more).toBe(true);
    const audited = system.store
      .auditRecords()
      .filter((r) => r.action === 'lookup')
      .map((r) => r.patientId);
    expect(audited.sort()).toEqual(answer.callers.map((c) => c.patientId).sort());
  });

  test('no one found is a 404 naming the value, audited with no person', async () => {
    const error = await refusalOf(
      lookUpCaller(system.deps, agent, { by: 'pesel', value: aCitizen().pesel, reason: 'caller-asking' }),
    );
    expect([error.kind, error.code, error.field]).toEqual(['not_found', 'PATIENT_NOT_FOUND', 'value']);
    expect(system.store.auditRecords()).toEqual([expect.objectContaining({ patientId: null, action: 'lookup' })]);
  });

  test('a reveal shows one field, only after a look-up, and is audited with the field', async () => {
    const { patientId, pesel } = await system.newPatient();
    expect((await refusalOf(revealField(system.deps, agent, { patientId, field: 'phone' }))).code).toBe(
      'LOOKUP_REQUIRED',
    );
    await lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'caller-asking' });
    expect(await revealField(system.deps, agent, { patientId, field: 'phone' })).toEqual({
      patientId,
      field: 'phone',
      value: '+48600100200',
    });
    expect((await system.store.listAudit(patientId)).at(-1)).toMatchObject({ action: 'reveal', field: 'phone' });
    expect(system.store.eventsOfType('hotline.field_revealed')).toHaveLength(1);
  });
});

describe('registering a caller who never logged in', () => {
  const registration = (
    pesel: string,
    number: { phone?: string; landline?: string } = { landline: '+48 22 123 45 67' },
  ) => ({
    pesel,
    givenName: 'Stefan',
    familyName: 'Telefoniczny',
    ...number,
    reason: 'caller-booking' as const,
    checked: true,
  });

  test('a landline is noted and never texted; the person is marked registered by phone and the centre checks identity', async () => {
    const centre = await system.addCentre();
    const { pesel } = aCitizen({ born: 1944 });
    const card = await registerCaller(system.deps, agent, registration(pesel));
    expect(card).toMatchObject({ registeredByPhone: true, phone: null, landline: '+48 *** *** 567' });
    const stored = await system.store.getPatient(card.patientId);
    expect(stored).toMatchObject({
      registeredBy: 'phone',
      phone: null,
      landline: '+48221234567',
      birthDate: '1944-03-15',
    });
    expect(system.store.eventsOfType('patient.registered.v2').at(-1)?.data).toMatchObject({ channel: 'phone' });

    const slot = await system.slotAt(centre, '2026-01-20', '09:00');
    const booked = await bookAppointment(system.deps, agent, {
      patientId: card.patientId,
      slotId: slot.id,
      idempotencyKey: null,
      reason: 'caller booking',
    });
    const staff = await system.addStaff(centre, 'desk-1');
    const day = await getCentreDay(system.deps, staff, centre.id, '2026-01-20');
    expect(day.appointments.find((a) => a.patient.id === card.patientId)?.identityCheck).toEqual({
      channel: 'phone',
      bookedByPhone: '+48221234567',
    });
    const resend = await refusalOf(
      resendConfirmation(system.deps, agent, { appointmentId: booked.appointments[0]?.id ?? '', reason: 'resend' }),
    );
    expect(resend.code).toBe('NO_MOBILE');

    // The person's first login makes the record their own: no identity check any more.
    await login(system.deps, JSON.stringify({ pesel, givenName: 'Stefan', familyName: 'Telefoniczny', phone: null }));
    expect((await system.store.getPatient(card.patientId))?.registeredBy).toBeUndefined();
  });

  test('refused without the checking questions, for a PESEL already registered, or a number that is no phone', async () => {
    const { pesel } = await system.newPatient();
    expect(
      (await refusalOf(registerCaller(system.deps, agent, { ...registration(aCitizen().pesel), checked: false }))).code,
    ).toBe('CHECK_REQUIRED');
    expect((await refusalOf(registerCaller(system.deps, agent, registration(pesel)))).code).toBe('PATIENT_EXISTS');
    const bad = await refusalOf(registerCaller(system.deps, agent, registration(aCitizen().pesel, { phone: '12' })));
    expect([bad.code, bad.field]).toEqual(['INVALID_PHONE', 'phone']);
  });

  test('one number, of the kind the agent says: a mobile given as the landline, a landline as the mobile, both or none are refused at their field', async () => {
    const before = system.store.counts();
    const refusedWith = async (number: { phone?: string; landline?: string }) => {
      const error = await refusalOf(registerCaller(system.deps, agent, registration(aCitizen().pesel, number)));
      return [error.code, error.field];
    };

    expect(await refusedWith({ landline: '601 234 567' })).toEqual(['NOT_A_LANDLINE', 'landline']);
    expect(await refusedWith({ phone: '22 123 45 67' })).toEqual(['INVALID_PHONE', 'phone']);
    expect(await refusedWith({ phone: '601 234 567', landline: '22 123 45 67' })).toEqual([
      'MOBILE_OR_LANDLINE',
      'landline',
    ]);
    expect(await refusedWith({})).toEqual(['PHONE_REQUIRED', 'phone']);
    expect(system.store.counts()).toEqual(before);

    const card = await registerCaller(system.deps, agent, registration(aCitizen().pesel, { phone: '601 234 567' }));
    expect(card).toMatchObject({ phone: '+48 *** *** 567', landline: null });
    expect(await system.store.getPatient(card.patientId)).toMatchObject({ phone: '+48601234567', landline: null });
  });
});

describe('budgets and alerts', () => {
  test('past the hourly budget a look-up is refused until the hour ends, and the supervisors are alerted once', async () => {
    const { pesel } = await system.newPatient();
    for (let i = 0; i < 5; i++)
      await lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'caller-asking' });
    const refused = await refusalOf(
      lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'caller-asking' }),
    );
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect([refused.kind, refused.code]).toEqual(['rate_limited', 'LOOKUP_BUDGET_EXCEEDED']);
    // 08:00 in Warsaw is 07:00 UTC: the hour ends in 60 minutes.
    expect((refused as RetryLaterError).retryAfterSeconds).toBe(3600);
    await refusalOf(lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'caller-asking' }));
    const alerts = await listHotlineAlerts(system.deps, supervisor, true);
    expect(alerts.map((a) => [a.kind, a.agentId, a.count])).toEqual([['lookup_budget', 'agent-1', 6]]);
    system.clock.advanceMinutes(60);
    await expect(
      lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'caller-asking' }),
    ).resolves.toBeTruthy();
  });

  test('one person looked up by many agents in a day alerts once; a watched PESEL alerts at every look-up', async () => {
    const { pesel, patientId } = await system.newPatient();
    for (const agentId of ['a-1', 'a-2', 'a-2', 'a-3', 'a-4']) {
      await lookUpCaller(
        system.deps,
        { role: 'agent', agentId },
        { by: 'pesel', value: pesel, reason: 'caller-asking' },
      );
    }
    expect(
      (await listHotlineAlerts(system.deps, supervisor, undefined)).map((a) => [a.kind, a.patientId, a.count]),
    ).toEqual([['many_agents', patientId, 3]]);
    await watchPesel(system.deps, supervisor, { pesel, note: 'public figure' });
    await lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'caller-asking' });
    await lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'caller-asking' });
    const watched = (await listHotlineAlerts(system.deps, supervisor, true)).filter((a) => a.kind === 'watch_list');
    expect(watched).toHaveLength(2);
    const acknowledged = await acknowledgeAlert(system.deps, supervisor, {
      alertId: watched[0]?.id ?? '',
      note: 'called',
    });
    expect(acknowledged.acknowledged).toMatchObject({ by: { role: 'supervisor', id: 'supervisor-1' }, note: 'called' });
    expect((await refusalOf(acknowledgeAlert(system.deps, supervisor, { alertId: acknowledged.id }))).code).toBe(
      'ALERT_ACKNOWLEDGED',
    );
    expect(system.store.eventsOfType('hotline.alert_raised')).toHaveLength(3);
    expect(system.store.eventsOfType('hotline.alert_acknowledged')).toHaveLength(1);
  });
});

describe('booking a household', () => {
  test('three people at one centre, each their own course, at the slot chosen and the nearest times with room', async () => {
    const centre = await system.addCentre();
    const people = [await system.newPatient(), await system.newPatient(), await system.newPatient()];
    for (const p of people)
      await lookUpCaller(system.deps, agent, { by: 'pesel', value: p.pesel, reason: 'relative-booking' });
    const slot = await system.slotAt(centre, '2026-01-20', '09:00');
    const input = {
      slotId: slot.id,
      patientIds: people.map((p) => p.patientId),
      reason: 'daughter books for her family',
      idempotencyKey: 'household-0001',
    };
    const result = await bookHousehold(system.deps, agent, input);
    expect(result.bookings.map((b) => b.patientId)).toEqual(input.patientIds);
    // Three places at 09:00 (capacity 3): all three there, each with a second dose.
    expect(result.bookings.map((b) => b.appointments.map((a) => a.localStart))).toEqual([
      ['2026-01-20T09:00', expect.any(String)],
      ['2026-01-20T09:00', expect.any(String)],
      ['2026-01-20T09:00', expect.any(String)],
    ]);
    expect(system.store.countersOutOfStep(centre.id)).toEqual([]);
    expect(new Set(result.bookings.map((b) => b.appointments[0]?.reference)).size).toBe(3);
    // The same request again: the same answer, nothing booked twice.
    const before = system.store.counts();
    expect(await bookHousehold(system.deps, agent, input)).toEqual(result);
    expect(system.store.counts()).toEqual(before);
  });

  test('a fourth person gets the nearest time with room (another product at the same hour); one ineligible person refuses the whole household, named', async () => {
    const centre = await system.addCentre();
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await system.newPatient());
    const young = await system.newPatient({ born: 1990 });
    for (const p of [...people, young]) {
      await lookUpCaller(system.deps, agent, { by: 'pesel', value: p.pesel, reason: 'relative-booking' });
    }
    const slot = await system.slotAt(centre, '2026-01-20', '09:00');
    const before = system.store.counts();
    const refused = await refusalOf(
      bookHousehold(system.deps, agent, {
        slotId: slot.id,
        patientIds: [people[0]?.patientId ?? '', young.patientId],
        reason: 'family',
        idempotencyKey: null,
      }),
    );
    expect([refused.code, refused.field]).toEqual(['NOT_ELIGIBLE', 'patientIds.1']);
    expect(system.store.counts()).toEqual(before);

    const four = await bookHousehold(system.deps, agent, {
      slotId: slot.id,
      patientIds: people.map((p) => p.patientId),
      reason: 'family',
      idempotencyKey: null,
    });
    expect(four.bookings.map((b) => [b.appointments[0]?.localStart, b.appointments[0]?.vaccineId])).toEqual([
      ['2026-01-20T09:00', 'comirnaty'],
      ['2026-01-20T09:00', 'comirnaty'],
      ['2026-01-20T09:00', 'comirnaty'],
      ['2026-01-20T09:00', 'vaxzevria'],
    ]);
    expect(system.store.countersOutOfStep(centre.id)).toEqual([]);
  });

  test('every person must have been looked up', async () => {
    const centre = await system.addCentre();
    const known = await system.newPatient();
    const stranger = await system.newPatient();
    await lookUpCaller(system.deps, agent, { by: 'pesel', value: known.pesel, reason: 'relative-booking' });
    const slot = await system.slotAt(centre, '2026-01-20', '09:00');
    const refused = await refusalOf(
      bookHousehold(system.deps, agent, {
        slotId: slot.id,
        patientIds: [known.patientId, stranger.patientId],
        reason: 'family',
        idempotencyKey: null,
      }),
    );
    expect([refused.code, refused.field]).toEqual(['LOOKUP_REQUIRED', 'patientIds.1']);
  });
});

describe('resending a confirmation', () => {
  test('the booking’s confirmation is texted again on each request, once per request', async () => {
    const centre = await system.addCentre();
    const [visit] = await system.bookCourse(centre, '2026-01-20', '09:00');
    const patient: Principal = { role: 'patient', patientId: visit.patientId };
    expect(await resendConfirmation(system.deps, patient, { appointmentId: visit.id })).toEqual({
      bookingId: visit.bookingId,
      sentTo: '+48 *** *** 200',
    });
    const [event] = system.store.eventsOfType('booking.confirmation_resent');
    expect(event?.data).toEqual({
      bookingId: visit.bookingId,
      patientId: visit.patientId,
      centreId: centre.id,
      appointmentId: visit.id,
    });
  });
});

describe('the supervisors', () => {
  test('the audit log by agent, reason and dates, a page at a time; agents and patients cannot read it', async () => {
    const a = await system.newPatient();
    const b = await system.newPatient();
    await lookUpCaller(system.deps, agent, { by: 'pesel', value: a.pesel, reason: 'caller-booking' });
    await lookUpCaller(
      system.deps,
      { role: 'agent', agentId: 'agent-2' },
      { by: 'pesel', value: b.pesel, reason: 'caller-asking' },
    );
    system.clock.advanceMinutes(1);
    await lookUpCaller(system.deps, agent, { by: 'pesel', value: b.pesel, reason: 'caller-asking' });
    const mine = await queryAuditLog(system.deps, supervisor, {
      agentId: 'agent-1',
      from: '2026-01-12',
      to: '2026-01-12',
    });
    expect(mine.records.map((r) => r.patientId)).toEqual([b.patientId, a.patientId]);
    expect(mine.records[0]?.pseudonym).toMatch(/^A-[0-9a-f]{12}$/);
    const asking = await queryAuditLog(system.deps, supervisor, { reason: 'caller-asking', limit: 1 });
    expect(asking.records).toHaveLength(1);
    const rest = await queryAuditLog(system.deps, supervisor, {
      reason: 'caller-asking',
      limit: 1,
      after: asking.next ?? '',
    });
    expect([...asking.records, ...rest.records].map((r) => r.actor.id).sort()).toEqual(['agent-1', 'agent-2']);
    expect(rest.next).toBeNull();
    expect((await queryAuditLog(system.deps, supervisor, { from: '2026-01-13' })).records).toEqual([]);
    expect((await refusalOf(queryAuditLog(system.deps, agent, {}))).code).toBe('ROLE_NOT_ALLOWED');
  });

  test('a day’s sample of look-ups is queued once, and each gets one verdict', async () => {
    for (let i = 0; i < 4; i++) {
      const p = await system.newPatient();
      await lookUpCaller(system.deps, agent, { by: 'pesel', value: p.pesel, reason: 'caller-booking' });
    }
    system.clock.advanceDays(1);
    expect(await sampleLookupsForReview(system.deps)).toEqual({ date: '2026-01-12', looked: 4, queued: 2 });
    expect(await sampleLookupsForReview(system.deps)).toEqual({ date: '2026-01-12', looked: 4, queued: 0 });
    const pending = await listLookupReviews(system.deps, supervisor, true);
    expect(pending).toHaveLength(2);
    const unclear = await refusalOf(
      decideReview(system.deps, supervisor, { reviewId: pending[0]?.id ?? '', outcome: 'unjustified' }),
    );
    expect([unclear.code, unclear.field]).toEqual(['NOTE_REQUIRED', 'note']);
    await decideReview(system.deps, supervisor, { reviewId: pending[0]?.id ?? '', outcome: 'justified' });
    expect(await listLookupReviews(system.deps, supervisor, true)).toHaveLength(1);
    expect(
      (await refusalOf(decideReview(system.deps, supervisor, { reviewId: pending[0]?.id ?? '', outcome: 'justified' })))
        .code,
    ).toBe('REVIEW_DECIDED');
    expect(system.store.eventsOfType('hotline.review_queued')).toHaveLength(2);
    expect(system.store.eventsOfType('hotline.review_decided')).toHaveLength(1);
  });
});

describe('who looked at my data', () => {
  test('the patient sees each look-up with its reason and date, the agent under a pseudonym they cannot reverse', async () => {
    const { patientId, pesel, principal } = await system.newPatient();
    await lookUpCaller(system.deps, agent, { by: 'pesel', value: pesel, reason: 'caller-asking' });
    await revealField(system.deps, agent, { patientId, field: 'phone' });
    const entries = await listAccessLog(system.deps, principal, patientId);
    expect(entries.map((e) => [e.action, e.role, e.reason, e.field])).toEqual([
      ['reveal', 'agent', null, 'phone'],
      ['lookup', 'agent', 'caller-asking', null],
    ]);
    expect(entries[0]?.who).toBe(entries[1]?.who);
    expect(JSON.stringify(entries)).not.toContain('agent-1');
    const other = await system.newPatient();
    expect((await refusalOf(listAccessLog(system.deps, other.principal, patientId))).code).toBe('NOT_YOUR_DATA');
  });
});
