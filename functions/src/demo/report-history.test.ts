import { parseDomainEvent, VACCINES } from '@ereg/shared';
import { buildDemoCentres } from './demo-data.ts';
import { HISTORY_PREFIX, reportHistory, reportHistorySnapshots } from './report-history.ts';

const centres = buildDemoCentres({ seed: 7, count: 16, now: new Date('2026-01-12T07:00:00Z') });
const options = { seed: 7, days: 14, today: '2026-01-12', centres, vaccines: VACCINES, visitsPerCentreDay: 5 };
const events = [...reportHistory(options)];

describe('the reports’ history of a demo system', () => {
  test('is the same for the same seed, and every event is one the system could have written', () => {
    expect([...reportHistory(options)].map((e) => e.id)).toEqual(events.map((e) => e.id));
    for (const event of events) expect(parseDomainEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(events.every((e) => e.id.startsWith(HISTORY_PREFIX))).toBe(true);
  });

  test('fills the days before today, not today: visits and their outcomes on each of them', () => {
    const outcomes = events.filter((e) =>
      ['appointment.completed', 'appointment.no_show', 'appointment.not_given'].includes(e.type),
    );
    const days = new Set(outcomes.map((e) => (e.data as { localDate: string }).localDate));
    expect(days.size).toBe(14);
    expect([...days].every((d) => d < '2026-01-12' && d >= '2025-12-29')).toBe(true);
    expect(events.every((e) => e.occurredAt < '2026-01-12')).toBe(true);
    // Most are given; some missed, some turned away.
    const given = outcomes.filter((e) => e.type === 'appointment.completed').length;
    expect(given / outcomes.length).toBeGreaterThan(0.8);
    expect(outcomes.some((e) => e.type === 'appointment.no_show')).toBe(true);
  });

  test('the oldest come first: the youngest vaccinated in the first week is older than in the last', () => {
    const birthYear = new Map(
      events.flatMap((e) =>
        e.type === 'patient.registered.v2' ? [[e.data.patientId, e.data.birthYear] as const] : [],
      ),
    );
    const youngest = (from: string, to: string) =>
      Math.max(
        ...events.flatMap((e) =>
          e.type === 'appointment.booked' && e.data.dose === 1 && e.data.localDate >= from && e.data.localDate <= to
            ? [birthYear.get(e.data.patientId) ?? 0]
            : [],
        ),
      );
    expect(youngest('2025-12-29', '2026-01-04')).toBeLessThan(youngest('2026-01-05', '2026-01-11'));
  });

  test('a second dose follows its first by the product’s interval, booked with it', () => {
    const booked = events.filter((e) => e.type === 'appointment.booked');
    const later = booked.filter((e) => e.data.autoBooked);
    expect(later.length).toBeGreaterThan(0);
    for (const second of later) {
      const first = booked.find((e) => e.data.bookingId === second.data.bookingId && e.data.dose === 1);
      const interval = VACCINES.find((v) => v.id === second.data.vaccineId)?.minIntervalDays ?? 0;
      expect((Date.parse(second.data.localDate) - Date.parse(first?.data.localDate ?? '')) / 86_400_000).toBe(interval);
    }
  });

  test('a snapshot each morning, per centre and product it gives', () => {
    const snapshots = reportHistorySnapshots(options);
    expect(new Set(snapshots.map((s) => s.date)).size).toBe(14);
    expect(snapshots.every((s) => s.booked + s.free === s.published)).toBe(true);
  });
});
