/** @jest-environment node */
import type { CentreSchedule } from '@ereg/shared';
import {
  checkScheduleForm,
  formOf,
  loweredCapacity,
  type ScheduleForm,
  sameSchedule,
  scheduleFieldPath,
  scheduleOf,
  withDayClosed,
} from './schedule-form.ts';

/** Weekdays 08:00–16:00 with a lunch break on Friday, a closed date, extra hours and a day closed early. */
function aSchedule(overrides: Partial<CentreSchedule> = {}): CentreSchedule {
  return {
    weekly: {
      days: {
        mon: [{ from: '08:00', to: '16:00' }],
        tue: [{ from: '08:00', to: '16:00' }],
        fri: [
          { from: '08:00', to: '12:00' },
          { from: '13:00', to: '16:00' },
        ],
      },
      slotMinutes: 10,
      capacity: { comirnaty: 3, spikevax: 6 },
    },
    closedDates: ['2026-01-20'],
    extraHours: [{ date: '2026-02-01', from: '10:00', to: '14:00' }],
    closedFrom: [{ date: '2026-01-12', from: '12:00' }],
    ...overrides,
  };
}

const PRODUCTS = ['comirnaty', 'spikevax', 'vaxzevria'];

let keys = 0;
const key = () => `k${++keys}`;

/** A form edited from a schedule by a function of its fields. */
const edited = (change: (form: ScheduleForm) => ScheduleForm, schedule = aSchedule()) =>
  change(formOf(schedule, PRODUCTS, key));

describe('the schedule form', () => {
  it('gives back the schedule it was made of, every field in place', () => {
    const schedule = aSchedule();
    expect(scheduleOf(formOf(schedule, PRODUCTS, key))).toEqual(schedule);
  });

  it('lists every weekday and every product of the catalogue, closed days empty and products without places at 0', () => {
    const form = formOf(aSchedule(), PRODUCTS, key);
    expect(Object.keys(form.days)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    expect(form.days.wed).toEqual([]);
    expect(form.capacity).toEqual({ comirnaty: '3', spikevax: '6', vaxzevria: '0' });
  });

  it('sends what was typed: trimmed numbers, times without seconds, a product set to 0 left out', () => {
    const schedule = scheduleOf(
      edited((f) => ({
        ...f,
        slotMinutes: ' 15 ',
        capacity: { ...f.capacity, spikevax: '0', vaxzevria: '2' },
        days: { ...f.days, wed: [{ key: key(), from: '09:00:00', to: '12:30' }] },
      })),
    );
    expect(schedule.weekly.slotMinutes).toBe(15);
    expect(schedule.weekly.capacity).toEqual({ comirnaty: 3, vaxzevria: 2 });
    expect(schedule.weekly.days.wed).toEqual([{ from: '09:00', to: '12:30' }]);
  });

  it('keeps the rows in the order of the form, so that a field the API names is the row on screen', () => {
    const form = edited((f) => ({
      ...f,
      closedDates: [...f.closedDates, { key: key(), date: '2026-01-15' }],
      extraHours: [...f.extraHours, { key: key(), date: '2026-01-10', from: '10:00', to: '11:00' }],
    }));
    const schedule = scheduleOf(form);
    expect(schedule.closedDates).toEqual(['2026-01-20', '2026-01-15']);
    expect(schedule.extraHours.map((e) => e.date)).toEqual(['2026-02-01', '2026-01-10']);
  });

  it('finds nothing wrong with a schedule as saved', () => {
    expect([...checkScheduleForm(formOf(aSchedule(), PRODUCTS, key))]).toEqual([]);
  });

  it('names each field to fix by the API’s path, with what is wrong', () => {
    const form = edited((f) => ({
      ...f,
      slotMinutes: '3',
      capacity: { ...f.capacity, spikevax: '501', vaxzevria: 'dużo' },
      days: {
        ...f.days,
        mon: [{ key: key(), from: '', to: '16:00' }],
        tue: [{ key: key(), from: '12:00', to: '09:00' }],
        fri: [
          { key: key(), from: '08:00', to: '12:00' },
          { key: key(), from: '11:00', to: '16:00' },
        ],
      },
      closedDates: [{ key: key(), date: '' }],
      extraHours: [
        { key: key(), date: '2026-02-01', from: '10:00', to: '14:00' },
        { key: key(), date: '2026-02-01', from: '13:00', to: '15:00' },
      ],
    }));
    expect(Object.fromEntries(checkScheduleForm(form))).toEqual({
      'weekly.days.mon.0.from': 'required',
      'weekly.days.tue.0.to': 'order',
      'weekly.days.fri.1.from': 'overlap',
      'weekly.slotMinutes': 'slotLength',
      'weekly.capacity.spikevax': 'capacity',
      'weekly.capacity.vaxzevria': 'capacity',
      'closedDates.0': 'required',
      'extraHours.1.from': 'overlap',
    });
  });

  it('refuses opening hours with no places for any product, as nobody could book them', () => {
    const form = edited((f) => ({ ...f, capacity: { comirnaty: '0', spikevax: '0', vaxzevria: '0' } }));
    expect(Object.fromEntries(checkScheduleForm(form))).toEqual({ 'weekly.capacity': 'noCapacity' });
  });

  it('reads the field the API names, from the use case and from the request schema alike', () => {
    expect(scheduleFieldPath('schedule.weekly.days.mon[0].to')).toBe('weekly.days.mon.0.to');
    expect(scheduleFieldPath('weekly.days.mon.0.to')).toBe('weekly.days.mon.0.to');
    expect(scheduleFieldPath('schedule.extraHours[12].date')).toBe('extraHours.12.date');
    expect(scheduleFieldPath('schedule.weekly.capacity')).toBe('weekly.capacity');
    expect(scheduleFieldPath(undefined)).toBeNull();
    expect(scheduleFieldPath('')).toBeNull();
  });

  it('tells which products the change leaves with fewer places per slot', () => {
    const saved = aSchedule();
    const change = scheduleOf(edited((f) => ({ ...f, capacity: { comirnaty: '1', spikevax: '8', vaxzevria: '0' } })));
    expect(loweredCapacity(saved, change)).toEqual([{ productId: 'comirnaty', before: 3, after: 1 }]);
    const dropped = scheduleOf(edited((f) => ({ ...f, capacity: { ...f.capacity, spikevax: '0' } })));
    expect(loweredCapacity(saved, dropped)).toEqual([{ productId: 'spikevax', before: 6, after: 0 }]);
    expect(loweredCapacity(saved, saved)).toEqual([]);
  });

  it('tells a changed form from the one previewed', () => {
    const form = formOf(aSchedule(), PRODUCTS, key);
    expect(sameSchedule(scheduleOf(form), aSchedule())).toBe(true);
    expect(sameSchedule(scheduleOf({ ...form, slotMinutes: '15' }), aSchedule())).toBe(false);
  });
});

describe('a day closed in the schedule', () => {
  it('joins the closed dates once, in order, when the whole day closes', () => {
    const closed = withDayClosed(aSchedule(), '2026-01-14', null);
    expect(closed.closedDates).toEqual(['2026-01-14', '2026-01-20']);
    expect(withDayClosed(closed, '2026-01-14', null).closedDates).toEqual(['2026-01-14', '2026-01-20']);
  });

  it('closes the rest of a day from a time, keeping an earlier closing of it', () => {
    const later = withDayClosed(aSchedule(), '2026-01-12', '15:00');
    expect(later.closedFrom).toEqual([{ date: '2026-01-12', from: '12:00' }]);
    const earlier = withDayClosed(aSchedule(), '2026-01-12', '10:30');
    expect(earlier.closedFrom).toEqual([{ date: '2026-01-12', from: '10:30' }]);
    const other = withDayClosed(aSchedule(), '2026-01-13', '11:00');
    expect(other.closedFrom).toEqual([
      { date: '2026-01-12', from: '12:00' },
      { date: '2026-01-13', from: '11:00' },
    ]);
    expect(other.closedDates).toEqual(['2026-01-20']);
  });
});
