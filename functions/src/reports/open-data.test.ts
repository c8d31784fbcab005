import type { EcdcWeek, NationalDay } from '@ereg/shared';
import { csv, ecdcCsv, noShowsCsv, owidCsv, waitingTimesCsv } from './open-data.ts';

const lines = (text: string) => text.split('\r\n').slice(0, -1);

const week = (over: Partial<EcdcWeek>): EcdcWeek => ({
  yearWeek: '2021-W09',
  voivodeship: '12',
  ageBand: '80+',
  vaccineId: 'comirnaty',
  firstDose: 120,
  secondDose: 45,
  doseAdditional1: null,
  doseAdditional2: null,
  unknownDose: null,
  population: 120_000,
  ...over,
});

const inhabitants = [
  { voivodeship: '12', people: 3_400_000 },
  { voivodeship: '14', people: 5_400_000 },
];

describe('the ECDC vaccine tracker file', () => {
  test('has the tracker’s columns, in its order', () => {
    expect(lines(ecdcCsv([], inhabitants))).toEqual([
      'YearWeekISO,ReportingCountry,Denominator,NumberDosesReceived,NumberDosesExported,FirstDose,FirstDoseRefused,' +
        'SecondDose,DoseAdditional1,DoseAdditional2,UnknownDose,Region,TargetGroup,Vaccine,Population',
    ]);
  });

  test('a voivodeship’s row: its NUTS region, the band’s target group, the product’s code; withheld and unknown values empty', () => {
    expect(lines(ecdcCsv([week({})], inhabitants))[1]).toBe('2021-W09,PL,120000,,,120,,45,,,,PL21,Age80+,COM,3400000');
  });

  test('Mazowieckie is its NUTS 1 region; the whole country is PL, all ages ALL, with the country’s inhabitants', () => {
    const rows = lines(
      ecdcCsv(
        [
          week({ voivodeship: '14', ageBand: '18-24', vaccineId: 'jcovden', population: 400_000 }),
          week({ voivodeship: 'all', ageBand: 'all', vaccineId: 'vaxzevria', unknownDose: 11, population: 8_800_000 }),
          week({ ageBand: '0-17', vaccineId: 'spikevax', doseAdditional1: 10, doseAdditional2: 12 }),
          week({ ageBand: 'unknown', vaccineId: 'novel', population: null }),
        ],
        inhabitants,
      ),
    ).slice(1);
    expect(rows).toEqual([
      '2021-W09,PL,400000,,,120,,45,,,,PL9,Age18_24,JANSS,5400000',
      '2021-W09,PL,8800000,,,120,,45,,,11,PL,ALL,AZ,8800000',
      '2021-W09,PL,120000,,,120,,45,10,12,,PL21,Age<18,MOD,3400000',
      '2021-W09,PL,,,,120,,45,,,,PL21,AgeUNK,UNK,3400000',
    ]);
  });

  test('doses at centres with no voivodeship recorded are left to the country’s rows', () => {
    expect(lines(ecdcCsv([week({ voivodeship: null })], inhabitants))).toHaveLength(1);
  });
});

describe('the Our World in Data file', () => {
  const day = (d: string, doses: number | null, total: number | null): NationalDay => ({
    day: d,
    doses,
    totalVaccinations: total,
    peopleVaccinated: total,
    peopleFullyVaccinated: null,
  });

  test('has OWID’s vaccinations columns, in its order', () => {
    expect(lines(owidCsv([], 1_000_000))).toEqual([
      'location,iso_code,date,total_vaccinations,people_vaccinated,people_fully_vaccinated,daily_vaccinations_raw,' +
        'daily_vaccinations,total_vaccinations_per_hundred,people_vaccinated_per_hundred,' +
        'people_fully_vaccinated_per_hundred,daily_vaccinations_per_million',
    ]);
  });

  test('the 7-day mean counts a day without doses as 0; per hundred with two decimals, per million whole', () => {
    const rows = lines(
      owidCsv([day('2021-03-01', 700, 700), day('2021-03-03', 1400, 2100), day('2021-03-08', 70, 2170)], 1_000_000),
    ).slice(1);
    expect(rows).toEqual([
      // 700 over seven days (six of them before the first): 100 a day, 100 per million.
      'Poland,POL,2021-03-01,700,700,,700,100,0.07,0.07,,100',
      'Poland,POL,2021-03-03,2100,2100,,1400,300,0.21,0.21,,300',
      // 1 March has left the week: 1400 + 70 over seven days.
      'Poland,POL,2021-03-08,2170,2170,,70,210,0.22,0.22,,210',
    ]);
  });

  test('a withheld day is empty, and so is every 7-day mean it is part of', () => {
    const rows = lines(owidCsv([day('2021-03-01', 700, 700), day('2021-03-02', null, 705)], 1_000_000)).slice(1);
    expect(rows[1]).toBe('Poland,POL,2021-03-02,705,705,,,,0.07,0.07,,');
  });
});

describe('the powiats’ files', () => {
  test('the days to the first free place: none free in the 28 days is empty, as is an unknown powiat', () => {
    expect(
      lines(
        waitingTimesCsv([
          { day: '2021-03-01', voivodeship: '12', powiat: '1261', centres: 3, daysToFirstFree: 2, placesFree: 140 },
          { day: '2021-03-01', voivodeship: '02', powiat: null, centres: 1, daysToFirstFree: null, placesFree: 0 },
        ]),
      ),
    ).toEqual([
      'date,voivodeship,powiat,centres,days_to_first_free,places_free',
      '2021-03-01,12,1261,3,2,140',
      '2021-03-01,02,,1,,0',
    ]);
  });

  test('the no-shows: a week of fewer than 10 visits is empty', () => {
    expect(
      lines(
        noShowsCsv([
          { week: '2021-03-01', voivodeship: '14', powiat: '1465', visits: 200, noShows: 14, noShowRate: 0.07 },
          { week: '2021-03-01', voivodeship: '12', powiat: '1261', visits: null, noShows: null, noShowRate: null },
        ]),
      ),
    ).toEqual([
      'week,voivodeship,powiat,visits,no_shows,no_show_rate',
      '2021-03-01,14,1465,200,14,0.07',
      '2021-03-01,12,1261,,,',
    ]);
  });
});

test('a field with a comma, a quote or a line break is quoted, its quotes doubled', () => {
  expect(csv(['a', 'b'], [['x,y', 'say "hi"\n']])).toBe('a,b\r\n"x,y","say ""hi""\n"\r\n');
});
