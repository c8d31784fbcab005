import { invalid } from './errors.ts';
import type { GeoPoint } from './model.ts';

/** Mean Earth radius; the haversine error against the ellipsoid (< 0.5 %) does not matter for "nearest centre". */
export const EARTH_RADIUS_KM = 6371;

const RADIANS = Math.PI / 180;
/** Length of one degree of latitude (and of longitude on the equator). */
const KM_PER_DEGREE = EARTH_RADIUS_KM * RADIANS;

/** Great-circle distance in km (haversine), good enough for ranking centres by how far a person must travel. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = (b.lat - a.lat) * RADIANS;
  const dLon = (b.lon - a.lon) * RADIANS;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RADIANS) * Math.cos(b.lat * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A latitude/longitude rectangle that contains every point within a radius, for a cheap index pre-filter. */
export interface BoundingBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/**
 * The smallest lat/lon box holding the circle of `radiusKm` around `center`; candidates inside still need
 * `distanceKm`, since the corners are farther than the radius. Ignores the antimeridian (Poland is far from it).
 */
export function boundingBox(center: GeoPoint, radiusKm: number): BoundingBox {
  const dLat = Math.max(0, radiusKm) / KM_PER_DEGREE;
  const minLat = Math.max(-90, center.lat - dLat);
  const maxLat = Math.min(90, center.lat + dLat);
  // Meridians converge, so a degree of longitude is shortest at the box's edge nearest a pole.
  const widestLat = Math.max(Math.abs(minLat), Math.abs(maxLat));
  const cos = Math.cos(widestLat * RADIANS);
  if (maxLat === 90 || minLat === -90 || cos < 1e-9) {
    return { minLat, maxLat, minLon: -180, maxLon: 180 };
  }
  const dLon = dLat / cos;
  return {
    minLat,
    maxLat,
    minLon: Math.max(-180, center.lon - dLon),
    maxLon: Math.min(180, center.lon + dLon),
  };
}

/** Normalises a Polish postal code to `NN-NNN`, accepting the five digits without the dash, as people often type it. */
export function parsePostalCode(input: string, field = 'postalCode'): string {
  const match = /^(\d{2})-?(\d{3})$/.exec(input.trim());
  if (!match) {
    throw invalid(
      'INVALID_POSTAL_CODE',
      'A postal code must look like 00-950 (two digits, a dash, three digits).',
      field,
    );
  }
  return `${match[1]}-${match[2]}`;
}

/** One of the 16 Polish voivodeships (regions). */
export interface Voivodeship {
  /** ASCII slug of the Polish name, stored in `Address.voivodeship`. */
  id: string;
  /** Polish name as written officially (lower case, as in "województwo mazowieckie"). */
  name: string;
  /** Seat of the governor (wojewoda), where the two seats differ. */
  capital: string;
  location: GeoPoint;
  /** Residents, approximate (2021 census, rounded to thousands). */
  population: number;
}

/** All 16 voivodeships; `population` lets demo data spread centres the way people are spread. */
export const VOIVODESHIPS: readonly Voivodeship[] = [
  {
    id: 'dolnoslaskie',
    name: 'dolnośląskie',
    capital: 'Wrocław',
    location: { lat: 51.1079, lon: 17.0385 },
    population: 2_900_000,
  },
  {
    id: 'kujawsko-pomorskie',
    name: 'kujawsko-pomorskie',
    capital: 'Bydgoszcz',
    location: { lat: 53.1235, lon: 18.0084 },
    population: 2_027_000,
  },
  {
    id: 'lubelskie',
    name: 'lubelskie',
    capital: 'Lublin',
    location: { lat: 51.2465, lon: 22.5684 },
    population: 2_052_000,
  },
  {
    id: 'lubuskie',
    name: 'lubuskie',
    capital: 'Gorzów Wielkopolski',
    location: { lat: 52.7368, lon: 15.2288 },
    population: 982_000,
  },
  { id: 'lodzkie', name: 'łódzkie', capital: 'Łódź', location: { lat: 51.7592, lon: 19.456 }, population: 2_415_000 },
  {
    id: 'malopolskie',
    name: 'małopolskie',
    capital: 'Kraków',
    location: { lat: 50.0647, lon: 19.945 },
    population: 3_410_000,
  },
  {
    id: 'mazowieckie',
    name: 'mazowieckie',
    capital: 'Warszawa',
    location: { lat: 52.2297, lon: 21.0122 },
    population: 5_510_000,
  },
  { id: 'opolskie', name: 'opolskie', capital: 'Opole', location: { lat: 50.6751, lon: 17.9213 }, population: 955_000 },
  {
    id: 'podkarpackie',
    name: 'podkarpackie',
    capital: 'Rzeszów',
    location: { lat: 50.0412, lon: 21.9991 },
    population: 2_121_000,
  },
  {
    id: 'podlaskie',
    name: 'podlaskie',
    capital: 'Białystok',
    location: { lat: 53.1325, lon: 23.1688 },
    population: 1_170_000,
  },
  {
    id: 'pomorskie',
    name: 'pomorskie',
    capital: 'Gdańsk',
    location: { lat: 54.352, lon: 18.6466 },
    population: 2_346_000,
  },
  {
    id: 'slaskie',
    name: 'śląskie',
    capital: 'Katowice',
    location: { lat: 50.2649, lon: 19.0238 },
    population: 4_400_000,
  },
  {
    id: 'swietokrzyskie',
    name: 'świętokrzyskie',
    capital: 'Kielce',
    location: { lat: 50.8661, lon: 20.6286 },
    population: 1_224_000,
  },
  {
    id: 'warminsko-mazurskie',
    name: 'warmińsko-mazurskie',
    capital: 'Olsztyn',
    location: { lat: 53.7784, lon: 20.4801 },
    population: 1_417_000,
  },
  {
    id: 'wielkopolskie',
    name: 'wielkopolskie',
    capital: 'Poznań',
    location: { lat: 52.4064, lon: 16.9252 },
    population: 3_496_000,
  },
  {
    id: 'zachodniopomorskie',
    name: 'zachodniopomorskie',
    capital: 'Szczecin',
    location: { lat: 53.4285, lon: 14.5528 },
    population: 1_688_000,
  },
];

/** Where a two-digit postal prefix is, roughly. */
export interface PostalArea {
  prefix: string;
  /** A real town standing for the area: usually its largest, but a central one where the area is wide. */
  town: string;
  /** Voivodeship id of `town`; an area may spill over a voivodeship border. */
  voivodeship: string;
  location: GeoPoint;
}

// prefix, town, voivodeship id, lat, lon. Prefix 79 is not in use.
const AREA_ROWS: ReadonlyArray<readonly [string, string, string, number, number]> = [
  ['00', 'Warszawa', 'mazowieckie', 52.2319, 21.0067],
  ['01', 'Warszawa', 'mazowieckie', 52.26, 20.955],
  ['02', 'Warszawa', 'mazowieckie', 52.185, 20.995],
  ['03', 'Warszawa', 'mazowieckie', 52.29, 21.045],
  ['04', 'Warszawa', 'mazowieckie', 52.23, 21.11],
  ['05', 'Warszawa', 'mazowieckie', 52.2297, 21.0122],
  ['06', 'Ciechanów', 'mazowieckie', 52.8811, 20.62],
  ['07', 'Ostrołęka', 'mazowieckie', 53.0858, 21.5751],
  ['08', 'Siedlce', 'mazowieckie', 52.1676, 22.2902],
  ['09', 'Płock', 'mazowieckie', 52.5463, 19.7065],
  ['10', 'Olsztyn', 'warminsko-mazurskie', 53.7784, 20.4801],
  ['11', 'Biskupiec', 'warminsko-mazurskie', 53.8646, 20.957],
  ['12', 'Szczytno', 'warminsko-mazurskie', 53.5628, 20.9853],
  ['13', 'Działdowo', 'warminsko-mazurskie', 53.2373, 20.1827],
  ['14', 'Ostróda', 'warminsko-mazurskie', 53.6981, 19.9648],
  ['15', 'Białystok', 'podlaskie', 53.1325, 23.1688],
  ['16', 'Augustów', 'podlaskie', 53.8433, 22.9796],
  ['17', 'Bielsk Podlaski', 'podlaskie', 52.7651, 23.1865],
  ['18', 'Łomża', 'podlaskie', 53.1781, 22.059],
  ['19', 'Ełk', 'warminsko-mazurskie', 53.8281, 22.3647],
  ['20', 'Lublin', 'lubelskie', 51.2465, 22.5684],
  ['21', 'Radzyń Podlaski', 'lubelskie', 51.7833, 22.6167],
  ['22', 'Chełm', 'lubelskie', 51.1431, 23.4716],
  ['23', 'Janów Lubelski', 'lubelskie', 50.7072, 22.4104],
  ['24', 'Puławy', 'lubelskie', 51.4164, 21.9694],
  ['25', 'Kielce', 'swietokrzyskie', 50.8661, 20.6286],
  ['26', 'Radom', 'mazowieckie', 51.4027, 21.1471],
  ['27', 'Ostrowiec Świętokrzyski', 'swietokrzyskie', 50.9294, 21.3854],
  ['28', 'Busko-Zdrój', 'swietokrzyskie', 50.4702, 20.7187],
  ['29', 'Włoszczowa', 'swietokrzyskie', 50.853, 19.9656],
  ['30', 'Kraków', 'malopolskie', 50.0647, 19.945],
  ['31', 'Kraków', 'malopolskie', 50.0647, 19.945],
  ['32', 'Kraków', 'malopolskie', 50.0647, 19.945],
  ['33', 'Tarnów', 'malopolskie', 50.0121, 20.9858],
  ['34', 'Jordanów', 'malopolskie', 49.651, 19.831],
  ['35', 'Rzeszów', 'podkarpackie', 50.0412, 21.9991],
  ['36', 'Rzeszów', 'podkarpackie', 50.0412, 21.9991],
  ['37', 'Leżajsk', 'podkarpackie', 50.2626, 22.4193],
  ['38', 'Krosno', 'podkarpackie', 49.6887, 21.7706],
  ['39', 'Mielec', 'podkarpackie', 50.2875, 21.4239],
  ['40', 'Katowice', 'slaskie', 50.2649, 19.0238],
  ['41', 'Chorzów', 'slaskie', 50.2975, 18.9546],
  ['42', 'Częstochowa', 'slaskie', 50.8118, 19.1203],
  ['43', 'Bielsko-Biała', 'slaskie', 49.8224, 19.0584],
  ['44', 'Rybnik', 'slaskie', 50.0971, 18.5418],
  ['45', 'Opole', 'opolskie', 50.6751, 17.9213],
  ['46', 'Kluczbork', 'opolskie', 50.9728, 18.218],
  ['47', 'Kędzierzyn-Koźle', 'opolskie', 50.3498, 18.2263],
  ['48', 'Nysa', 'opolskie', 50.4747, 17.334],
  ['49', 'Brzeg', 'opolskie', 50.8608, 17.467],
  ['50', 'Wrocław', 'dolnoslaskie', 51.1079, 17.0385],
  ['51', 'Wrocław', 'dolnoslaskie', 51.1079, 17.0385],
  ['52', 'Wrocław', 'dolnoslaskie', 51.1079, 17.0385],
  ['53', 'Wrocław', 'dolnoslaskie', 51.1079, 17.0385],
  ['54', 'Wrocław', 'dolnoslaskie', 51.1079, 17.0385],
  ['55', 'Wrocław', 'dolnoslaskie', 51.1079, 17.0385],
  ['56', 'Oleśnica', 'dolnoslaskie', 51.209, 17.38],
  ['57', 'Kłodzko', 'dolnoslaskie', 50.4346, 16.6614],
  ['58', 'Wałbrzych', 'dolnoslaskie', 50.7714, 16.2843],
  ['59', 'Legnica', 'dolnoslaskie', 51.207, 16.1553],
  ['60', 'Poznań', 'wielkopolskie', 52.4064, 16.9252],
  ['61', 'Poznań', 'wielkopolskie', 52.4064, 16.9252],
  ['62', 'Konin', 'wielkopolskie', 52.223, 18.2511],
  ['63', 'Ostrów Wielkopolski', 'wielkopolskie', 51.6551, 17.8069],
  ['64', 'Poznań', 'wielkopolskie', 52.4064, 16.9252],
  ['65', 'Zielona Góra', 'lubuskie', 51.9356, 15.5062],
  ['66', 'Międzyrzecz', 'lubuskie', 52.4445, 15.578],
  ['67', 'Nowa Sól', 'lubuskie', 51.8032, 15.714],
  ['68', 'Żary', 'lubuskie', 51.6418, 15.1369],
  ['69', 'Słubice', 'lubuskie', 52.35, 14.56],
  ['70', 'Szczecin', 'zachodniopomorskie', 53.4285, 14.5528],
  ['71', 'Szczecin', 'zachodniopomorskie', 53.4285, 14.5528],
  ['72', 'Wolin', 'zachodniopomorskie', 53.8425, 14.6133],
  ['73', 'Stargard', 'zachodniopomorskie', 53.3364, 15.0497],
  ['74', 'Pyrzyce', 'zachodniopomorskie', 53.1462, 14.8928],
  ['75', 'Koszalin', 'zachodniopomorskie', 54.1944, 16.1722],
  ['76', 'Słupsk', 'pomorskie', 54.4641, 17.0285],
  ['77', 'Człuchów', 'pomorskie', 53.6636, 17.362],
  ['78', 'Połczyn-Zdrój', 'zachodniopomorskie', 53.7637, 16.0953],
  ['80', 'Gdańsk', 'pomorskie', 54.352, 18.6466],
  ['81', 'Gdynia', 'pomorskie', 54.5189, 18.5305],
  ['82', 'Malbork', 'pomorskie', 54.0359, 19.0266],
  ['83', 'Starogard Gdański', 'pomorskie', 53.9658, 18.5292],
  ['84', 'Wejherowo', 'pomorskie', 54.6059, 18.2354],
  ['85', 'Bydgoszcz', 'kujawsko-pomorskie', 53.1235, 18.0084],
  ['86', 'Świecie', 'kujawsko-pomorskie', 53.4098, 18.4472],
  ['87', 'Toruń', 'kujawsko-pomorskie', 53.0138, 18.5984],
  ['88', 'Inowrocław', 'kujawsko-pomorskie', 52.7982, 18.2611],
  ['89', 'Tuchola', 'kujawsko-pomorskie', 53.5872, 17.8597],
  ['90', 'Łódź', 'lodzkie', 51.7592, 19.456],
  ['91', 'Łódź', 'lodzkie', 51.7592, 19.456],
  ['92', 'Łódź', 'lodzkie', 51.7592, 19.456],
  ['93', 'Łódź', 'lodzkie', 51.7592, 19.456],
  ['94', 'Łódź', 'lodzkie', 51.7592, 19.456],
  ['95', 'Łódź', 'lodzkie', 51.7592, 19.456],
  ['96', 'Skierniewice', 'lodzkie', 51.9547, 20.1583],
  ['97', 'Piotrków Trybunalski', 'lodzkie', 51.4055, 19.7031],
  ['98', 'Sieradz', 'lodzkie', 51.5957, 18.7306],
  ['99', 'Kutno', 'lodzkie', 52.2305, 19.3641],
];

/**
 * The area of every two-digit postal prefix in use, keyed by prefix. Two digits place a person only within
 * about 60 km: the fallback for a code the postal-code table (`PostalCodes`) lacks, and what makes a code known.
 */
export const POSTAL_AREAS: Readonly<Record<string, PostalArea>> = Object.freeze(
  Object.fromEntries(
    AREA_ROWS.map(([prefix, town, voivodeship, lat, lon]) => [
      prefix,
      { prefix, town, voivodeship, location: { lat, lon } },
    ]),
  ),
);

/** The area of a postal code (`NN-NNN` or `NNNNN`), or null when the code is malformed or its prefix unknown. */
export function postalArea(postalCode: string): PostalArea | null {
  const match = /^(\d{2})-?\d{3}$/.exec(postalCode.trim());
  if (!match) return null;
  return POSTAL_AREAS[match[1] ?? ''] ?? null;
}

/** Rough location of a postal code, from its first two digits alone; null when unknown. Search uses `PostalCodes`. */
export function postalAreaCentroid(postalCode: string): GeoPoint | null {
  const area = postalArea(postalCode);
  return area ? { lat: area.location.lat, lon: area.location.lon } : null;
}
