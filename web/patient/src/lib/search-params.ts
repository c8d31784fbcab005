import { normalisePostalCode } from './postal-code.ts';

/** What a search asks for, as kept in the page's URL (so Back, reload and a shared link repeat it). */
export interface SearchParams {
  postalCode?: string;
  lat?: number;
  lon?: number;
  vaccineId?: string;
  from?: string;
  to?: string;
  radiusKm?: number;
}

/** The distances offered, in km; the API's default is 50. */
export const RADII = [10, 25, 50, 100, 200] as const;
export const DEFAULT_RADIUS = 50;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const number = (value: string | null, min: number, max: number): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
};

/** The search a URL's query describes; what does not make sense is left out. */
export function readSearchParams(query: URLSearchParams): SearchParams {
  const params: SearchParams = {};
  const postalCode = normalisePostalCode(query.get('postalCode') ?? '');
  const lat = number(query.get('lat'), -90, 90);
  const lon = number(query.get('lon'), -180, 180);
  if (postalCode) params.postalCode = postalCode;
  else if (lat !== undefined && lon !== undefined) {
    params.lat = lat;
    params.lon = lon;
  }
  const vaccineId = query.get('vaccineId');
  if (vaccineId) params.vaccineId = vaccineId;
  const from = query.get('from');
  if (from && DATE.test(from)) params.from = from;
  const to = query.get('to');
  if (to && DATE.test(to)) params.to = to;
  const radiusKm = number(query.get('radiusKm'), 1, 700);
  if (radiusKm !== undefined) params.radiusKm = radiusKm;
  return params;
}

/** Whether the params say where to search. */
export const hasPlace = (params: SearchParams): boolean =>
  params.postalCode !== undefined || (params.lat !== undefined && params.lon !== undefined);

/** The URL query (with `?`, or empty) for a search. */
export function searchQueryString(params: SearchParams): string {
  const query = new URLSearchParams();
  for (const name of ['postalCode', 'lat', 'lon', 'vaccineId', 'from', 'to', 'radiusKm'] as const) {
    const value = params[name];
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** A calendar date `days` after another (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T12:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The next distance to offer when nothing was found, or null at the widest. */
export function widerRadius(current: number | undefined): number | null {
  const now = current ?? DEFAULT_RADIUS;
  return RADII.find((r) => r > now) ?? null;
}

/** The page of results a URL's query asks for (`page=2`): 1 when absent or senseless. */
export function pageOf(query: URLSearchParams): number {
  const page = Number(query.get('page'));
  return Number.isInteger(page) && page >= 1 && page <= 50 ? page : 1;
}

/** A search's query (from `searchQueryString`) at a page of its results; the first page is the query alone. */
export const atPage = (query: string, page: number): string =>
  page > 1 ? `${query}${query ? '&' : '?'}page=${page}` : query;
