import { byTime, countDay, filterVisits, isLocalDate, shiftDate, todayIn, type Visit, visitState } from './day.ts';

function aVisit(overrides: Partial<Omit<Visit, 'patient'>> & { patient?: Partial<Visit['patient']> } = {}): Visit {
  const { patient, ...rest } = overrides;
  return {
    appointmentId: 'apt-1',
    reference: 'ABCD2345',
    localStart: '2026-01-12T09:10',
    status: 'booked',
    vaccineId: 'comirnaty',
    dose: 1,
    checkedInAt: null,
    completion: null,
    corrections: [],
    notGiven: null,
    updatedAt: '2026-01-12T07:00:00.000Z',
    identityCheck: null,
    ...rest,
    patient: {
      id: 'pat-1',
      pesel: '46031464864',
      givenName: 'Janina',
      familyName: 'Kowalska',
      birthDate: '1946-03-14',
      phone: null,
      ...patient,
    },
  };
}

describe('the state of a visit at the desk', () => {
  it('is booked until the person checks in, then here until vaccinated or missed', () => {
    expect(visitState(aVisit())).toBe('booked');
    expect(visitState(aVisit({ checkedInAt: '2026-01-12T08:05:00Z' }))).toBe('checkedIn');
    expect(visitState(aVisit({ status: 'completed', checkedInAt: '2026-01-12T08:05:00Z' }))).toBe('vaccinated');
    expect(visitState(aVisit({ status: 'no_show' }))).toBe('noShow');
  });
});

describe('the counters of the day', () => {
  it('count everyone expected, who came, who was vaccinated and who is left to vaccinate', () => {
    const here = '2026-01-12T08:05:00Z';
    expect(
      countDay([
        aVisit(),
        aVisit({ checkedInAt: here }),
        aVisit({ status: 'completed', checkedInAt: here }),
        aVisit({ status: 'completed', checkedInAt: here }),
        aVisit({ status: 'no_show' }),
      ]),
    ).toEqual({ expected: 5, checkedIn: 3, vaccinated: 2, left: 2 });
  });

  it('are all zero on a day without visits', () => {
    expect(countDay([])).toEqual({ expected: 0, checkedIn: 0, vaccinated: 0, left: 0 });
  });
});

describe('searching the day’s list', () => {
  const visits = [
    aVisit({ appointmentId: 'a', reference: 'GEWLV34C' }),
    aVisit({
      appointmentId: 'b',
      reference: 'XYZW2345',
      patient: { givenName: 'Łukasz', familyName: 'Żółć', pesel: '71123113135' },
    }),
    aVisit({ appointmentId: 'c', reference: 'HJKM6789', patient: { givenName: 'Anna', familyName: 'Nowak' } }),
  ];
  const found = (query: string) => filterVisits(visits, query).map((v) => v.appointmentId);

  it('finds by surname or first name, whatever the case and diacritics', () => {
    expect(found('kowalska')).toEqual(['a']);
    expect(found('lukasz zolc')).toEqual(['b']);
    expect(found('ANNA')).toEqual(['c']);
  });

  it('finds by the start of a PESEL', () => {
    expect(found('7112')).toEqual(['b']);
  });

  it('finds by a booking reference typed any way', () => {
    expect(found('gewl-v34c')).toEqual(['a']);
    expect(found('HJKM 6789')).toEqual(['c']);
    expect(found('hjkm')).toEqual(['c']);
  });

  it('lists everyone when nothing is typed, and no one when nothing matches', () => {
    expect(found('  ')).toEqual(['a', 'b', 'c']);
    expect(found('Kowalski Jan')).toEqual([]);
  });
});

describe('the days', () => {
  it('are the centre’s: today in Warsaw is already tomorrow in UTC terms just after midnight', () => {
    expect(todayIn('Europe/Warsaw', new Date('2026-01-12T23:30:00Z'))).toBe('2026-01-13');
    expect(todayIn('Europe/Warsaw', new Date('2026-01-12T08:00:00Z'))).toBe('2026-01-12');
  });

  it('move by whole days over month ends and a daylight-saving change', () => {
    expect(shiftDate('2026-01-31', 1)).toBe('2026-02-01');
    expect(shiftDate('2026-03-29', -1)).toBe('2026-03-28');
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('are read from the address only when they are dates', () => {
    expect(isLocalDate('2026-01-12')).toBe(true);
    expect(isLocalDate('2026-13-45')).toBe(false);
    expect(isLocalDate('tomorrow')).toBe(false);
    expect(isLocalDate(null)).toBe(false);
  });

  it('list visits by time, then by surname', () => {
    const sorted = [
      aVisit({ appointmentId: 'late', localStart: '2026-01-12T10:00' }),
      aVisit({ appointmentId: 'b', localStart: '2026-01-12T09:10', patient: { familyName: 'Nowak' } }),
      aVisit({ appointmentId: 'a', localStart: '2026-01-12T09:10', patient: { familyName: 'Adamska' } }),
    ].sort(byTime);
    expect(sorted.map((v) => v.appointmentId)).toEqual(['a', 'b', 'late']);
  });
});
