import {
  apiPath,
  type Centre,
  centreStatus,
  type Deps,
  daySlotOf,
  type Instant,
  localToday,
  locationOf,
  manifestOf,
  type PublishedDay,
  type PublishingSite,
  parseSince,
  productsOf,
  publishedDayStatuses,
  changedSince as publishedSince,
  ROUTE_PATHS,
  regionOf,
  SCHEDULING_FILES,
  type SchedulingFile,
  scheduleOf,
} from '@ereg/shared';
import { type ApiRequest, StreamedBody } from './http-types.ts';
import { Reply } from './router.ts';

/**
 * How long a client or a CDN (Firebase Hosting) may keep the manifest and its files: the spec's
 * suggested polling interval, and what bounds the load of many aggregators on the search function.
 */
export const SCHEDULING_CACHE_SECONDS = 300;
const CACHE = `public, max-age=${SCHEDULING_CACHE_SECONDS}`;
/** Lines are sent in chunks of about this many characters: few writes, little held at once. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The site the request reached, as the client named it: behind Firebase Hosting the forwarded host,
 * so every URL published (files, deep links) is the public one.
 */
export function siteOf(request: ApiRequest): PublishingSite {
  const host = request.headers['x-forwarded-host']?.split(',')[0]?.trim() || request.headers.host || 'localhost';
  const proto = request.headers['x-forwarded-proto']?.split(',')[0]?.trim() || 'http';
  return { origin: `${proto === 'https' ? 'https' : 'http'}://${host}` };
}

const sinceOf = (query: { _since?: string | undefined }): Instant | null =>
  query._since === undefined ? null : parseSince(query._since);

const filePath = (region: string, file: SchedulingFile) =>
  apiPath(ROUTE_PATHS.schedulingFile, { voivodeship: region, file });

/** The `$bulk-publish` manifest. Its `transactionTime` is the wall clock, as the stores' change stamps are. */
export function schedulingManifest(query: { _since?: string | undefined }, request: ApiRequest): Reply {
  const since = sinceOf(query);
  const manifest = manifestOf(
    siteOf(request),
    { manifest: apiPath(ROUTE_PATHS.schedulingManifest), file: filePath },
    new Date().toISOString(),
    since,
  );
  return new Reply({
    status: 200,
    body: manifest,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': CACHE },
  });
}

/** One file of a voivodeship, streamed as NDJSON. */
export function schedulingFile(
  deps: Deps,
  params: { voivodeship: string; file: SchedulingFile },
  query: { _since?: string | undefined },
  request: ApiRequest,
): Reply {
  const since = sinceOf(query);
  const site = siteOf(request);
  const lines = linesOf(deps, params.voivodeship, SCHEDULING_FILES[params.file], since, site);
  return new Reply({
    status: 200,
    body: new StreamedBody(chunked(lines)),
    headers: { 'content-type': 'application/fhir+ndjson', 'cache-control': CACHE },
  });
}

async function* chunked(lines: AsyncIterable<string>): AsyncIterable<string> {
  let buffer = '';
  for await (const line of lines) {
    buffer += `${line}\n`;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer.length > 0) yield buffer;
}

async function centresOf(deps: Deps, region: string): Promise<Centre[]> {
  const centres = (await deps.store.listCentres()).filter((centre) => regionOf(centre) === region);
  return centres.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The products of a centre that are published: those its schedule offers and the catalogue knows. */
function publishedProducts(deps: Deps, centre: Centre) {
  return productsOf(centre).flatMap((id) => deps.vaccines.filter((vaccine) => vaccine.id === id));
}

/**
 * The resources of one file. Locations and Schedules are few and always whole (`_since` is not applied
 * to them: an aggregator needs them to resolve the slots it is sent); Slots, one per centre, product
 * and day, are read from the search read model a centre at a time.
 */
async function* linesOf(
  deps: Deps,
  region: string,
  type: 'Location' | 'Schedule' | 'Slot',
  since: Instant | null,
  site: PublishingSite,
): AsyncIterable<string> {
  const centres = await centresOf(deps, region);
  if (type === 'Location') {
    for (const centre of centres) yield JSON.stringify(locationOf(centre, site));
    return;
  }
  if (type === 'Schedule') {
    for (const centre of centres) {
      for (const vaccine of publishedProducts(deps, centre)) yield JSON.stringify(scheduleOf(centre, vaccine));
    }
    return;
  }
  const touched = since === null ? null : new Set(await deps.store.centresWithAvailabilityChangedSince(since));
  const now = deps.clock.now();
  for (const centre of centres) {
    if (touched && !touched.has(centre.id)) continue;
    yield* daySlotLinesOf(deps, centre, now, since, site);
  }
}

/**
 * A centre's days, product by product: whether a day's first dose can be completed depends on the
 * product's later days at the centre, so one centre's days are held at once (a few hundred rows).
 */
async function* daySlotLinesOf(
  deps: Deps,
  centre: Centre,
  clock: Date,
  since: Instant | null,
  site: PublishingSite,
): AsyncIterable<string> {
  const products = new Map(publishedProducts(deps, centre).map((vaccine) => [vaccine.id, [] as PublishedDay[]]));
  for (const day of await deps.store.availabilityForPublication(centre.id, localToday(clock, centre.timeZone))) {
    products.get(day.vaccineId)?.push(day);
  }
  const now = clock.toISOString();
  const options = { now, bookable: centreStatus(centre) === 'active', zone: centre.timeZone };
  for (const [vaccineId, days] of products) {
    const vaccine = deps.vaccines.find((candidate) => candidate.id === vaccineId);
    const statuses = publishedDayStatuses(days, vaccine, options);
    const wanted = since === null ? null : publishedSince(days, vaccine, since, centre.timeZone);
    for (let i = 0; i < days.length; i++) {
      if (wanted && !wanted[i]) continue;
      yield JSON.stringify(daySlotOf(days[i] as PublishedDay, statuses[i] ?? 'busy', centre, site, now));
    }
  }
}
