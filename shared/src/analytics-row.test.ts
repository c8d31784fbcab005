import { analyticsRow } from './analytics-row.ts';
import { anEvent, anEventOfEveryType } from './testing/event-builders.ts';

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

  test('every event type gives the same columns, its id, type and actor, and its payload unchanged', () => {
    const rows = anEventOfEveryType().map((event) => ({ event, row: analyticsRow(event) }));
    const columns = Object.keys(rows[0]?.row ?? {});

    for (const { event, row } of rows) {
      expect(Object.keys(row)).toEqual(columns);
      expect(row).toMatchObject({ event_id: event.id, type: event.type, actor_role: event.actor.role });
      expect(JSON.parse(row.data)).toEqual(event.data);
    }
  });
});
