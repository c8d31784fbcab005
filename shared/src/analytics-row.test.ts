import { analyticsRow } from './analytics-row.ts';
import type { DomainEvent } from './events.ts';
import { anEvent, anEventOfEveryType } from './testing/event-builders.ts';

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

    expect(analyticsRow(event)).toEqual({
      event_id: 'evt-9',
      type: 'appointment.booked',
      occurred_at: '2026-03-02T08:15:00.000Z',
      subject_id: 'apt-9',
      centre_id: 'ctr-5',
      vaccine_id: 'spikevax',
      dose: 2,
      visit_date: '2026-04-01',
      actor_role: 'agent',
      data: JSON.stringify(event.data),
      schema_version: 1,
    });
  });

  test('a completion records the product given and the day of the visit', () => {
    const row = analyticsRow(anEvent('appointment.completed', { vaccineId: 'vaxzevria', localDate: '2026-03-10' }));

    expect(row).toMatchObject({ centre_id: 'ctr-1', vaccine_id: 'vaxzevria', dose: 1, visit_date: '2026-03-10' });
  });

  test('a move keeps product and dose, with both places in the payload', () => {
    const event = anEvent('appointment.rescheduled', { dose: 2 });
    const row = analyticsRow(event);

    expect(row).toMatchObject({ centre_id: null, vaccine_id: 'comirnaty', dose: 2, visit_date: null });
    expect(JSON.parse(row.data)).toMatchObject({ from: event.data.from, to: event.data.to });
  });

  test('a batch added, depleted or wasted gives the centre and product, and loses the words typed for waste', () => {
    const lot = { centreId: 'ctr-6', vaccineId: 'spikevax' };
    for (const event of [anEvent('batch.added', lot), anEvent('batch.depleted', lot), anEvent('dose.wasted', lot)]) {
      expect(analyticsRow(event)).toMatchObject({
        centre_id: 'ctr-6',
        vaccine_id: 'spikevax',
        dose: null,
        visit_date: null,
      });
    }
    const wasted = analyticsRow(anEvent('dose.wasted', { reasonCode: 'other', note: 'Fiolka upadła' }));
    expect(JSON.parse(wasted.data)).toMatchObject({ reasonCode: 'other', count: 2 });
    expect(wasted.data).not.toContain('upadła');
  });

  test('published slots and a cancelled day give the centre and the day', () => {
    const day = { centreId: 'ctr-4', date: '2026-03-20' };
    for (const event of [anEvent('slots.published', day), anEvent('centre.day_cancelled', day)]) {
      expect(analyticsRow(event)).toMatchObject({
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
      expect(analyticsRow(event)).toMatchObject({
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
      expect(analyticsRow(event)).toMatchObject({
        centre_id: null,
        vaccine_id: null,
        dose: null,
        visit_date: null,
      });
    }
  });

  test('every event type gives the same columns, its id, type and actor', () => {
    const rows = anEventOfEveryType().map((event) => ({ event, row: analyticsRow(event) }));
    const columns = Object.keys(rows[0]?.row ?? {});

    for (const { event, row } of rows) {
      expect(Object.keys(row)).toEqual(columns);
      expect(row).toMatchObject({ event_id: event.id, type: event.type, actor_role: event.actor.role });
    }
  });

  test('a registration gives the birth year and sex, never the birth date, whichever version wrote it', () => {
    const before = analyticsRow(anEvent('patient.registered', { birthDate: '1950-04-02', sex: 'male' }));
    const after = analyticsRow(anEvent('patient.registered.v2', { birthYear: 1950, sex: 'male' }));

    expect(JSON.parse(before.data)).toEqual({ patientId: 'pat-1', birthYear: 1950, sex: 'male' });
    expect(JSON.parse(after.data)).toEqual(JSON.parse(before.data));
    expect(before.data).not.toContain('04-02');
  });

  test('a cancellation keeps its reason code and loses the words typed for the person', () => {
    const event = anEvent('appointment.cancelled', {
      reason: 'Pacjentka zadzwoniła, że jest chora (Anna Nowak, tel. 600100200)',
      reasonCode: 'requested',
    });
    const data = JSON.parse(analyticsRow(event).data);

    expect(data).toMatchObject({ reasonCode: 'requested', cascade: false, appointmentId: 'apt-1' });
    expect(analyticsRow(event).data).not.toContain('Nowak');
  });

  test('no event type carries a person’s name, PESEL, phone, birth date or free text into analytics', () => {
    const free = (event: DomainEvent): string[] => {
      const data = event.data as unknown as Record<string, unknown>;
      return NOT_FOR_ANALYSTS.flatMap((key) => (typeof data[key] === 'string' ? [data[key] as string] : []));
    };
    for (const event of anEventOfEveryType()) {
      const data = JSON.parse(analyticsRow(event).data);
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

  test('every other payload reaches analytics as it was written', () => {
    const stripped = [
      'patient.registered',
      'appointment.cancelled',
      'centre.day_cancelled',
      'eligibility.rule_added',
      'dose.wasted',
    ];
    for (const event of anEventOfEveryType().filter((e) => !stripped.includes(e.type))) {
      expect(JSON.parse(analyticsRow(event).data)).toEqual(event.data);
    }
  });
});
