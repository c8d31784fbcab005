import { EVENT_TYPES, EVENT_VERSION, makeEvent, parseDomainEvent, touchedCentreDays } from './events.ts';
import { anEvent, anEventOfEveryType } from './testing/event-builders.ts';

const AT = new Date('2026-03-02T08:15:00.000Z');
const STAFF = { role: 'staff', id: 'stf-1' } as const;

describe('makeEvent', () => {
  test('puts the envelope around the payload, with the instant in UTC and the current version', () => {
    const event = makeEvent('evt-1', 'centre.day_cancelled', AT, STAFF, 'ctr-1', {
      centreId: 'ctr-1',
      date: '2026-03-10',
      reason: 'Power cut.',
    });

    expect(event).toEqual({
      id: 'evt-1',
      type: 'centre.day_cancelled',
      version: 1,
      occurredAt: '2026-03-02T08:15:00.000Z',
      actor: STAFF,
      subjectId: 'ctr-1',
      data: { centreId: 'ctr-1', date: '2026-03-10', reason: 'Power cut.' },
    });
  });

  test('keeps the payload field names that stored events and consumers read', () => {
    expect(Object.keys(anEvent('appointment.booked').data).sort()).toEqual([
      'appointmentId',
      'autoBooked',
      'bookingId',
      'centreId',
      'dose',
      'localDate',
      'patientId',
      'slotId',
      'start',
      'vaccineId',
      'version',
    ]);
    expect(Object.keys(anEvent('appointment.rescheduled').data.from).sort()).toEqual([
      'centreId',
      'localDate',
      'slotId',
      'start',
    ]);
  });
});

describe('parseDomainEvent', () => {
  const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  test('reads back every event type as it was written', () => {
    for (const event of anEventOfEveryType()) expect(parseDomainEvent(json(event))).toEqual(event);
  });

  test('reads an event stored before the version field as version 1', () => {
    const { version: _, ...stored } = anEvent('appointment.cancelled');

    expect(parseDomainEvent(json(stored))).toEqual({ ...stored, version: EVENT_VERSION });
  });

  test('reads back the trace an event carries from the request that wrote it, and none where it has none', () => {
    const traced = {
      ...anEvent('appointment.booked'),
      trace: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    };

    expect(parseDomainEvent(json(traced))).toEqual(traced);
    expect(parseDomainEvent(json(anEvent('appointment.booked')))).not.toHaveProperty('trace');
  });

  test('reads an event caused by a phone that texted us (a booking by SMS)', () => {
    const event = { ...anEvent('appointment.booked'), actor: { role: 'sms' as const, id: '+48601234567' } };

    expect(parseDomainEvent(json(event))).toEqual(event);
  });

  test('refuses an event type this code does not know, naming it', () => {
    const stored = { ...anEvent('appointment.booked'), type: 'appointment.booked.v2' };

    expect(() => parseDomainEvent(json(stored))).toThrow(
      'event evt-appointment.booked: unknown type "appointment.booked.v2"',
    );
  });

  test('refuses an envelope version this code does not know', () => {
    expect(() => parseDomainEvent(json({ ...anEvent('slots.published'), version: 2 }))).toThrow('unknown version 2');
  });

  test('refuses an envelope without actor, subject, time or payload', () => {
    const event = anEvent('patient.registered');
    for (const field of ['actor', 'subjectId', 'occurredAt', 'data', 'id'] as const) {
      const { [field]: _, ...without } = event;
      expect(() => parseDomainEvent(json(without))).toThrow();
    }
    expect(() => parseDomainEvent(json({ ...event, actor: { role: 'robot', id: 'r-1' } }))).toThrow('no actor');
    expect(() => parseDomainEvent('appointment.booked')).toThrow('not an object');
  });
});

describe('touchedCentreDays', () => {
  test('a booking or a cancellation touches its centre-day for its product', () => {
    const visit = { centreId: 'ctr-7', localDate: '2026-03-11' };
    for (const event of [anEvent('appointment.booked', visit), anEvent('appointment.cancelled', visit)]) {
      expect(touchedCentreDays(event)).toEqual([{ centreId: 'ctr-7', date: '2026-03-11', vaccineId: 'comirnaty' }]);
    }
  });

  test('a move touches the day it left and the day it went to', () => {
    expect(touchedCentreDays(anEvent('appointment.rescheduled', { vaccineId: 'spikevax' }))).toEqual([
      { centreId: 'ctr-1', date: '2026-03-10', vaccineId: 'spikevax' },
      { centreId: 'ctr-2', date: '2026-03-12', vaccineId: 'spikevax' },
    ]);
  });

  test('published slots and a cancelled day touch every product of the day', () => {
    const day = { centreId: 'ctr-3', date: '2026-03-13' };
    for (const event of [anEvent('slots.published', day), anEvent('centre.day_cancelled', day)]) {
      expect(touchedCentreDays(event)).toEqual([{ centreId: 'ctr-3', date: '2026-03-13', vaccineId: null }]);
    }
  });

  test('no other event changes free places', () => {
    const touching = new Set([
      'appointment.booked',
      'appointment.cancelled',
      'appointment.rescheduled',
      'slots.published',
      'centre.day_cancelled',
      // A hold counts in its slot.
      'standby.offered',
      'standby.taken',
      'standby.released',
      'standby.withdrawn',
    ]);
    const others = anEventOfEveryType().filter((event) => !touching.has(event.type));

    expect(others.map((event) => event.type)).toEqual(EVENT_TYPES.filter((type) => !touching.has(type)));
    for (const event of others) expect(touchedCentreDays(event)).toEqual([]);
  });
});
