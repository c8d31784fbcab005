import type {
  Centre,
  CentreSchedule,
  EligibilityRule,
  Language,
  LocalDate,
  Patient,
  Sex,
  StaffMember,
  TimeRange,
  WeeklyTemplate,
} from '@ereg/shared';
import { addDays, localToday, makePesel, VOIVODESHIPS } from '@ereg/shared';

// Hot loops call these millions of times; inside a vm sandbox (the test runner) every global lookup is slow.
const { floor, imul } = Math;

/**
 * mulberry32: one 32-bit state, a handful of integer operations per number, and good enough spread for demo
 * data. The same seed always gives the same sequence, so every run of the demo shows the same people.
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[floor(random() * items.length)] as T;

const intBetween = (random: Random, min: number, max: number): number => min + floor(random() * (max - min + 1));

const pad = (n: number, width: number): string => `${n}`.padStart(width, '0');

// ---------------------------------------------------------------------------------------------------------------
// Towns

// name, lat, lon, postal code digits ('|' separates alternatives; missing digits are drawn at random),
// telephone area code, residents in thousands (weights where centres go). The voivodeship's capital is first.
type TownRow = readonly [string, number, number, string, string, number];

const TOWNS: Readonly<Record<string, readonly TownRow[]>> = {
  dolnoslaskie: [
    ['Wrocław', 51.1079, 17.0385, '50|51|52|53|54', '71', 672],
    ['Wałbrzych', 50.7714, 16.2843, '583', '74', 110],
    ['Legnica', 51.207, 16.1553, '5922', '76', 98],
    ['Jelenia Góra', 50.9044, 15.7194, '5850', '75', 78],
    ['Lubin', 51.401, 16.2015, '59300', '76', 71],
    ['Głogów', 51.6631, 16.0845, '67200', '76', 66],
    ['Świdnica', 50.843, 16.4897, '58100', '74', 55],
    ['Bolesławiec', 51.2618, 15.5697, '59700', '75', 38],
    ['Oleśnica', 51.209, 17.38, '56400', '71', 37],
    ['Kłodzko', 50.4346, 16.6614, '57300', '74', 26],
  ],
  'kujawsko-pomorskie': [
    ['Bydgoszcz', 53.1235, 18.0084, '85', '52', 340],
    ['Toruń', 53.0138, 18.5984, '871', '56', 198],
    ['Włocławek', 52.6483, 19.0677, '878', '54', 107],
    ['Grudziądz', 53.4837, 18.7536, '863', '56', 93],
    ['Inowrocław', 52.7982, 18.2611, '88100', '52', 71],
    ['Świecie', 53.4098, 18.4472, '86100', '52', 25],
    ['Chełmno', 53.3487, 18.4256, '86200', '56', 19],
    ['Solec Kujawski', 53.0837, 18.229, '86050', '52', 15],
    ['Aleksandrów Kujawski', 52.8765, 18.6934, '87700', '54', 12],
  ],
  lubelskie: [
    ['Lublin', 51.2465, 22.5684, '20', '81', 338],
    ['Zamość', 50.7231, 23.252, '22400', '84', 61],
    ['Chełm', 51.1431, 23.4716, '22100', '82', 61],
    ['Biała Podlaska', 52.0325, 23.1149, '21500', '83', 56],
    ['Puławy', 51.4164, 21.9694, '24100', '81', 47],
    ['Kraśnik', 50.9243, 22.2201, '23200', '81', 34],
    ['Łuków', 51.9296, 22.3813, '21400', '25', 29],
    ['Biłgoraj', 50.5413, 22.7224, '23400', '84', 26],
    ['Lubartów', 51.4597, 22.6025, '21100', '81', 22],
  ],
  lubuskie: [
    ['Gorzów Wielkopolski', 52.7368, 15.2288, '664', '95', 120],
    ['Zielona Góra', 51.9356, 15.5062, '65', '68', 140],
    ['Nowa Sól', 51.8032, 15.714, '67100', '68', 38],
    ['Żary', 51.6418, 15.1369, '68200', '68', 37],
    ['Żagań', 51.6177, 15.315, '68100', '68', 25],
    ['Świebodzin', 52.2475, 15.5331, '66200', '68', 21],
    ['Międzyrzecz', 52.4445, 15.578, '66300', '95', 18],
    ['Słubice', 52.35, 14.56, '69100', '95', 16],
    ['Sulechów', 52.0834, 15.627, '66100', '68', 16],
    ['Sulęcin', 52.4433, 15.1178, '69200', '95', 10],
  ],
  lodzkie: [
    ['Łódź', 51.7592, 19.456, '90|91|92|93|94', '42', 670],
    ['Piotrków Trybunalski', 51.4055, 19.7031, '97300', '44', 72],
    ['Pabianice', 51.6645, 19.3547, '95200', '42', 64],
    ['Tomaszów Mazowiecki', 51.531, 20.0086, '97200', '44', 61],
    ['Bełchatów', 51.3688, 19.3567, '97400', '44', 56],
    ['Zgierz', 51.855, 19.4062, '95100', '42', 55],
    ['Skierniewice', 51.9547, 20.1583, '96100', '46', 47],
    ['Radomsko', 51.067, 19.4449, '97500', '44', 45],
    ['Kutno', 52.2305, 19.3641, '99300', '24', 42],
    ['Sieradz', 51.5957, 18.7306, '98200', '43', 41],
    ['Zduńska Wola', 51.5992, 18.9397, '98220', '43', 41],
    ['Wieluń', 51.2206, 18.57, '98300', '43', 22],
  ],
  malopolskie: [
    ['Kraków', 50.0647, 19.945, '30|31', '12', 800],
    ['Tarnów', 50.0121, 20.9858, '33100', '14', 108],
    ['Nowy Sącz', 49.6175, 20.7153, '33300', '18', 83],
    ['Chrzanów', 50.1355, 19.4022, '32500', '32', 36],
    ['Olkusz', 50.2813, 19.5653, '32300', '32', 35],
    ['Nowy Targ', 49.4776, 20.0325, '34400', '18', 33],
    ['Bochnia', 49.969, 20.4303, '32700', '14', 30],
    ['Gorlice', 49.6547, 21.1597, '38300', '18', 27],
    ['Zakopane', 49.2992, 19.9496, '34500', '18', 27],
    ['Wadowice', 49.8833, 19.4928, '34100', '33', 19],
    ['Myślenice', 49.8336, 19.9394, '32400', '12', 18],
  ],
  mazowieckie: [
    ['Warszawa', 52.2297, 21.0122, '00|01|02|03|04', '22', 1860],
    ['Radom', 51.4027, 21.1471, '266', '48', 210],
    ['Płock', 52.5463, 19.7065, '094', '24', 118],
    ['Siedlce', 52.1676, 22.2902, '08110', '25', 77],
    ['Pruszków', 52.1707, 20.812, '05800', '22', 62],
    ['Legionowo', 52.4014, 20.9264, '05120', '22', 54],
    ['Ostrołęka', 53.0858, 21.5751, '07410', '29', 52],
    ['Piaseczno', 52.0813, 21.0239, '05500', '22', 49],
    ['Otwock', 52.1055, 21.2614, '05400', '22', 45],
    ['Ciechanów', 52.8811, 20.62, '06400', '23', 43],
    ['Mińsk Mazowiecki', 52.1793, 21.5711, '05300', '25', 40],
    ['Żyrardów', 52.0488, 20.4456, '96300', '46', 40],
  ],
  opolskie: [
    ['Opole', 50.6751, 17.9213, '45', '77', 127],
    ['Kędzierzyn-Koźle', 50.3498, 18.2263, '472', '77', 60],
    ['Nysa', 50.4747, 17.334, '48300', '77', 43],
    ['Brzeg', 50.8608, 17.467, '49300', '77', 35],
    ['Kluczbork', 50.9728, 18.218, '46200', '77', 23],
    ['Prudnik', 50.3203, 17.5788, '48200', '77', 21],
    ['Strzelce Opolskie', 50.5108, 18.3, '47100', '77', 17],
    ['Krapkowice', 50.475, 17.966, '47300', '77', 16],
    ['Namysłów', 51.0763, 17.7179, '46100', '77', 16],
    ['Głuchołazy', 50.3135, 17.3844, '48340', '77', 13],
  ],
  podkarpackie: [
    ['Rzeszów', 50.0412, 21.9991, '35', '17', 197],
    ['Mielec', 50.2875, 21.4239, '39300', '17', 60],
    ['Stalowa Wola', 50.5827, 22.0537, '37450', '15', 59],
    ['Tarnobrzeg', 50.573, 21.6794, '39400', '15', 46],
    ['Krosno', 49.6887, 21.7706, '38400', '13', 46],
    ['Dębica', 50.0516, 21.4114, '39200', '14', 45],
    ['Jarosław', 50.0162, 22.6778, '37500', '16', 37],
    ['Sanok', 49.5557, 22.2059, '38500', '13', 37],
    ['Jasło', 49.745, 21.4719, '38200', '13', 35],
    ['Łańcut', 50.0687, 22.2295, '37100', '17', 18],
  ],
  podlaskie: [
    ['Białystok', 53.1325, 23.1688, '15', '85', 295],
    ['Suwałki', 54.1115, 22.9308, '16400', '87', 69],
    ['Łomża', 53.1781, 22.059, '18400', '86', 62],
    ['Augustów', 53.8433, 22.9796, '16300', '87', 30],
    ['Bielsk Podlaski', 52.7651, 23.1865, '17100', '85', 25],
    ['Zambrów', 52.9856, 22.2433, '18300', '86', 21],
    ['Grajewo', 53.6472, 22.4556, '19200', '86', 21],
    ['Hajnówka', 52.743, 23.581, '17200', '85', 20],
    ['Siemiatycze', 52.4272, 22.8623, '17300', '85', 14],
  ],
  pomorskie: [
    ['Gdańsk', 54.352, 18.6466, '80', '58', 486],
    ['Gdynia', 54.5189, 18.5305, '81', '58', 245],
    ['Słupsk', 54.4641, 17.0285, '762', '59', 90],
    ['Tczew', 54.0924, 18.7779, '83110', '58', 59],
    ['Rumia', 54.5709, 18.3879, '84230', '58', 49],
    ['Wejherowo', 54.6059, 18.2354, '84200', '58', 47],
    ['Starogard Gdański', 53.9658, 18.5292, '83200', '58', 47],
    ['Chojnice', 53.6955, 17.557, '89600', '52', 39],
    ['Malbork', 54.0359, 19.0266, '82200', '55', 38],
    ['Kwidzyn', 53.7295, 18.9306, '82500', '55', 38],
    ['Lębork', 54.5392, 17.7501, '84300', '59', 35],
    ['Kościerzyna', 54.1218, 17.9813, '83400', '58', 23],
  ],
  slaskie: [
    ['Katowice', 50.2649, 19.0238, '40', '32', 290],
    ['Częstochowa', 50.8118, 19.1203, '422', '34', 215],
    ['Sosnowiec', 50.2863, 19.1041, '41200', '32', 196],
    ['Gliwice', 50.2945, 18.6714, '44100', '32', 175],
    ['Zabrze', 50.3249, 18.7857, '41800', '32', 170],
    ['Bielsko-Biała', 49.8224, 19.0584, '43300', '33', 169],
    ['Bytom', 50.3484, 18.9157, '41900', '32', 162],
    ['Rybnik', 50.0971, 18.5418, '44200', '32', 136],
    ['Tychy', 50.1372, 18.9664, '43100', '32', 126],
    ['Dąbrowa Górnicza', 50.3217, 19.1949, '41300', '32', 118],
    ['Chorzów', 50.2975, 18.9546, '41500', '32', 106],
    ['Jaworzno', 50.205, 19.274, '43600', '32', 90],
    ['Racibórz', 50.0919, 18.219, '47400', '32', 54],
    ['Żywiec', 49.6856, 19.1925, '34300', '33', 31],
  ],
  swietokrzyskie: [
    ['Kielce', 50.8661, 20.6286, '25', '41', 190],
    ['Ostrowiec Świętokrzyski', 50.9294, 21.3854, '27400', '41', 67],
    ['Starachowice', 51.0374, 21.0714, '27200', '41', 48],
    ['Skarżysko-Kamienna', 51.1133, 20.86, '26110', '41', 44],
    ['Sandomierz', 50.6826, 21.7485, '27600', '15', 23],
    ['Busko-Zdrój', 50.4702, 20.7187, '28100', '41', 15],
    ['Jędrzejów', 50.6386, 20.3036, '28300', '41', 15],
    ['Staszów', 50.563, 21.1655, '28200', '15', 14],
    ['Pińczów', 50.5203, 20.527, '28400', '41', 10],
    ['Włoszczowa', 50.853, 19.9656, '29100', '41', 10],
  ],
  'warminsko-mazurskie': [
    ['Olsztyn', 53.7784, 20.4801, '10', '89', 170],
    ['Elbląg', 54.1522, 19.4088, '82300', '55', 117],
    ['Ełk', 53.8281, 22.3647, '19300', '87', 61],
    ['Ostróda', 53.6981, 19.9648, '14100', '89', 33],
    ['Iława', 53.5964, 19.5686, '14200', '89', 32],
    ['Kętrzyn', 54.0762, 21.3753, '11400', '89', 27],
    ['Bartoszyce', 54.2537, 20.8084, '11200', '89', 23],
    ['Szczytno', 53.5628, 20.9853, '12100', '89', 23],
    ['Mrągowo', 53.8646, 21.3049, '11700', '89', 21],
    ['Działdowo', 53.2373, 20.1827, '13200', '23', 21],
  ],
  wielkopolskie: [
    ['Poznań', 52.4064, 16.9252, '60|61', '61', 540],
    ['Kalisz', 51.7611, 18.091, '628', '62', 99],
    ['Konin', 52.223, 18.2511, '625', '63', 72],
    ['Ostrów Wielkopolski', 51.6551, 17.8069, '63400', '62', 71],
    ['Września', 52.3251, 17.565, '62300', '61', 30],
    ['Krotoszyn', 51.6975, 17.4374, '63700', '62', 29],
    ['Turek', 52.0153, 18.5003, '62700', '63', 26],
    ['Jarocin', 51.9727, 17.5031, '63200', '62', 26],
    ['Kościan', 52.0881, 16.6467, '64000', '65', 24],
    ['Szamotuły', 52.6115, 16.5794, '64500', '61', 19],
  ],
  zachodniopomorskie: [
    ['Szczecin', 53.4285, 14.5528, '70|71', '91', 395],
    ['Koszalin', 54.1944, 16.1722, '75', '94', 106],
    ['Stargard', 53.3364, 15.0497, '73110', '91', 67],
    ['Świnoujście', 53.9105, 14.2471, '72600', '91', 40],
    ['Szczecinek', 53.7077, 16.6996, '78400', '94', 40],
    ['Police', 53.5521, 14.5718, '72010', '91', 32],
    ['Białogard', 54.007, 15.9871, '78200', '94', 24],
    ['Goleniów', 53.5641, 14.8282, '72100', '91', 22],
    ['Gryfino', 53.2525, 14.4883, '74100', '91', 21],
    ['Choszczno', 53.1685, 15.4177, '73200', '95', 15],
    ['Myślibórz', 52.9238, 14.8669, '74300', '95', 11],
  ],
};

/** Voivodeships most populous first, so that `c-0001` is in Warsaw and a small demo still covers the big cities. */
const VOIVODESHIPS_BY_POPULATION = [...VOIVODESHIPS].sort(
  (a, b) => b.population - a.population || (a.id < b.id ? -1 : 1),
);

/**
 * Centres per voivodeship: one each, the rest in proportion to population (largest remainder, so the counts
 * add up exactly). With fewer than 16 centres, the most populous voivodeships get one each.
 */
const centresPerVoivodeship = (count: number): number[] => {
  const shares: number[] = VOIVODESHIPS_BY_POPULATION.map((_, i) => (i < count ? 1 : 0));
  const extra = count - VOIVODESHIPS_BY_POPULATION.length;
  if (extra <= 0) return shares;
  const total = VOIVODESHIPS_BY_POPULATION.reduce((sum, v) => sum + v.population, 0);
  const exact = VOIVODESHIPS_BY_POPULATION.map((v) => (extra * v.population) / total);
  let given = 0;
  exact.forEach((e, i) => {
    shares[i] = (shares[i] ?? 0) + Math.floor(e);
    given += Math.floor(e);
  });
  const byRemainder = exact
    .map((e, i) => ({ i, rest: e - Math.floor(e) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; k < extra - given; k++) {
    const target = byRemainder[k]?.i ?? 0;
    shares[target] = (shares[target] ?? 0) + 1;
  }
  return shares;
};

/** Draws an index with probability proportional to its weight; `cumulative` is the running sum of weights. */
const pickWeighted = (random: Random, cumulative: readonly number[]): number => {
  const target = random() * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

const cumulate = (weights: readonly number[]): number[] => {
  let sum = 0;
  return weights.map((w) => {
    sum += w;
    return sum;
  });
};

// ---------------------------------------------------------------------------------------------------------------
// Centres

const STREETS = [
  'ul. Adama Mickiewicza',
  'ul. Juliusza Słowackiego',
  'ul. Tadeusza Kościuszki',
  'ul. Józefa Piłsudskiego',
  'ul. Henryka Sienkiewicza',
  'ul. Mikołaja Kopernika',
  'ul. Stefana Żeromskiego',
  'ul. Marii Konopnickiej',
  'ul. Fryderyka Chopina',
  'ul. Bolesława Prusa',
  'ul. Romualda Traugutta',
  'ul. Władysława Reymonta',
  'al. Jana Pawła II',
  'al. Niepodległości',
  'ul. Armii Krajowej',
  'ul. Wojska Polskiego',
  'ul. 3 Maja',
  'ul. Grunwaldzka',
  'ul. Długa',
  'ul. Polna',
  'ul. Lipowa',
  'ul. Ogrodowa',
  'ul. Szkolna',
  'ul. Kolejowa',
  'ul. Leśna',
  'ul. Słoneczna',
  'ul. Kwiatowa',
  'ul. Zielona',
  'ul. Szpitalna',
  'ul. Zdrojowa',
];

const PATRONS = ['Zdrowie', 'Medicus', 'Rodzina', 'Pod Lipami', 'Salus', 'Centrum', 'Nadzieja', 'Vita', 'Zdrój'];

const VACCINE_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['comirnaty', 5],
  ['spikevax', 2],
  ['vaxzevria', 2],
  ['jcovden', 1],
];

/** Easter Sunday (anonymous Gregorian computus); Easter Monday and Corpus Christi are public holidays. */
const easterSunday = (year: number): LocalDate => {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${pad(month, 2)}-${pad(day, 2)}`;
};

/** Polish statutory public holidays of a year that fall outside Sundays (Easter and Pentecost always do). */
export function polishPublicHolidays(year: number): LocalDate[] {
  const fixed = ['01-01', '01-06', '05-01', '05-03', '08-15', '11-01', '11-11', '12-25', '12-26'];
  // Christmas Eve has been a public holiday since 2025.
  if (year >= 2025) fixed.push('12-24');
  const easter = easterSunday(year);
  return [...fixed.map((md) => `${year}-${md}`), addDays(easter, 1), addDays(easter, 60)].sort();
}

const upcomingHolidays = (today: LocalDate, count: number): LocalDate[] => {
  const year = Number(today.slice(0, 4));
  return [...polishPublicHolidays(year), ...polishPublicHolidays(year + 1)].filter((d) => d > today).slice(0, count);
};

const buildSchedule = (random: Random, holidays: readonly LocalDate[]): CentreSchedule => {
  const weekdayHours: TimeRange = random() < 0.4 ? { from: '08:00', to: '20:00' } : { from: '08:00', to: '16:00' };
  const days: WeeklyTemplate['days'] = {
    mon: [{ ...weekdayHours }],
    tue: [{ ...weekdayHours }],
    wed: [{ ...weekdayHours }],
    thu: [{ ...weekdayHours }],
    fri: [{ ...weekdayHours }],
  };
  if (random() < 0.35) days.sat = [{ from: '09:00', to: '14:00' }];

  const products = intBetween(random, 1, 3);
  const remaining = [...VACCINE_WEIGHTS];
  const capacity: Record<string, number> = {};
  for (let n = 0; n < products; n++) {
    const [id] = remaining.splice(pickWeighted(random, cumulate(remaining.map(([, w]) => w))), 1)[0] ?? ['comirnaty'];
    capacity[id] = intBetween(random, 1, 6);
  }

  const closedDates = holidays.length > 0 && random() < 0.3 ? [pick(random, holidays)] : [];
  return { weekly: { days, slotMinutes: pick(random, [10, 15, 20]), capacity }, closedDates, extraHours: [] };
};

/** Up to ~3 km in a random direction, uniform over the disc, rounded to about a metre. */
const jitter = (random: Random, lat: number, lon: number): { lat: number; lon: number } => {
  const distance = 3 * Math.sqrt(random());
  const bearing = 2 * Math.PI * random();
  const dLat = (distance * Math.cos(bearing)) / 111.195;
  const dLon = (distance * Math.sin(bearing)) / (111.195 * Math.cos((lat * Math.PI) / 180));
  return { lat: Math.round((lat + dLat) * 1e5) / 1e5, lon: Math.round((lon + dLon) * 1e5) / 1e5 };
};

const postalCodeFor = (random: Random, digits: string): string => {
  const stem = pick(random, digits.split('|'));
  let code = stem;
  while (code.length < 5) code += String(Math.floor(random() * 10));
  return `${code.slice(0, 2)}-${code.slice(2)}`;
};

/** A landline: area code plus seven digits, the first of which is never 0 or 1. */
const landline = (random: Random, areaCode: string): string =>
  `+48${areaCode}${intBetween(random, 2, 8)}${pad(Math.floor(random() * 1e6), 6)}`;

/**
 * Vaccination centres in real towns of all 16 voivodeships, spread like the population. The same seed, count
 * and `now` always give the same centres, so ids like `c-0001` can be quoted in docs and tests.
 */
export function buildDemoCentres(options: { seed: number; count: number; now: Date }): Centre[] {
  const { seed, count, now } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  const random = createRandom(seed);
  const createdAt = now.toISOString();
  const holidays = upcomingHolidays(localToday(now, 'Europe/Warsaw'), 3);
  const shares = centresPerVoivodeship(count);
  const centres: Centre[] = [];

  VOIVODESHIPS_BY_POPULATION.forEach((voivodeship, v) => {
    const towns = TOWNS[voivodeship.id] ?? [];
    // Damped weights: the table lists towns only, and the countryside around the smaller ones needs centres too.
    const cumulative = cumulate(towns.map((t) => t[5] ** 0.7));
    const namesUsed = new Map<string, Set<string>>();
    for (let k = 0; k < (shares[v] ?? 0); k++) {
      const town = towns[k === 0 ? 0 : pickWeighted(random, cumulative)];
      if (!town) continue;
      const [city, lat, lon, postal, areaCode] = town;
      const used = namesUsed.get(city) ?? new Set<string>();
      namesUsed.set(city, used);
      let facility = pick(random, [
        `Przychodnia Nr ${used.size + 1}`,
        `Przychodnia Nr ${used.size + 1}`,
        `Centrum Medyczne „${pick(random, PATRONS)}”`,
        `Przychodnia Rodzinna „${pick(random, PATRONS)}”`,
        'Szpital Miejski',
        `Ośrodek Zdrowia Nr ${used.size + 1}`,
      ]);
      if (used.has(facility)) facility = `Przychodnia Nr ${used.size + 1}`;
      used.add(facility);
      const number = intBetween(random, 1, 120);
      const street = `${pick(random, STREETS)} ${number}${random() < 0.15 ? pick(random, ['a', 'b', 'c']) : ''}`;
      centres.push({
        id: `c-${pad(centres.length + 1, 4)}`,
        name: `Punkt Szczepień — ${facility}, ${city}`,
        address: { street, postalCode: postalCodeFor(random, postal), city, voivodeship: voivodeship.id },
        location: jitter(random, lat, lon),
        timeZone: 'Europe/Warsaw',
        phone: landline(random, areaCode),
        schedule: buildSchedule(random, holidays),
        createdAt,
      });
    }
  });
  return centres;
}

// ---------------------------------------------------------------------------------------------------------------
// People

const FEMALE_NAMES = (
  'Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Elżbieta Magdalena Joanna Zofia ' +
  'Monika Teresa Danuta Natalia Karolina Aleksandra Marta Beata Dorota Jadwiga Halina Irena Julia ' +
  'Zuzanna Hanna Maja Lena Wiktoria'
).split(' ');

const MALE_NAMES = (
  'Piotr Krzysztof Andrzej Tomasz Paweł Jan Michał Marcin Stanisław Jakub Adam Marek Łukasz Grzegorz ' +
  'Mateusz Wojciech Mariusz Dariusz Zbigniew Jerzy Tadeusz Kazimierz Józef Ryszard Kamil Szymon Antoni ' +
  'Franciszek Filip Kacper'
).split(' ');

/** Masculine forms; -ski, -cki and -dzki take -a for women, the rest do not change. */
const FAMILY_NAMES = (
  'Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak ' +
  'Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek Piotrowski ' +
  'Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Nowakowski Majewski Olszewski ' +
  'Stępień Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak Górski Witkowski Walczak Sikora Baran ' +
  'Rutkowski Michalak Szewczyk Ostrowski Tomaszewski Pietrzak Zalewski Wróblewski Jasiński Zawadzki ' +
  'Sadowski Bąk Chmielewski Włodarczyk Borkowski Czarnecki Sawicki Sokołowski'
).split(' ');

const feminine = (family: string): string => (/(sk|ck|dzk)i$/.test(family) ? `${family.slice(0, -1)}a` : family);

const FEMALE_FAMILY_NAMES = FAMILY_NAMES.map(feminine);

// Ukrainian names as Polish registers spell them; -enko and -uk names do not change with sex.
const UK_FEMALE_NAMES = ['Olena', 'Oksana', 'Iryna', 'Natalia', 'Tetiana', 'Julia', 'Switłana', 'Ołeksandra'];
const UK_MALE_NAMES = ['Ołeksandr', 'Andrij', 'Serhij', 'Dmytro', 'Mykoła', 'Wołodymyr', 'Jurij', 'Taras'];
const UK_FAMILY_NAMES = [
  'Kowalenko',
  'Bondarenko',
  'Tkaczenko',
  'Szewczenko',
  'Kowalczuk',
  'Melnyk',
  'Bojko',
  'Łysenko',
];

const EN_FEMALE_NAMES = ['Emma', 'Olivia', 'Sarah', 'Emily', 'Charlotte', 'Grace'];
const EN_MALE_NAMES = ['James', 'John', 'Michael', 'David', 'Thomas', 'Daniel'];
const EN_FAMILY_NAMES = ['Smith', 'Brown', 'Taylor', 'Wilson', 'Johnson', 'Walker', 'Evans', 'Murphy'];

/** Leading digits of Polish mobile numbers; other leading digits are landline area codes. */
const MOBILE_PREFIXES = ['50', '51', '53', '57', '60', '66', '69', '72', '73', '78', '79', '88'];

/** A person of the demo population; the local runtime turns them into patients. */
export interface DemoCitizen {
  pesel: string;
  givenName: string;
  familyName: string;
  birthDate: LocalDate;
  sex: Sex;
  /** E.164 Polish mobile number. */
  phone: string;
  language: Language;
  groups: string[];
}

/**
 * People with fixed PESELs for the README, manual testing and tests; they come first in every demo population
 * whatever the seed. Comments give the outcome under `demoEligibilityRules` and their age in 2026.
 */
export const DEMO_CITIZENS_FEATURED: readonly DemoCitizen[] = [
  // 80, eligible by rule born-1961.
  {
    pesel: '46031464864',
    givenName: 'Janina',
    familyName: 'Kowalska',
    birthDate: '1946-03-14',
    sex: 'female',
    phone: '+48601200300',
    language: 'pl',
    groups: [],
  },
  // 54, eligible by rule born-1971: born on the last day that rule covers.
  {
    pesel: '71123113135',
    givenName: 'Andrzej',
    familyName: 'Nowak',
    birthDate: '1971-12-31',
    sex: 'male',
    phone: '+48602300400',
    language: 'pl',
    groups: [],
  },
  // 45, not yet eligible: rule born-1981 opens 10 days from today. Speaks Ukrainian.
  {
    pesel: '81051739246',
    givenName: 'Olena',
    familyName: 'Kowalenko',
    birthDate: '1981-05-17',
    sex: 'female',
    phone: '+48603400500',
    language: 'uk',
    groups: [],
  },
  // 30, too young for any age rule but eligible as a medical worker (rule group-medical). Prefers English.
  {
    pesel: '96042788372',
    givenName: 'Tomasz',
    familyName: 'Wójcik',
    birthDate: '1996-04-27',
    sex: 'male',
    phone: '+48604500600',
    language: 'en',
    groups: ['medical'],
  },
  // 16, no rule covers her: not eligible, with no date announced.
  {
    pesel: '10220872488',
    givenName: 'Zuzanna',
    familyName: 'Kamińska',
    birthDate: '2010-02-08',
    sex: 'female',
    phone: '+48605600700',
    language: 'pl',
    groups: [],
  },
];

const FIRST_BIRTH_YEAR = 1930;
const SERIALS_PER_DAY = 1000;

/**
 * The n-th serial of a (birth date, sex) slot. Multiplying by a number coprime to 1000 visits every serial
 * exactly once, and the offset makes numbers look issued at random rather than all starting at 000.
 */
const serialAt = (slot: number, n: number): number => (n * 637 + slot * 389) % SERIALS_PER_DAY;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Every birth date the generator may use, as text, and where each year starts: no Date objects per person. */
const birthCalendar = (lastYear: number): { dates: string[]; yearStart: number[] } => {
  const dates: string[] = [];
  const yearStart: number[] = [];
  for (let year = FIRST_BIRTH_YEAR; year <= lastYear; year++) {
    yearStart.push(dates.length);
    for (let month = 1; month <= 12; month++) {
      const days = month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 30);
      const prefix = `${year}-${pad(month, 2)}-`;
      for (let day = 1; day <= days; day++) dates.push(prefix + pad(day, 2));
    }
  }
  yearStart.push(dates.length);
  return { dates, yearStart };
};

/**
 * Generates the demo population one person at a time, so a national-size run can stream into storage.
 * PESELs are unique: each birth date and sex hands out serials 0..999 in turn, moving to the next day when full.
 */
export function* generateDemoCitizens(options: {
  seed: number;
  count: number;
  today: LocalDate;
}): Generator<DemoCitizen> {
  const { seed, count, today } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  for (const citizen of DEMO_CITIZENS_FEATURED.slice(0, count)) yield { ...citizen, groups: [...citizen.groups] };
  if (count <= DEMO_CITIZENS_FEATURED.length) return;

  const todayYear = Number(today.slice(0, 4));
  const lastYear = todayYear - 5;
  const { dates, yearStart } = birthCalendar(lastYear);
  // Serials handed out so far per (birth date, sex): slot = day index * 2 + (male ? 1 : 0).
  const nextSerial = new Uint16Array(dates.length * 2);
  const reserved = new Map<number, number>();
  // The featured people keep their numbers: their serial (PESEL digits 7–9) is skipped on their date and sex.
  for (const { pesel, birthDate, sex } of DEMO_CITIZENS_FEATURED) {
    const year = Number(birthDate.slice(0, 4));
    const index = year <= lastYear ? dates.indexOf(birthDate, yearStart[year - FIRST_BIRTH_YEAR] ?? 0) : -1;
    if (index >= 0) reserved.set(index * 2 + (sex === 'male' ? 1 : 0), Number(pesel.slice(6, 9)));
  }
  const capacity = nextSerial.length * SERIALS_PER_DAY - reserved.size;
  if (count - DEMO_CITIZENS_FEATURED.length > capacity) {
    throw new RangeError(`Only ${capacity} more people fit the birth dates ${FIRST_BIRTH_YEAR}–${lastYear}`);
  }

  // Fewer of the oldest: the weight of a birth year rises from 0.15 in 1930 to 1 in 1955.
  const yearWeights: number[] = [];
  for (let year = FIRST_BIRTH_YEAR; year <= lastYear; year++) {
    yearWeights.push(year >= 1955 ? 1 : 0.15 + (0.85 * (year - FIRST_BIRTH_YEAR)) / (1955 - FIRST_BIRTH_YEAR));
  }
  const yearCumulative = cumulate(yearWeights);

  const random = createRandom(seed);
  for (let n = DEMO_CITIZENS_FEATURED.length; n < count; n++) {
    const male = random() >= 0.52 ? 1 : 0;
    const y = pickWeighted(random, yearCumulative);
    const start = yearStart[y] ?? 0;
    const end = yearStart[y + 1] ?? dates.length;
    let slot = (start + floor(random() * (end - start))) * 2 + male;
    let taken = 0;
    for (let walked = 1; ; walked++) {
      taken = nextSerial[slot] ?? 0;
      if (taken < SERIALS_PER_DAY && reserved.get(slot) === serialAt(slot, taken)) taken++;
      if (taken < SERIALS_PER_DAY) break;
      // A full date passes the person on to the next day, and to the other sex once every day of theirs is full.
      slot = (slot + (walked < dates.length ? 2 : 1)) % nextSerial.length;
    }
    nextSerial[slot] = taken + 1;
    const serial = serialAt(slot, taken);
    const sex: Sex = slot % 2 === 1 ? 'male' : 'female';
    const day = slot >> 1;
    const birthDate = dates[day] ?? '';

    const roll = random();
    const language: Language = roll < 0.05 ? 'uk' : roll < 0.08 ? 'en' : 'pl';
    const female = sex === 'female';
    let givenName: string;
    let familyName: string;
    if (language === 'uk') {
      givenName = pick(random, female ? UK_FEMALE_NAMES : UK_MALE_NAMES);
      familyName = pick(random, UK_FAMILY_NAMES);
    } else if (language === 'en') {
      givenName = pick(random, female ? EN_FEMALE_NAMES : EN_MALE_NAMES);
      familyName = pick(random, EN_FAMILY_NAMES);
    } else {
      givenName = pick(random, female ? FEMALE_NAMES : MALE_NAMES);
      familyName = pick(random, female ? FEMALE_FAMILY_NAMES : FAMILY_NAMES);
    }

    // Medical staff are working age; 9 % of those make about 5 % of everyone.
    const age = todayYear - Number(birthDate.slice(0, 4));
    const medical = age >= 22 && age <= 67 && random() < 0.09;
    const phone = `+48${pick(random, MOBILE_PREFIXES)}${pad(floor(random() * 1e7), 7)}`;

    yield {
      pesel: makePesel(birthDate, sex, serial),
      givenName,
      familyName,
      birthDate,
      sex,
      phone,
      language,
      groups: medical ? ['medical'] : [],
    };
  }
}

/** The demo population as an array: the featured people first, then `count` minus those, generated from `seed`. */
export function buildDemoCitizens(options: { seed: number; count: number; today: LocalDate }): DemoCitizen[] {
  return Array.from(generateDemoCitizens(options));
}

// ---------------------------------------------------------------------------------------------------------------
// Staff, agents, administrator, rules

/** One or two staff per centre, derived from the centre id alone so the same centre always has the same staff. */
export function buildDemoStaff(centres: readonly Centre[]): StaffMember[] {
  const staff: StaffMember[] = [];
  for (const centre of centres) {
    let hash = 2166136261;
    for (let i = 0; i < centre.id.length; i++) hash = Math.imul(hash ^ centre.id.charCodeAt(i), 16777619);
    const random = createRandom(hash);
    const suffix = centre.id.startsWith('c-') ? centre.id.slice(2) : centre.id;
    const size = random() < 0.5 ? 1 : 2;
    for (let k = 1; k <= size; k++) {
      const female = random() < 0.7;
      const id = `s-${suffix}-${k}`;
      staff.push({
        id,
        name: `${pick(random, female ? FEMALE_NAMES : MALE_NAMES)} ${pick(random, female ? FEMALE_FAMILY_NAMES : FAMILY_NAMES)}`,
        email: `${id}@demo.ereg.local`,
        centreId: centre.id,
      });
    }
  }
  return staff;
}

/** Hotline agents who book on a caller's behalf in the demo. */
export const DEMO_AGENTS: { id: string; name: string }[] = [
  { id: 'agent-1', name: 'Magdalena Sikora (infolinia)' },
  { id: 'agent-2', name: 'Paweł Baran (infolinia)' },
  { id: 'agent-3', name: 'Iryna Melnyk (infolinia)' },
];

/** The single ministry administrator of the demo. */
export const DEMO_ADMIN = { id: 'admin-1', name: 'Ministry administrator' } as const;

/**
 * Rules as the 2021 roll-out opened them, placed around `today` so that the demo shows people already eligible,
 * one group opening in ten days (NOT_YET_ELIGIBLE with a date), and everyone younger not eligible at all.
 */
export function demoEligibilityRules(today: LocalDate): EligibilityRule[] {
  return [
    {
      id: 'born-1961',
      kind: 'birthYear',
      bornInOrBefore: 1961,
      from: addDays(today, -60),
      description: 'people born in 1961 or earlier',
    },
    {
      id: 'born-1971',
      kind: 'birthYear',
      bornInOrBefore: 1971,
      from: addDays(today, -20),
      description: 'people born in 1971 or earlier',
    },
    {
      id: 'born-1981',
      kind: 'birthYear',
      bornInOrBefore: 1981,
      from: addDays(today, 10),
      description: 'people born in 1981 or earlier',
    },
    {
      id: 'group-medical',
      kind: 'group',
      group: 'medical',
      from: addDays(today, -90),
      description: 'medical workers',
    },
  ];
}

/** The patient record of a demo citizen who has registered (logged in once). */
export function patientOf(citizen: DemoCitizen, id: string, registeredAt: string): Patient {
  return {
    id,
    pesel: citizen.pesel,
    givenName: citizen.givenName,
    familyName: citizen.familyName,
    birthDate: citizen.birthDate,
    sex: citizen.sex,
    phone: citizen.phone,
    language: citizen.language,
    groups: [...citizen.groups],
    createdAt: registeredAt,
  };
}
