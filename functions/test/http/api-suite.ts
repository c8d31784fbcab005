import type { Centre, EligibilityRule, Principal, Store } from '@ereg/shared';
import type { ServedSystem } from '../../src/runtime/local/server.ts';
import { aBirthYearRule, aCitizen, aSchedule, type FakeClock } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { serve } from '../support/test-system.ts';

/** What the API suite needs of a system under test, whichever store is behind it. */
export interface ApiTestSystem {
  clock: FakeClock;
  store: Store;
  /** Adds a centre, publishes its slots and brings the search read model up to date. */
  addCentre(centre?: Partial<Centre>): Promise<Centre>;
  addRule(rule?: EligibilityRule): Promise<void>;
  tokenFor(principal: Principal): Promise<string>;
  countAppointments(): Promise<number>;
  /** Where the system's HTTP server listens. */
  url: string;
  close(): Promise<void>;
}

/** Serves a system on a loopback port for the suite; closing stops the server, then the system. */
export async function overHttp(system: Omit<ApiTestSystem, 'url'> & ServedSystem): Promise<ApiTestSystem> {
  const http = await serve(system);
  return {
    clock: system.clock,
    store: system.store,
    addCentre: (centre) => system.addCentre(centre),
    addRule: (rule) => system.addRule(rule),
    tokenFor: (principal) => system.tokenFor(principal),
    countAppointments: () => system.countAppointments(),
    url: http.url,
    async close() {
      await http.close();
      await system.close();
    },
  };
}

/**
 * The HTTP API, function by function through the real server, as patients and staff use it. Run once
 * per store: the assertions are the same whatever holds the data.
 */
export function describeApiSuite(label: string, start: () => Promise<ApiTestSystem>): void {
  describe(label, () => {
    let system: ApiTestSystem;
    let call: Call;
    let centre: Centre;

    beforeAll(async () => {
      system = await start();
      await system.addRule(aBirthYearRule(1970));
      centre = await system.addCentre();
      call = client(system.url);
    });

    afterAll(async () => {
      await system?.close();
    });

    async function logIn(born = 1950): Promise<{ token: string; patientId: string }> {
      const citizen = aCitizen({ born });
      const assertion = await call('POST', '/dev-idp/assertion', { body: { pesel: citizen.pesel } });
      expect(assertion.status).toBe(200);
      const session = await call('POST', '/api/login', { body: { assertion: assertion.body.assertion } });
      expect(session.status).toBe(200);
      return { token: session.body.token, patientId: session.body.patient.id };
    }

    async function firstSlot(vaccineId = 'comirnaty'): Promise<string> {
      const found = await call('GET', `/api/search?postalCode=00-950&vaccineId=${vaccineId}`);
      expect(found.status).toBe(200);
      return found.body.results[0].slots[0].slotId;
    }

    describe('a patient’s journey through the API', () => {
      test('logging in issues a session and a referral to an eligible person', async () => {
        const citizen = aCitizen({ born: 1948 });
        const assertion = await call('POST', '/dev-idp/assertion', { body: { pesel: citizen.pesel } });
        const session = await call('POST', '/api/login', { body: { assertion: assertion.body.assertion } });
        expect(session.body.eligibility.eligible).toBe(true);
        expect(session.body.referral.patientId).toBe(session.body.patient.id);
        expect(session.body.patient.birthDate).toBe('1948-03-15');
        const me = await call('GET', '/api/login/me', { token: session.body.token });
        expect(me.body.patient.pesel).toBe(citizen.pesel);
      });

      test('an ineligible person is told why and from when', async () => {
        await system.addRule({
          id: 'born-1985',
          kind: 'birthYear',
          bornInOrBefore: 1985,
          from: '2026-02-01',
          description: '1985',
        });
        const { token } = await logIn(1980);
        const me = await call('GET', '/api/login/me', { token });
        expect(me.body.eligibility).toMatchObject({
          eligible: false,
          code: 'NOT_YET_ELIGIBLE',
          eligibleFrom: '2026-02-01',
        });
        const booking = await call('POST', '/api/booking/appointments', { token, body: { slotId: await firstSlot() } });
        expect(booking.status).toBe(403);
        expect(booking.body.error.code).toBe('NOT_YET_ELIGIBLE');
      });

      test('search finds the centre’s soonest slots with the distance', async () => {
        const found = await call('GET', '/api/search?postalCode=00-950&limit=3');
        expect(found.status).toBe(200);
        const [first] = found.body.results;
        expect(first.centre.id).toBe(centre.id);
        expect(first.distanceKm).toBeLessThan(5);
        expect(first.slots[0].localStart).toBe('2026-01-12T08:15');
        expect(first.slots[0].start).toBe('2026-01-12T07:15:00.000Z');
      });

      test('booking the first dose books the second at the same centre inside the interval', async () => {
        const { token, patientId } = await logIn();
        const slotId = await firstSlot();
        const booked = await call('POST', '/api/booking/appointments', {
          token,
          body: { slotId },
          headers: { 'idempotency-key': 'first-dose-k1' },
        });
        expect(booked.status).toBe(201);
        const [first, second] = booked.body.appointments;
        expect(first).toMatchObject({ dose: 1, slotId, status: 'booked', patientId });
        expect(second).toMatchObject({
          dose: 2,
          centreId: centre.id,
          vaccineId: 'comirnaty',
          bookingId: first.bookingId,
        });
        const days = (Date.parse(second.start) - Date.parse(first.start)) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(21);
        expect(days).toBeLessThanOrEqual(42);
        const listed = await call('GET', `/api/booking/patients/${patientId}/appointments`, { token });
        expect(listed.body.appointments.map((a: { dose: number }) => a.dose)).toEqual([1, 2]);
      });

      test('cancelling the first dose cancels the second and frees both places', async () => {
        const { token } = await logIn();
        const slotId = await firstSlot('vaxzevria');
        const booked = await call('POST', '/api/booking/appointments', { token, body: { slotId } });
        const [first, second] = booked.body.appointments;
        const before = await system.store.getSlot(second.slotId);
        const cancelled = await call('POST', `/api/booking/appointments/${first.id}/cancel`, {
          token,
          body: { reason: 'cannot come' },
        });
        expect(cancelled.status).toBe(200);
        expect(cancelled.body.cancelled.map((a: { status: string }) => a.status)).toEqual(['cancelled', 'cancelled']);
        expect((await system.store.getSlot(second.slotId))?.booked).toBe((before?.booked ?? 0) - 1);
      });

      test('rescheduling moves the visit to the new slot in one step', async () => {
        const { token } = await logIn();
        const search = await call('GET', '/api/search?postalCode=00-950&vaccineId=comirnaty&slotsPerCentre=5');
        const slots = search.body.results[0].slots;
        const booked = await call('POST', '/api/booking/appointments', { token, body: { slotId: slots[0].slotId } });
        const first = booked.body.appointments[0];
        const moved = await call('POST', `/api/booking/appointments/${first.id}/reschedule`, {
          token,
          body: { slotId: slots[4].slotId },
        });
        expect(moved.status).toBe(200);
        const [movedFirst, movedSecond] = moved.body.appointments;
        expect(movedFirst).toMatchObject({ id: first.id, slotId: slots[4].slotId, version: 2 });
        // The second dose sat at the earliest day of its interval, so it moved along to stay inside it.
        const days = (Date.parse(movedSecond.start) - Date.parse(movedFirst.start)) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(21);
        expect(movedSecond.dose).toBe(2);
      });

      test('centre staff see their day with the booked patients, and the reading is audited', async () => {
        const { token, patientId } = await logIn();
        const booked = await call('POST', '/api/booking/appointments', { token, body: { slotId: await firstSlot() } });
        const staffToken = await system.tokenFor({ role: 'staff', staffId: 's-1', centreId: centre.id });
        const day = await call('GET', `/api/centres/${centre.id}/day?date=${booked.body.appointments[0].localDate}`, {
          token: staffToken,
        });
        expect(day.status).toBe(200);
        expect(day.body.appointments.some((a: { patient: { id: string } }) => a.patient.id === patientId)).toBe(true);
        const audit = await system.store.listAudit(patientId);
        expect(audit.map((a) => a.action)).toContain('day-list');
      });
    });

    describe('a morning at the centre’s desk through the API', () => {
      test('check-in, recording, a retried request, a correction, a walk-in not given, and the day list kept current', async () => {
        const today = '2026-01-12';
        const deskMember = { role: 'staff', staffId: 'desk-1', centreId: centre.id } as const;
        let desk = await system.tokenFor(deskMember);
        const free = await call('GET', `/api/centres/${centre.id}/slots?vaccineId=comirnaty&from=${today}&to=${today}`);
        expect(free.status).toBe(200);
        const slot = free.body.slots.find((s: { localStart: string }) => s.localStart >= `${today}T10:00`);
        const { token } = await logIn(1951);
        const booked = await call('POST', '/api/booking/appointments', { token, body: { slotId: slot.slotId } });
        expect(booked.status).toBe(201);
        const visit = booked.body.appointments[0];
        const base = `/api/centres/${centre.id}/appointments/${visit.id}`;
        // A minute on, so that what the suite did before lies outside the list's overlap.
        system.clock.set(new Date(system.clock.now().getTime() + 60_000).toISOString());
        desk = await system.tokenFor(deskMember);
        const first = await call('GET', `/api/centres/${centre.id}/day?date=${today}`, { token: desk });
        expect(first.body).toMatchObject({ complete: true, asOf: expect.any(String) });

        system.clock.set(slot.start);
        desk = await system.tokenFor(deskMember);
        const key = { 'Idempotency-Key': 'desk-1:0001-check-in' };
        const arrived = await call('POST', `${base}/check-in`, { token: desk, headers: key });
        expect(arrived.status).toBe(200);
        expect(arrived.body.checkedInAt).toBe(slot.start);
        const manager = await system.tokenFor({ role: 'centre-manager', staffId: 'manager-1', centreId: centre.id });
        const delivered = await call('POST', `/api/centres/${centre.id}/batches`, {
          token: manager,
          body: { vaccineId: 'comirnaty', number: 'FK-1234', expiry: '2026-06-30', doses: 50 },
        });
        expect(delivered.status).toBe(201);
        const recording = { vaccineId: 'comirnaty', batchId: delivered.body.id, site: 'left_deltoid' };
        const recordKey = { 'Idempotency-Key': 'desk-1:0002-record' };
        const recorded = await call('POST', `${base}/complete`, { token: desk, body: recording, headers: recordKey });
        expect(recorded.status).toBe(200);
        expect(recorded.body.completion).toMatchObject({
          ...recording,
          lot: 'FK-1234',
          dose: 1,
          vaccinatorId: 'desk-1',
          warnings: [],
        });
        // The device's queue sends it again after a lost answer: the same answer, nothing recorded twice.
        const again = await call('POST', `${base}/complete`, { token: desk, body: recording, headers: recordKey });
        expect([again.status, again.body]).toEqual([200, recorded.body]);
        const batches = await call('GET', `/api/centres/${centre.id}/batches`, { token: desk });
        expect(batches.body.batches.find((b: { id: string }) => b.id === delivered.body.id)).toMatchObject({
          remaining: 49,
        });
        const badSite = await call('POST', `${base}/correct`, {
          token: desk,
          body: { ...recording, site: 'elbow', reason: 'site misread' },
        });
        expect([badSite.status, badSite.body.error.field]).toEqual([400, 'site']);
        const corrected = await call('POST', `${base}/correct`, {
          token: desk,
          body: { ...recording, site: 'right_deltoid', reason: 'site misread' },
        });
        expect(corrected.status).toBe(200);
        expect(corrected.body.corrections).toHaveLength(1);

        const walkIn = await call('POST', `/api/centres/${centre.id}/walk-ins`, {
          token: desk,
          body: {
            pesel: aCitizen({ born: 1948 }).pesel,
            givenName: 'Zofia',
            familyName: 'Wójcik',
            vaccineId: 'comirnaty',
          },
          headers: { 'Idempotency-Key': 'desk-1:0003-walk-in' },
        });
        expect(walkIn.status).toBe(201);
        expect(walkIn.body.appointment).toMatchObject({ slotId: slot.slotId, checkedInAt: slot.start });
        const notGiven = await call(
          'POST',
          `/api/centres/${centre.id}/appointments/${walkIn.body.appointment.id}/not-given`,
          { token: desk, body: { reason: 'unwell' } },
        );
        expect(notGiven.status).toBe(200);
        expect(notGiven.body).toMatchObject({ status: 'not_given', notGiven: { reason: 'unwell' } });

        const changes = await call('GET', `/api/centres/${centre.id}/day?date=${today}&since=${first.body.asOf}`, {
          token: desk,
        });
        expect(changes.status).toBe(200);
        expect(changes.body.complete).toBe(false);
        const states = Object.fromEntries(
          changes.body.appointments.map((a: { appointmentId: string; status: string }) => [a.appointmentId, a.status]),
        );
        expect(states).toEqual({ [visit.id]: 'completed', [walkIn.body.appointment.id]: 'not_given' });
      });
    });

    describe('bad requests are refused with the field named and nothing written', () => {
      test('malformed JSON', async () => {
        const { token } = await logIn();
        const before = await system.countAppointments();
        const reply = await call('POST', '/api/booking/appointments', { token, rawBody: '{"slotId":' });
        expect(reply.status).toBe(400);
        expect(reply.body.error.code).toBe('INVALID_JSON');
        expect(await system.countAppointments()).toBe(before);
      });

      test('a wrong type names the field', async () => {
        const { token } = await logIn();
        const reply = await call('POST', '/api/booking/appointments', { token, body: { slotId: 42 } });
        expect(reply.status).toBe(400);
        expect(reply.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'slotId' });
      });

      test('an unknown field is named', async () => {
        const { token } = await logIn();
        const reply = await call('POST', '/api/booking/appointments', { token, body: { slotId: 'x', dose: 3 } });
        expect(reply.status).toBe(400);
        expect(reply.body.error.field).toBe('dose');
      });

      test('an invalid PESEL', async () => {
        const reply = await call('POST', '/dev-idp/assertion', { body: { pesel: '44051401358' } });
        expect(reply.status).toBe(400);
        expect(reply.body.error).toMatchObject({ code: 'INVALID_PESEL_CHECKSUM', field: 'pesel' });
      });

      test('an unknown slot', async () => {
        const { token } = await logIn();
        const before = await system.countAppointments();
        const reply = await call('POST', '/api/booking/appointments', { token, body: { slotId: 'no-such-slot' } });
        expect(reply.status).toBe(404);
        expect(reply.body.error).toMatchObject({ code: 'SLOT_NOT_FOUND', field: 'slotId' });
        expect(await system.countAppointments()).toBe(before);
      });

      test('no token, a tampered token and an expired token', async () => {
        const { token, patientId } = await logIn();
        const path = `/api/booking/patients/${patientId}/appointments`;
        expect((await call('GET', path)).body.error.code).toBe('UNAUTHENTICATED');
        const [header, payload, signature] = token.split('.');
        const forged = Buffer.from(
          JSON.stringify({ ...JSON.parse(Buffer.from(payload as string, 'base64url').toString()), role: 'admin' }),
        ).toString('base64url');
        const tampered = await call('GET', path, { token: `${header}.${forged}.${signature}` });
        expect(tampered.status).toBe(401);
        expect(tampered.body.error.code).toBe('INVALID_TOKEN');
        const fresh = await logIn();
        system.clock.advanceDays(1);
        try {
          const expired = await call('GET', `/api/booking/patients/${fresh.patientId}/appointments`, {
            token: fresh.token,
          });
          expect(expired.status).toBe(401);
          expect(expired.body.error.code).toBe('TOKEN_EXPIRED');
        } finally {
          system.clock.advanceDays(-1);
        }
      });

      test('a patient cannot touch another patient’s appointment', async () => {
        const owner = await logIn();
        const intruder = await logIn();
        const booked = await call('POST', '/api/booking/appointments', {
          token: owner.token,
          body: { slotId: await firstSlot() },
        });
        const id = booked.body.appointments[0].id;
        const reply = await call('POST', `/api/booking/appointments/${id}/cancel`, { token: intruder.token, body: {} });
        expect(reply.status).toBe(403);
        expect(reply.body.error.code).toBe('NOT_YOUR_DATA');
        expect((await system.store.getAppointment(id))?.status).toBe('booked');
      });

      test('staff cannot touch another centre', async () => {
        const other = await system.addCentre({ location: { lat: 50.06, lon: 19.94 } });
        const staffToken = await system.tokenFor({ role: 'staff', staffId: 's-2', centreId: other.id });
        const reply = await call('GET', `/api/centres/${centre.id}/day?date=2026-01-12`, { token: staffToken });
        expect(reply.status).toBe(403);
        expect(reply.body.error.code).toBe('CENTRE_FORBIDDEN');
      });

      test('a patient cannot reach staff functions', async () => {
        const { token } = await logIn();
        const reply = await call('GET', `/api/centres/${centre.id}/day?date=2026-01-12`, { token });
        expect(reply.status).toBe(403);
        expect(reply.body.error.code).toBe('ROLE_NOT_ALLOWED');
      });
    });

    describe('identity', () => {
      test('an assertion logs in once: the same assertion again is refused 401 ASSERTION_USED', async () => {
        const citizen = aCitizen();
        const assertion = await call('POST', '/dev-idp/assertion', { body: { pesel: citizen.pesel } });
        const first = await call('POST', '/api/login', { body: { assertion: assertion.body.assertion } });
        expect(first.status).toBe(200);
        const replayed = await call('POST', '/api/login', { body: { assertion: assertion.body.assertion } });
        expect(replayed.status).toBe(401);
        expect(replayed.body.error.code).toBe('ASSERTION_USED');
        // A new assertion from the provider logs the same person in again.
        const fresh = await call('POST', '/dev-idp/assertion', { body: { pesel: citizen.pesel } });
        const again = await call('POST', '/api/login', { body: { assertion: fresh.body.assertion } });
        expect(again.status).toBe(200);
        expect(again.body.patient.id).toBe(first.body.patient.id);
      });

      test('parallel logins with one assertion give exactly one session', async () => {
        const citizen = aCitizen();
        const { assertion } = (await call('POST', '/dev-idp/assertion', { body: { pesel: citizen.pesel } })).body;
        const replies = await Promise.all(
          Array.from({ length: 5 }, () => call('POST', '/api/login', { body: { assertion } })),
        );
        expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
        expect(replies.filter((r) => r.status !== 200).map((r) => [r.status, r.body.error.code])).toEqual(
          Array(4).fill([401, 'ASSERTION_USED']),
        );
      });

      test('a staff session whose member is no longer at its centre is refused 401 SUBJECT_UNKNOWN', async () => {
        const other = await system.addCentre({ location: { lat: 51.11, lon: 17.03 } });
        const token = await system.tokenFor({ role: 'staff', staffId: 's-moved', centreId: centre.id });
        await system.store.runInTransaction(async (tx) => {
          tx.putStaff({
            id: 's-moved',
            name: 'Moved',
            email: 's-moved@example.test',
            centreId: other.id,
            role: 'staff',
          });
        });
        const day = await call('GET', `/api/centres/${centre.id}/day?date=2026-01-12`, { token });
        expect(day.status).toBe(401);
        expect(day.body.error.code).toBe('SUBJECT_UNKNOWN');
      });
    });

    describe('a centre manager changes the schedule knowing what it does', () => {
      test('the preview names the visits a change would cancel; unconfirmed it is refused, confirmed it does just that', async () => {
        // A centre of its own, far from the others, so that the patients' searches above never meet it.
        const krakow = await system.addCentre({
          address: { street: 'ul. Długa 1', postalCode: '31-147', city: 'Kraków', voivodeship: 'małopolskie' },
          location: { lat: 50.0697, lon: 19.9418 },
        });
        const manager = await system.tokenFor({ role: 'centre-manager', staffId: 'm-krakow', centreId: krakow.id });
        const slot = (await system.store.listSlotsOfCentreDay(krakow.id, '2026-01-14')).find(
          (s) => s.vaccineId === 'comirnaty',
        );
        for (let i = 0; i < 2; i++) {
          const { token } = await logIn();
          const booked = await call('POST', '/api/booking/appointments', { token, body: { slotId: slot?.id } });
          expect(booked.status).toBe(201);
        }
        const lower = aSchedule({ capacity: { comirnaty: 1, vaxzevria: 2 } });
        const path = `/api/centres/${krakow.id}/schedule`;

        const preview = await call('POST', `${path}/preview`, { token: manager, body: lower });
        const refused = await call('PUT', path, { token: manager, body: lower });
        const after = await system.store.getSlot(slot?.id as string);
        const confirm = preview.body.cancellations.map((c: { appointmentId: string }) => c.appointmentId);
        const changed = await call('PUT', path, { token: manager, body: { ...lower, confirmCancellations: confirm } });

        expect(preview.status).toBe(200);
        expect(preview.body.cancellations.map((c: { dose: number }) => c.dose)).toEqual([1, 2]);
        expect(refused.status).toBe(409);
        expect(refused.body.error.code).toBe('CANCELLATIONS_NOT_CONFIRMED');
        expect(after).toMatchObject({ capacity: 3, booked: 2 });
        expect(changed.status).toBe(200);
        const { schedule: _, cancelledAppointments, ...done } = changed.body;
        expect(done).toEqual(preview.body);
        expect(cancelledAppointments).toBe(2);
        expect(await system.store.getSlot(slot?.id as string)).toMatchObject({ capacity: 1, booked: 1 });
      });
    });

    describe('an agent changes a caller’s contact', () => {
      test('a landline replaces the mobile (kept, masked to the agent); a mobile given as landline is 400 NOT_A_LANDLINE at landline', async () => {
        const { patientId } = await logIn(1952);
        const pesel = (await system.store.getPatient(patientId))?.pesel;
        const agent = await system.tokenFor({ role: 'agent', agentId: 'agent-contact' });
        const lookUp = await call('POST', '/api/booking/hotline/lookups', {
          token: agent,
          body: { by: 'pesel', value: pesel, reason: 'caller-changing' },
        });
        expect(lookUp.status).toBe(200);
        const contact = (body: Record<string, unknown>) =>
          call('PUT', `/api/booking/patients/${patientId}/contact`, {
            token: agent,
            body: { ...body, reason: 'caller-changing' },
          });

        const mobile = await contact({ landline: '+48 601 234 567' });
        expect([mobile.status, mobile.body.error.code, mobile.body.error.field]).toEqual([
          400,
          'NOT_A_LANDLINE',
          'landline',
        ]);
        const both = await contact({ phone: '601 234 567', landline: '22 628 00 00' });
        expect([both.status, both.body.error.code, both.body.error.field]).toEqual([
          400,
          'MOBILE_OR_LANDLINE',
          'landline',
        ]);
        expect((await system.store.getPatient(patientId))?.landline ?? null).toBeNull();

        const changed = await contact({ landline: '(22) 628 00 00' });
        expect(changed.status).toBe(200);
        expect(changed.body.patient).toMatchObject({ phone: null, landline: '+48 *** *** 000' });
        expect(await system.store.getPatient(patientId)).toMatchObject({ phone: null, landline: '+48226280000' });
        const byLandline = await call('POST', '/api/booking/hotline/lookups', {
          token: agent,
          body: { by: 'phone', value: '22 628 00 00', reason: 'caller-asking' },
        });
        expect(byLandline.body.callers.map((c: { patientId: string }) => c.patientId)).toEqual([patientId]);
      });
    });

    describe('the hotline supervisor reads the audit log', () => {
      test('every read is itself audited with the filters used, naming no one beyond the person asked for', async () => {
        const { patientId } = await logIn(1953);
        const patient = await system.store.getPatient(patientId);
        const agent = await system.tokenFor({ role: 'agent', agentId: 'agent-audited' });
        const supervisor = await system.tokenFor({ role: 'supervisor', supervisorId: 'supervisor-reading' });
        const lookUp = await call('POST', '/api/booking/hotline/lookups', {
          token: agent,
          body: { by: 'pesel', value: patient?.pesel, reason: 'caller-asking' },
        });
        expect(lookUp.status).toBe(200);

        // A minute between reads, so that the records' order is their time's.
        const read = async (query: string) => {
          system.clock.advanceMinutes(1);
          const answer = await call('GET', `/api/admin/hotline/audit?${query}`, { token: supervisor });
          expect(answer.status).toBe(200);
          return answer.body.records as Array<{ action: string; patientId: string | null; reason: string }>;
        };
        const first = await read(`patientId=${patientId}&agentId=agent-audited&from=2026-01-01&limit=5`);
        expect(first.map((r) => r.action)).toEqual(['lookup']);
        await read('limit=1');
        const ofPerson = await read(`patientId=${patientId}`);
        expect(ofPerson.map((r) => r.action)).toEqual(['audit-read', 'lookup']);
        expect(ofPerson[0]).toMatchObject({
          actor: { role: 'supervisor', id: 'supervisor-reading' },
          patientId,
          reason: 'agentId=agent-audited&from=2026-01-01&limit=5',
        });
        expect(JSON.stringify(ofPerson[0])).not.toContain(patient?.pesel);
        const latest = await read('limit=2');
        expect(latest.map((r) => [r.action, r.patientId, r.reason])).toEqual([
          ['audit-read', patientId, 'all'],
          ['audit-read', null, 'limit=1'],
        ]);
        // By the agent's id, the supervisor's reads are not among the agent's records.
        expect((await read('agentId=agent-audited')).map((r) => r.action)).toEqual(['lookup']);
      });
    });

    describe('the service documents itself', () => {
      test('the OpenAPI document lists every route with the schemas that validate it', async () => {
        const { ROUTES } = await import('@ereg/shared');
        const reply = await call('GET', '/api/openapi.json');
        expect(reply.status).toBe(200);
        expect(reply.body.openapi).toBe('3.1.0');
        const operations = Object.values(reply.body.paths).flatMap((p) => Object.values(p as object));
        expect(operations).toHaveLength(Object.keys(ROUTES).length);
        const book = reply.body.paths['/api/booking/appointments'].post;
        expect(book.requestBody.content['application/json'].schema.required).toContain('slotId');
        expect(book.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
      });

      test('the health check answers', async () => {
        const reply = await call('GET', '/healthz');
        expect(reply).toEqual({ status: 200, body: { status: 'ok' } });
      });
    });
  });
}
