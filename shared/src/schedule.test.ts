import { DomainError } from './errors.ts';
import type { Centre, CentreSchedule, Slot, WeeklyTemplate } from './model.ts';
import type { PlannedSlot } from './schedule.ts';
import { generateSlots, openingHours, planSlotChanges, slotId, validateSchedule } from './schedule.ts';

type TestCentre = Pick<Centre, 'id' | 'timeZone' | 'schedule'>;

const weekdays = { from: '08:00', to: '12:00' };

const aWeeklyTemplate = (overrides: Partial<WeeklyTemplate> = {}): WeeklyTemplate => ({
  days: { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] },
  slotMinutes: 15,
  capacity: { comirnaty: 3, vaxzevria: 2 },
  ...overrides,
});

const aSchedule = (overrides: Partial<CentreSchedule> = {}): CentreSchedule => ({
  weekly: aWeeklyTemplate(),
  closedDates: [],
  extraHours: [],
  ...overrides,
});

const aCentre = (overrides: Partial<TestCentre> = {}): TestCentre => ({
  id: 'c-0001',
  timeZone: 'Europe/Warsaw',
  schedule: aSchedule(),
  ...overrides,
});

const aPlannedSlot = (overrides: Partial<PlannedSlot> = {}): PlannedSlot => {
  const start = overrides.start ?? '2026-01-12T07:00:00.000Z';
  const vaccineId = overrides.vaccineId ?? 'comirnaty';
  return {
    id: slotId('c-0001', vaccineId, new Date(start)),
    centreId: 'c-0001',
    vaccineId,
    start,
    end: new Date(Date.parse(start) + 15 * 60_000).toISOString(),
    localDate: '2026-01-12',
    capacity: 3,
    ...overrides,
  };
};

const aSlot = (overrides: Partial<Slot> = {}): Slot => ({ ...aPlannedSlot(overrides), booked: 0, ...overrides });

/** The first start of each local date, as UTC instants. */
const firstStartByDate = (slots: PlannedSlot[]): Record<string, string> => {
  const first: Record<string, string> = {};
  for (const slot of slots) first[slot.localDate] ??= slot.start;
  return first;
};

const validationError = (run: () => void): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('slotId', () => {
  test('names centre, vaccine and the UTC start to the minute', () => {
    expect(slotId('c-0001', 'comirnaty', new Date('2026-03-29T06:00:00Z'))).toBe('c-0001_comirnaty_20260329T0600Z');
    expect(slotId('c-0001', 'vaxzevria', new Date('2026-12-31T23:45:00Z'))).toBe('c-0001_vaxzevria_20261231T2345Z');
  });

  test('refuses ids that would break a document path', () => {
    expect(() => slotId('c/1', 'comirnaty', new Date('2026-03-29T06:00:00Z'))).toThrow(DomainError);
  });
});

describe('openingHours', () => {
  test('a weekday gets its template hours and a day without any is closed', () => {
    const schedule = aSchedule();
    expect(openingHours(schedule, '2026-01-12')).toEqual([{ from: '08:00', to: '12:00' }]);
    expect(openingHours(schedule, '2026-01-17')).toEqual([]);
  });

  test('extra hours are added for their date only, sorted and merged with overlapping or touching hours', () => {
    const schedule = aSchedule({
      weekly: aWeeklyTemplate({
        days: {
          mon: [
            { from: '14:00', to: '16:00' },
            { from: '08:00', to: '12:00' },
          ],
        },
      }),
      extraHours: [
        { date: '2026-01-12', from: '11:00', to: '13:00' },
        { date: '2026-01-12', from: '16:00', to: '18:00' },
        { date: '2026-01-12', from: '06:00', to: '07:00' },
        { date: '2026-01-19', from: '18:00', to: '20:00' },
      ],
    });
    expect(openingHours(schedule, '2026-01-12')).toEqual([
      { from: '06:00', to: '07:00' },
      { from: '08:00', to: '13:00' },
      { from: '14:00', to: '18:00' },
    ]);
  });

  test('a closed date has no hours, even with extra hours', () => {
    const schedule = aSchedule({
      closedDates: ['2026-01-12'],
      extraHours: [{ date: '2026-01-12', from: '14:00', to: '16:00' }],
    });
    expect(openingHours(schedule, '2026-01-12')).toEqual([]);
    expect(openingHours(schedule, '2026-01-13')).toEqual([{ from: '08:00', to: '12:00' }]);
  });

  test('extra hours open a day the template keeps closed', () => {
    const schedule = aSchedule({ extraHours: [{ date: '2026-01-17', from: '09:00', to: '13:00' }] });
    expect(openingHours(schedule, '2026-01-17')).toEqual([{ from: '09:00', to: '13:00' }]);
  });

  test('a public holiday on a weekday is closed by default, the days around it keep their hours', () => {
    const schedule = aSchedule();
    // Thursday 24 and Friday 25 December 2026; Wednesday 23 is an ordinary day.
    expect(openingHours(schedule, '2026-12-23')).toEqual([{ from: '08:00', to: '12:00' }]);
    expect(openingHours(schedule, '2026-12-24')).toEqual([]);
    expect(openingHours(schedule, '2026-12-25')).toEqual([]);
    // Easter Monday and Corpus Christi move with Easter.
    expect(openingHours(schedule, '2026-04-06')).toEqual([]);
    expect(openingHours(schedule, '2026-06-04')).toEqual([]);
    expect(openingHours(schedule, '2026-04-07')).toEqual([{ from: '08:00', to: '12:00' }]);
  });

  test('extra hours open a centre on a public holiday, with those hours only', () => {
    const schedule = aSchedule({ extraHours: [{ date: '2026-01-06', from: '10:00', to: '14:00' }] });
    expect(openingHours(schedule, '2026-01-06')).toEqual([{ from: '10:00', to: '14:00' }]);
    expect(openingHours(schedule, '2026-01-01')).toEqual([]);
  });

  test('a closed date wins over an opening on a public holiday', () => {
    const schedule = aSchedule({
      closedDates: ['2026-01-06'],
      extraHours: [{ date: '2026-01-06', from: '10:00', to: '14:00' }],
    });
    expect(openingHours(schedule, '2026-01-06')).toEqual([]);
  });
});

describe('generateSlots', () => {
  test('a winter week in Warsaw opens at 07:00Z, with one slot per vaccine every 15 minutes', () => {
    const slots = generateSlots(aCentre(), '2026-01-12', '2026-01-18');

    // 5 days × 16 starts × 2 vaccines; Saturday and Sunday are closed.
    expect(slots).toHaveLength(160);
    expect(slots.slice(0, 3)).toEqual([
      {
        id: 'c-0001_comirnaty_20260112T0700Z',
        centreId: 'c-0001',
        vaccineId: 'comirnaty',
        start: '2026-01-12T07:00:00.000Z',
        end: '2026-01-12T07:15:00.000Z',
        localDate: '2026-01-12',
        capacity: 3,
      },
      {
        id: 'c-0001_vaxzevria_20260112T0700Z',
        centreId: 'c-0001',
        vaccineId: 'vaxzevria',
        start: '2026-01-12T07:00:00.000Z',
        end: '2026-01-12T07:15:00.000Z',
        localDate: '2026-01-12',
        capacity: 2,
      },
      expect.objectContaining({ vaccineId: 'comirnaty', start: '2026-01-12T07:15:00.000Z' }),
    ]);
    expect(slots.at(-1)).toMatchObject({
      vaccineId: 'vaxzevria',
      start: '2026-01-16T10:45:00.000Z',
      end: '2026-01-16T11:00:00.000Z',
    });
    expect(new Set(slots.map((s) => s.localDate))).toEqual(
      new Set(['2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15', '2026-01-16']),
    );
  });

  test('a summer week in Warsaw opens at 06:00Z', () => {
    const slots = generateSlots(aCentre(), '2026-07-13', '2026-07-19');

    expect(slots).toHaveLength(160);
    expect(slots[0]).toMatchObject({ id: 'c-0001_comirnaty_20260713T0600Z', start: '2026-07-13T06:00:00.000Z' });
    expect(slots.at(-1)).toMatchObject({ start: '2026-07-17T09:45:00.000Z', end: '2026-07-17T10:00:00.000Z' });
  });

  test('across the spring change every day still opens at local 08:00', () => {
    const slots = generateSlots(aCentre(), '2026-03-26', '2026-04-01');

    expect(firstStartByDate(slots)).toEqual({
      '2026-03-26': '2026-03-26T07:00:00.000Z',
      '2026-03-27': '2026-03-27T07:00:00.000Z',
      '2026-03-30': '2026-03-30T06:00:00.000Z',
      '2026-03-31': '2026-03-31T06:00:00.000Z',
      '2026-04-01': '2026-04-01T06:00:00.000Z',
    });
  });

  test('across the autumn change every day still opens at local 08:00', () => {
    const slots = generateSlots(aCentre(), '2026-10-22', '2026-10-27');

    expect(firstStartByDate(slots)).toEqual({
      '2026-10-22': '2026-10-22T06:00:00.000Z',
      '2026-10-23': '2026-10-23T06:00:00.000Z',
      '2026-10-26': '2026-10-26T07:00:00.000Z',
      '2026-10-27': '2026-10-27T07:00:00.000Z',
    });
  });

  test('on the spring-forward night the skipped hour has no slots and the rest stay one hour long in real time', () => {
    const centre = aCentre({
      schedule: aSchedule({
        weekly: aWeeklyTemplate({
          days: { sun: [{ from: '01:00', to: '04:00' }] },
          slotMinutes: 30,
          capacity: { comirnaty: 1 },
        }),
      }),
    });
    const slots = generateSlots(centre, '2026-03-29', '2026-03-29');

    expect(slots.map((s) => [s.start, s.end])).toEqual([
      ['2026-03-29T00:00:00.000Z', '2026-03-29T00:30:00.000Z'],
      ['2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z'],
      ['2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z'],
      ['2026-03-29T01:30:00.000Z', '2026-03-29T02:00:00.000Z'],
    ]);
  });

  test('on the fall-back night the repeated hour is offered once, at its first occurrence', () => {
    const centre = aCentre({
      schedule: aSchedule({
        weekly: aWeeklyTemplate({
          days: { sun: [{ from: '02:00', to: '04:00' }] },
          slotMinutes: 30,
          capacity: { comirnaty: 1 },
        }),
      }),
    });
    const slots = generateSlots(centre, '2026-10-25', '2026-10-25');

    expect(slots.map((s) => s.start)).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T02:30:00.000Z',
    ]);
  });

  test('a closed date gives no slots', () => {
    const centre = aCentre({ schedule: aSchedule({ closedDates: ['2026-01-13'] }) });
    const slots = generateSlots(centre, '2026-01-12', '2026-01-14');

    expect(slots.filter((s) => s.localDate === '2026-01-13')).toEqual([]);
    expect(slots).toHaveLength(64);
  });

  test('a day closed early gets no slot from that time on, and a slot begun before it keeps its length', () => {
    const centre = aCentre({ schedule: aSchedule({ closedFrom: [{ date: '2026-01-13', from: '10:10' }] }) });
    const slots = generateSlots(centre, '2026-01-13', '2026-01-13').filter((s) => s.vaccineId === 'comirnaty');

    // 08:00 to 10:00 and the 10:00 slot that began before 10:10: nine slots, the last ending at 10:15.
    expect(slots).toHaveLength(9);
    expect(slots.at(-1)?.end).toBe('2026-01-13T09:15:00.000Z');
    expect(openingHours(centre.schedule, '2026-01-13')).toEqual([{ from: '08:00', to: '10:10' }]);
    expect(openingHours(centre.schedule, '2026-01-14')).toEqual([{ from: '08:00', to: '12:00' }]);
  });

  test('extra hours add slots on their date', () => {
    const centre = aCentre({
      schedule: aSchedule({ extraHours: [{ date: '2026-01-17', from: '10:00', to: '11:00' }] }),
    });
    const slots = generateSlots(centre, '2026-01-17', '2026-01-17');

    expect(slots.map((s) => `${s.vaccineId} ${s.start}`)).toEqual([
      'comirnaty 2026-01-17T09:00:00.000Z',
      'vaxzevria 2026-01-17T09:00:00.000Z',
      'comirnaty 2026-01-17T09:15:00.000Z',
      'vaxzevria 2026-01-17T09:15:00.000Z',
      'comirnaty 2026-01-17T09:30:00.000Z',
      'vaxzevria 2026-01-17T09:30:00.000Z',
      'comirnaty 2026-01-17T09:45:00.000Z',
      'vaxzevria 2026-01-17T09:45:00.000Z',
    ]);
  });

  test('a slot that would run past closing is dropped', () => {
    const centre = aCentre({
      schedule: aSchedule({
        weekly: aWeeklyTemplate({ days: { mon: [{ from: '08:00', to: '09:10' }] }, capacity: { comirnaty: 3 } }),
      }),
    });
    const slots = generateSlots(centre, '2026-01-12', '2026-01-12');

    expect(slots.map((s) => s.start)).toEqual([
      '2026-01-12T07:00:00.000Z',
      '2026-01-12T07:15:00.000Z',
      '2026-01-12T07:30:00.000Z',
      '2026-01-12T07:45:00.000Z',
    ]);
  });

  test('vaccines with no capacity get no slots', () => {
    const centre = aCentre({
      schedule: aSchedule({ weekly: aWeeklyTemplate({ capacity: { comirnaty: 0, vaxzevria: 2 } }) }),
    });
    const slots = generateSlots(centre, '2026-01-12', '2026-01-12');

    expect(new Set(slots.map((s) => s.vaccineId))).toEqual(new Set(['vaxzevria']));
    expect(slots).toHaveLength(16);
  });

  test('the local date of a slot is the centre’s, not UTC’s', () => {
    const centre = aCentre({ id: 'c-tokyo', timeZone: 'Asia/Tokyo' });
    const [first] = generateSlots(centre, '2026-01-12', '2026-01-12');

    expect(first).toMatchObject({
      id: 'c-tokyo_comirnaty_20260111T2300Z',
      start: '2026-01-11T23:00:00.000Z',
      localDate: '2026-01-12',
    });
  });

  test('skips public holidays unless the centre opened on one', () => {
    const closed = generateSlots(aCentre(), '2026-12-21', '2026-12-27');
    expect([...new Set(closed.map((s) => s.localDate))]).toEqual(['2026-12-21', '2026-12-22', '2026-12-23']);

    const opened = aCentre({
      schedule: aSchedule({ extraHours: [{ date: '2026-12-24', from: '09:00', to: '10:00' }] }),
    });
    const christmasEve = generateSlots(opened, '2026-12-24', '2026-12-24');
    expect(christmasEve).toHaveLength(4 * 2);
    expect(christmasEve[0]).toMatchObject({ start: '2026-12-24T08:00:00.000Z', localDate: '2026-12-24' });
  });

  test('an empty or reversed date range gives no slots', () => {
    expect(generateSlots(aCentre(), '2026-01-13', '2026-01-12')).toEqual([]);
  });

  test('a year of slots for one centre is generated quickly', () => {
    const started = performance.now();
    const slots = generateSlots(aCentre(), '2026-01-01', '2026-12-31');
    const elapsed = performance.now() - started;

    // 261 weekdays, less the 8 public holidays of 2026 that fall on one.
    expect(slots).toHaveLength((261 - 8) * 16 * 2);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('validateSchedule', () => {
  const vaccines = ['comirnaty', 'vaxzevria', 'spikevax'];

  test('accepts a sensible schedule, including hours until midnight', () => {
    const schedule = aSchedule({
      weekly: aWeeklyTemplate({
        days: {
          mon: [
            { from: '08:00', to: '12:00' },
            { from: '12:00', to: '24:00' },
          ],
        },
      }),
      closedDates: ['2026-12-25'],
      extraHours: [{ date: '2026-12-27', from: '08:00', to: '10:00' }],
    });
    expect(() => validateSchedule(schedule, vaccines)).not.toThrow();
  });

  test.each([
    [
      'a malformed closing time',
      aSchedule({ weekly: aWeeklyTemplate({ days: { mon: [{ from: '08:00', to: '12:60' }] } }) }),
      'INVALID_TIME',
      'schedule.weekly.days.mon[0].to',
    ],
    [
      'an opening time of 24:00',
      aSchedule({ weekly: aWeeklyTemplate({ days: { tue: [{ from: '24:00', to: '24:00' }] } }) }),
      'INVALID_TIME',
      'schedule.weekly.days.tue[0].from',
    ],
    [
      'closing before opening',
      aSchedule({
        weekly: aWeeklyTemplate({
          days: {
            wed: [
              { from: '08:00', to: '10:00' },
              { from: '14:00', to: '13:00' },
            ],
          },
        }),
      }),
      'INVALID_RANGE',
      'schedule.weekly.days.wed[1].to',
    ],
    [
      'an empty range',
      aSchedule({ weekly: aWeeklyTemplate({ days: { thu: [{ from: '08:00', to: '08:00' }] } }) }),
      'INVALID_RANGE',
      'schedule.weekly.days.thu[0].to',
    ],
    [
      'overlapping hours on one day',
      aSchedule({
        weekly: aWeeklyTemplate({
          days: {
            fri: [
              { from: '11:00', to: '14:00' },
              { from: '08:00', to: '12:00' },
            ],
          },
        }),
      }),
      'OVERLAPPING_HOURS',
      'schedule.weekly.days.fri[0].from',
    ],
    [
      'an unknown weekday',
      aSchedule({ weekly: aWeeklyTemplate({ days: { monday: [weekdays] } as WeeklyTemplate['days'] }) }),
      'UNKNOWN_WEEKDAY',
      'schedule.weekly.days.monday',
    ],
    [
      'a slot length below 5 minutes',
      aSchedule({ weekly: aWeeklyTemplate({ slotMinutes: 4 }) }),
      'INVALID_SLOT_LENGTH',
      'schedule.weekly.slotMinutes',
    ],
    [
      'a slot length above 240 minutes',
      aSchedule({ weekly: aWeeklyTemplate({ slotMinutes: 241 }) }),
      'INVALID_SLOT_LENGTH',
      'schedule.weekly.slotMinutes',
    ],
    [
      'a fractional slot length',
      aSchedule({ weekly: aWeeklyTemplate({ slotMinutes: 7.5 }) }),
      'INVALID_SLOT_LENGTH',
      'schedule.weekly.slotMinutes',
    ],
    [
      'a capacity above 500',
      aSchedule({ weekly: aWeeklyTemplate({ capacity: { comirnaty: 501 } }) }),
      'INVALID_CAPACITY',
      'schedule.weekly.capacity.comirnaty',
    ],
    [
      'a negative capacity',
      aSchedule({ weekly: aWeeklyTemplate({ capacity: { comirnaty: 3, vaxzevria: -1 } }) }),
      'INVALID_CAPACITY',
      'schedule.weekly.capacity.vaxzevria',
    ],
    [
      'a vaccine nobody knows',
      aSchedule({ weekly: aWeeklyTemplate({ capacity: { comirnaty: 3, sputnik: 2 } }) }),
      'UNKNOWN_VACCINE',
      'schedule.weekly.capacity.sputnik',
    ],
    [
      'opening hours with no capacity at all',
      aSchedule({ weekly: aWeeklyTemplate({ capacity: { comirnaty: 0 } }) }),
      'NO_CAPACITY',
      'schedule.weekly.capacity',
    ],
    [
      'an impossible closed date',
      aSchedule({ closedDates: ['2026-01-01', '2026-02-30'] }),
      'INVALID_DATE',
      'schedule.closedDates[1]',
    ],
    [
      'an early closing at no time of day',
      aSchedule({ closedFrom: [{ date: '2026-01-13', from: '25:00' }] }),
      'INVALID_TIME',
      'schedule.closedFrom[0].from',
    ],
    [
      'a malformed extra-hours date',
      aSchedule({ extraHours: [{ date: '27.12.2026', from: '08:00', to: '10:00' }] }),
      'INVALID_DATE',
      'schedule.extraHours[0].date',
    ],
    [
      'extra hours closing before opening',
      aSchedule({ extraHours: [{ date: '2026-12-27', from: '10:00', to: '08:00' }] }),
      'INVALID_RANGE',
      'schedule.extraHours[0].to',
    ],
    [
      'extra hours overlapping each other on one date',
      aSchedule({
        extraHours: [
          { date: '2026-12-27', from: '08:00', to: '10:00' },
          { date: '2026-12-28', from: '09:00', to: '11:00' },
          { date: '2026-12-27', from: '09:30', to: '11:00' },
        ],
      }),
      'OVERLAPPING_HOURS',
      'schedule.extraHours[2].from',
    ],
  ])('refuses %s', (_, schedule, code, field) => {
    const error = validationError(() => validateSchedule(schedule, vaccines));
    expect(error).toMatchObject({ kind: 'invalid', code, field });
    expect(error.message).not.toBe('');
  });

  test('allows extra hours that overlap the weekly hours, since they are merged', () => {
    const schedule = aSchedule({ extraHours: [{ date: '2026-01-12', from: '11:00', to: '16:00' }] });
    expect(() => validateSchedule(schedule, vaccines)).not.toThrow();
  });

  test('allows a centre with no hours and no capacity, which simply offers nothing', () => {
    const schedule = aSchedule({ weekly: aWeeklyTemplate({ days: {}, capacity: {} }) });
    expect(() => validateSchedule(schedule, vaccines)).not.toThrow();
  });
});

describe('planSlotChanges', () => {
  const at = (hhmm: string) => `2026-01-12T${hhmm}:00.000Z`;

  test('creates planned slots that do not exist yet', () => {
    const planned = [aPlannedSlot({ start: at('07:00') }), aPlannedSlot({ start: at('07:15') })];
    const changes = planSlotChanges([aSlot({ start: at('07:00') })], planned);

    expect(changes.create).toEqual([planned[1]]);
    expect(changes.resize).toEqual([]);
    expect(changes.remove).toEqual([]);
    expect(changes.overbooked).toEqual([]);
  });

  test('leaves slots whose plan did not change out of every list', () => {
    const existing = [aSlot({ start: at('07:00'), capacity: 3, booked: 3 })];
    const changes = planSlotChanges(existing, [aPlannedSlot({ start: at('07:00'), capacity: 3 })]);

    expect(changes).toEqual({ create: [], resize: [], retime: [], remove: [], overbooked: [] });
  });

  test('resizes a slot whose capacity changed, without overbooking when bookings still fit', () => {
    const existing = [
      aSlot({ start: at('07:00'), capacity: 3, booked: 2 }),
      aSlot({ start: at('07:15'), capacity: 3, booked: 3 }),
    ];
    const planned = [
      aPlannedSlot({ start: at('07:00'), capacity: 2 }),
      aPlannedSlot({ start: at('07:15'), capacity: 5 }),
    ];
    const changes = planSlotChanges(existing, planned);

    expect(changes.resize).toEqual([
      { slotId: 'c-0001_comirnaty_20260112T0700Z', capacity: 2 },
      { slotId: 'c-0001_comirnaty_20260112T0715Z', capacity: 5 },
    ]);
    expect(changes.overbooked).toEqual([]);
    expect(changes.create).toEqual([]);
    expect(changes.remove).toEqual([]);
  });

  test('a slot shrunk below its bookings is overbooked by the difference', () => {
    const existing = [aSlot({ start: at('07:00'), capacity: 5, booked: 4 })];
    const changes = planSlotChanges(existing, [aPlannedSlot({ start: at('07:00'), capacity: 1 })]);

    expect(changes.resize).toEqual([{ slotId: 'c-0001_comirnaty_20260112T0700Z', capacity: 1 }]);
    expect(changes.overbooked).toEqual([{ slotId: 'c-0001_comirnaty_20260112T0700Z', excess: 3 }]);
  });

  test('removes slots no longer planned, and every booking of a removed slot is excess', () => {
    const existing = [
      aSlot({ start: at('07:00'), booked: 0 }),
      aSlot({ start: at('07:15'), booked: 2 }),
      aSlot({ start: at('07:30'), vaccineId: 'vaxzevria', booked: 1 }),
    ];
    const changes = planSlotChanges(existing, [aPlannedSlot({ start: at('07:30'), vaccineId: 'comirnaty' })]);

    expect(changes.remove).toEqual([
      'c-0001_comirnaty_20260112T0700Z',
      'c-0001_comirnaty_20260112T0715Z',
      'c-0001_vaxzevria_20260112T0730Z',
    ]);
    expect(changes.overbooked).toEqual([
      { slotId: 'c-0001_comirnaty_20260112T0715Z', excess: 2 },
      { slotId: 'c-0001_vaxzevria_20260112T0730Z', excess: 1 },
    ]);
    expect(changes.create.map((s) => s.id)).toEqual(['c-0001_comirnaty_20260112T0730Z']);
  });

  test('a slot whose length changed keeps its bookings and only gets a new end', () => {
    const existing = [aSlot({ start: at('07:00'), end: at('07:15'), booked: 2 })];
    const changes = planSlotChanges(existing, [aPlannedSlot({ start: at('07:00'), end: at('07:20') })]);

    expect(changes.retime).toEqual([{ slotId: 'c-0001_comirnaty_20260112T0700Z', end: at('07:20') }]);
    expect(changes.remove).toEqual([]);
    expect(changes.overbooked).toEqual([]);
  });

  test('an end stored in another ISO spelling of the same instant is not a change', () => {
    const existing = [aSlot({ start: at('07:00'), end: '2026-01-12T07:15:00Z' })];
    const changes = planSlotChanges(existing, [aPlannedSlot({ start: at('07:00') })]);

    expect(changes.retime).toEqual([]);
  });

  test('regenerating a day after closing it cancels exactly its bookings', () => {
    const centre = aCentre();
    const existing: Slot[] = generateSlots(centre, '2026-01-12', '2026-01-12').map((slot, i) => ({
      ...slot,
      booked: i === 0 ? 3 : 0,
    }));
    const closed = aCentre({ schedule: aSchedule({ closedDates: ['2026-01-12'] }) });
    const changes = planSlotChanges(existing, generateSlots(closed, '2026-01-12', '2026-01-12'));

    expect(changes.remove).toHaveLength(32);
    expect(changes.overbooked).toEqual([{ slotId: 'c-0001_comirnaty_20260112T0700Z', excess: 3 }]);
  });
});
