import { type AnalyticsContext, analyticsRow, PSEUDONYMISED_KEYS } from './analytics-row.ts';
import type { DomainEvent } from './events.ts';
import { anEvent, anEventOfEveryType, TEST_ANALYTICS } from './testing/event-builders.ts';

/** Payload fields that name, reach or describe a person, or carry whatever someone typed. */
const NOT_FOR_ANALYSTS = ['birthDate', 'pesel', 'givenName', 'familyName', 'phone', 'reason', 'description', 'note'];

/** Every key of a JSON document, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

/** Every string of a JSON document, at any depth. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(stringsOf);
}

/** Pseudonyms that show which id they stand for, so a test can tell one was used. */
const CONTEXT: AnalyticsContext = TEST_ANALYTICS;

describe('analyticsRow', () => {
  test('a booking gives its centre, product, dose and visit day, and the payload as JSON', () => {
    const event = anEvent(
      'appointment.booked',
      { centreId: 'ctr-5', vaccineId: 'spikevax', dose: 2, localDate: '2026-04-01' },
      {
        id: 'evt-9',
        occurredAt: '2026-03-02T08:15:00.000Z',
        actor: { role: 'agent', id: 'agt-1' },
        subjectId: 'apt-9',
      },
    );

    expect(analyticsRow(event, CONTEXT)).toEqual({
      event_id: 'evt-9',
      type: 'appointment.booked',
      occurred_at: '2026-03-02T08:15:00.000Z',
      occurred_on: '2026-03-02',
      subject_id: 'ps(apt-9)',
      centre_id: 'ctr-5',
      vaccine_id: 'spikevax',
      dose: 2,
      visit_date: '2026-04-01',
      actor_role: 'agent',
      data: JSON.stringify({
        ...event.data,
        appointmentId: `ps(${event.data.appointmentId})`,
        patientId: `ps(${event.data.patientId})`,
        bookingId: `ps(${event.data.bookingId})`,
      }),
      schema_version: 1,
      received_at: '2026-03-02T08:15:02.000Z',
      person_id: `ps(${event.data.patientId})`,
    });
  });

  test("an event counts on the country's date it happened, not the UTC one", () => {
    const lateEvening = anEvent('appointment.booked', {}, { occurredAt: '2026-03-02T23:30:00.000Z' });
    const summerNight = anEvent('appointment.booked', {}, { occurredAt: '2026-07-01T22:10:00.000Z' });

    expect(analyticsRow(lateEvening, CONTEXT).occurred_on).toBe('2026-03-03');
    expect(analyticsRow(summerNight, CONTEXT).occurred_on).toBe('2026-07-02');
  });

  test('every id that leads to a person is a pseudonym, at any depth; a centre or product id is not', () => {
    for (const event of anEventOfEveryType()) {
      const row = analyticsRow(event, CONTEXT);
      expect(row.subject_id).toBe(`ps(${event.subjectId})`);
      const ids = (value: unknown): string[] =>
        Array.isArray(value)
          ? value.flatMap(ids)
          : typeof value === 'object' && value !== null
            ? Object.entries(value).flatMap(([key, inner]) =>
                typeof inner === 'string' && PSEUDONYMISED_KEYS.includes(key) ? [inner] : ids(inner),
              )
            : [];
      for (const id of ids(JSON.parse(row.data)))
        expect({ type: event.type, id }).toEqual({ type: event.type, id: expect.stringMatching(/^ps\(/) });
      if (row.centre_id !== null) expect(row.centre_id).not.toMatch(/^ps\(/);
      const patientId = (event.data as { patientId?: string | null }).patientId;
      expect({ type: event.type, person: row.person_id }).toEqual({
        type: event.type,
        person: typeof patientId === 'string' ? `ps(${patientId})` : null,
      });
    }
    const booked = analyticsRow(anEvent('appointment.booked', { patientId: 'pat-77' }), CONTEXT);
    expect(JSON.parse(booked.data).patientId).toBe('ps(pat-77)');
  });

  test('a completion records the product given and the day of the visit', () => {
    const row = analyticsRow(
      anEvent('appointment.completed', { vaccineId: 'vaxzevria', localDate: '2026-03-10' }),
      CONTEXT,
    );

    expect(row).toMatchObject({ centre_id: 'ctr-1', vaccine_id: 'vaxzevria', dose: 1, visit_date: '2026-03-10' });
  });

  test('a move keeps product and dose, with both places in the payload', () => {
    const event = anEvent('appointment.rescheduled', { dose: 2 });
    const row = analyticsRow(event, CONTEXT);

    expect(row).toMatchObject({ centre_id: null, vaccine_id: 'comirnaty', dose: 2, visit_date: null });
    expect(JSON.parse(row.data)).toMatchObject({ from: event.data.from, to: event.data.to });
  });

  test('a batch added, depleted or wasted gives the centre and product, and loses the words typed for waste', () => {
    const lot = { centreId: 'ctr-6', vaccineId: 'spikevax' };
    for (const event of [anEvent('batch.added', lot), anEvent('batch.depleted', lot), anEvent('dose.wasted', lot)]) {
      expect(analyticsRow(event, CONTEXT)).toMatchObject({
        centre_id: 'ctr-6',
        vaccine_id: 'spikevax',
        dose: null,
        visit_date: null,
      });
    }
    const wasted = analyticsRow(anEvent('dose.wasted', { reasonCode: 'other', note: 'Fiolka upadła' }), CONTEXT);
    expect(JSON.parse(wasted.data)).toMatchObject({ reasonCode: 'other', count: 2 });
    expect(wasted.data).not.toContain('upadła');
  });

  test('published slots and a cancelled day give the centre and the day', () => {
    const day = { centreId: 'ctr-4', date: '2026-03-20' };
    for (const event of [anEvent('slots.published', day), anEvent('centre.day_cancelled', day)]) {
      expect(analyticsRow(event, CONTEXT)).toMatchObject({
        centre_id: 'ctr-4',
        vaccine_id: null,
        dose: null,
        visit_date: '2026-03-20',
      });
    }
  });

  test('a check-in, a schedule change and an onboarding give the centre only', () => {
    const centre = { centreId: 'ctr-8' };
    const events = [
      anEvent('appointment.checked_in', centre),
      anEvent('schedule.changed', centre),
      anEvent('centre.onboarded', centre),
    ];
    for (const event of events) {
      expect(analyticsRow(event, CONTEXT)).toMatchObject({
        centre_id: 'ctr-8',
        vaccine_id: null,
        dose: null,
        visit_date: null,
      });
    }
  });

  test('events about people and policy give no centre, product, dose or day', () => {
    const events = [
      anEvent('patient.registered'),
      anEvent('patient.registered.v2'),
      anEvent('patient.contact_changed'),
      anEvent('referral.issued'),
      anEvent('eligibility.rule_added'),
    ];
    for (const event of events) {
      expect(analyticsRow(event, CONTEXT)).toMatchObject({
        centre_id: null,
        vaccine_id: null,
        dose: null,
        visit_date: null,
      });
    }
  });

  test('every event type gives the same columns, its id, type and actor', () => {
    const rows = anEventOfEveryType().map((event) => ({ event, row: analyticsRow(event, CONTEXT) }));
    const columns = Object.keys(rows[0]?.row ?? {});

    for (const { event, row } of rows) {
      expect(Object.keys(row)).toEqual(columns);
      expect(row).toMatchObject({ event_id: event.id, type: event.type, actor_role: event.actor.role });
    }
  });

  test('a registration gives the birth year and sex, never the birth date, whichever version wrote it', () => {
    const before = analyticsRow(anEvent('patient.registered', { birthDate: '1950-04-02', sex: 'male' }), CONTEXT);
    const after = analyticsRow(anEvent('patient.registered.v2', { birthYear: 1950, sex: 'male' }), CONTEXT);

    expect(JSON.parse(before.data)).toEqual({ patientId: 'ps(pat-1)', birthYear: 1950, sex: 'male' });
    expect(JSON.parse(after.data)).toEqual(JSON.parse(before.data));
    expect(before.data).not.toContain('04-02');
  });

  test('a cancellation keeps its reason code and loses the words typed for the person', () => {
    const event = anEvent('appointment.cancelled', {
      reason: 'Pacjentka zadzwoniła, że jest chora (Anna Nowak, tel. 600100200)',
      reasonCode: 'requested',
    });
    const data = JSON.parse(analyticsRow(event, CONTEXT).data);

    expect(data).toMatchObject({ reasonCode: 'requested', cascade: false, appointmentId: 'ps(apt-1)' });
    expect(analyticsRow(event, CONTEXT).data).not.toContain('Nowak');
  });

  test('a text message’s outcome gives its purpose and status, and its key, which names a visit, only as a pseudonym', () => {
    const event = anEvent(
      'sms.status_changed',
      { purpose: 'reminder', status: 'undelivered', attempts: 2 },
      { subjectId: 'reminder:apt-7:2' },
    );
    const row = analyticsRow(event, CONTEXT);

    expect(row).toMatchObject({
      type: 'sms.status_changed',
      subject_id: 'ps(reminder:apt-7:2)',
      centre_id: null,
      vaccine_id: null,
      dose: null,
      visit_date: null,
      actor_role: 'system',
      person_id: null,
    });
    expect(JSON.parse(row.data)).toEqual({ purpose: 'reminder', status: 'undelivered', attempts: 2, language: 'pl' });
    expect(JSON.stringify({ ...row, subject_id: null })).not.toContain('apt-7');
  });

  test('no event type carries a person’s name, PESEL, phone, birth date or free text into analytics', () => {
    const free = (event: DomainEvent): string[] => {
      const data = event.data as unknown as Record<string, unknown>;
      return NOT_FOR_ANALYSTS.flatMap((key) => (typeof data[key] === 'string' ? [data[key] as string] : []));
    };
    for (const event of anEventOfEveryType()) {
      const data = JSON.parse(analyticsRow(event, CONTEXT).data);
      expect({ type: event.type, keys: keysOf(data).filter((key) => NOT_FOR_ANALYSTS.includes(key)) }).toEqual({
        type: event.type,
        keys: [],
      });
      const texts = stringsOf(data);
      expect({ type: event.type, leaked: free(event).filter((text) => texts.includes(text)) }).toEqual({
        type: event.type,
        leaked: [],
      });
    }
  });

  test('every other payload reaches analytics as it was written, but for its pseudonyms', () => {
    const same: AnalyticsContext = { ...CONTEXT, pseudonym: (id) => id };
    const stripped = [
      'patient.registered',
      'appointment.cancelled',
      'centre.day_cancelled',
      'centre.suspended',
      'centre.closed',
      'eligibility.rule_added',
      'dose.wasted',
    ];
    for (const event of anEventOfEveryType().filter((e) => !stripped.includes(e.type))) {
      expect(JSON.parse(analyticsRow(event, same).data)).toEqual(event.data);
    }
  });
});
