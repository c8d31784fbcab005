import { DEFAULT_SMS_SETTINGS, distanceKm, renderSms } from '@ereg/shared';
import { aBirthYearRule, aCitizen } from '../support/builders.ts';
import { postTwilioForm } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * Where a search starts, through the HTTP API of the embedded default: the postal code's locality from
 * the GeoNames table, the two-digit area only for a code the table lacks, and a clear 400 for a code
 * no area has. The SMS booking, which also takes a postal code, is answered the same way.
 */

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;

const USTRZYKI_DOLNE = { lat: 49.4306, lon: 22.5944 };
const KROSNO = { lat: 49.6887, lon: 21.7706 };

beforeEach(async () => {
  system = await createTestSystem();
  await system.addRule(aBirthYearRule(1970));
  http = await serve(system);
});

afterEach(async () => {
  await http.close();
  await system.close();
});

/** What the tests read of a search answer: the result on 200, the error on 400. */
interface SearchBody {
  origin: { lat: number; lon: number; postalCode: string | null };
  results: Array<{ centre: { id: string }; distanceKm: number }>;
  error: { code: string; field?: string; message: string };
}

async function search(query: string): Promise<{ status: number; body: SearchBody }> {
  const reply = await fetch(`${http.url}/api/search?${query}`);
  return { status: reply.status, body: (await reply.json()) as SearchBody };
}

const inKrosno = (postalCode: string) =>
  system.addCentre({
    name: 'Punkt Szczepień — Szpital Miejski, Krosno',
    address: { street: 'ul. Grunwaldzka 1', postalCode, city: 'Krosno', voivodeship: 'podkarpackie' },
    location: KROSNO,
  });

describe('a search from a postal code', () => {
  test('starts at the locality: from 38-700 a centre in Krosno is about 65 km away, one in Ustrzyki Dolne near', async () => {
    const krosno = await inKrosno('38-400');
    const ustrzyki = await system.addCentre({
      address: {
        street: 'ul. 29 Listopada 1',
        postalCode: '38-700',
        city: 'Ustrzyki Dolne',
        voivodeship: 'podkarpackie',
      },
      location: USTRZYKI_DOLNE,
    });

    const found = await search('postalCode=38-700&radiusKm=100');

    expect(found.status).toBe(200);
    expect(found.body.origin).toMatchObject({ postalCode: '38-700' });
    expect(distanceKm(found.body.origin, USTRZYKI_DOLNE)).toBeLessThan(2);
    const distance = (id: string) => found.body.results.find((r) => r.centre.id === id)?.distanceKm;
    expect(distance(ustrzyki.id)).toBeLessThan(2);
    expect(distance(krosno.id)).toBeGreaterThan(55);
    expect(distance(krosno.id)).toBeLessThan(75);
  });

  test('trusts the table over a centre that gives the same code: a Krosno centre written as 38-700 stays 65 km away', async () => {
    await inKrosno('38-700');

    const near = await search('postalCode=38-700');
    const far = await search('postalCode=38-700&radiusKm=100');

    expect(near.body.results).toEqual([]);
    expect(far.body.results[0]?.distanceKm).toBeGreaterThan(55);
  });

  test('places a code the table lacks at a centre with that code, else at its two-digit area', async () => {
    // 00-950 is not in the table; the test centres of Warsaw give it as their code.
    const warsaw = await system.addCentre();

    const atCentre = await search('postalCode=00-950');
    const atArea = await search('postalCode=00-949');

    expect(atCentre.body.origin).toMatchObject({ lat: warsaw.location.lat, lon: warsaw.location.lon });
    expect(atCentre.body.results[0]?.distanceKm).toBe(0);
    expect(atArea.body.origin).toMatchObject({ lat: 52.2319, lon: 21.0067 });
    expect(atArea.body.results[0]?.distanceKm).toBeGreaterThan(0);
    expect(atArea.body.results[0]?.distanceKm).toBeLessThan(1);
  });

  test('starts a search by town at the town: Ustrzyki Dolne by name, in any case and without diacritics', async () => {
    const ustrzyki = await system.addCentre({
      address: {
        street: 'ul. 29 Listopada 1',
        postalCode: '38-700',
        city: 'Ustrzyki Dolne',
        voivodeship: 'podkarpackie',
      },
      location: USTRZYKI_DOLNE,
    });

    const found = await search('town=ustrzyki%20dolne&radiusKm=10');

    expect(found.status).toBe(200);
    expect(found.body.origin).toMatchObject({ postalCode: null, place: 'Ustrzyki Dolne' });
    expect(found.body.results.map((r) => r.centre.id)).toEqual([ustrzyki.id]);
  });

  test('refuses a town nobody knows with 400 UNKNOWN_TOWN naming town', async () => {
    const unknown = await search('town=Atlantyda');

    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_TOWN', field: 'town' });
  });

  test('refuses a code of no postal area with 400 naming postalCode and saying the code is not known', async () => {
    const unknown = await search('postalCode=79-100');
    const malformed = await search('postalCode=3870');

    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_POSTAL_CODE', field: 'postalCode' });
    expect(unknown.body.error.message).toMatch(/79-100 is not known/);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'INVALID_POSTAL_CODE', field: 'postalCode' });
  });
});

describe('booking by text message from a postal code', () => {
  async function text(body: string): Promise<string> {
    const url = `${http.url}/api/sms/inbound`;
    const form = { MessageSid: `SM${'1'.padStart(32, '0')}`, From: '+48601234567', To: '+48800100200', Body: body };
    const reply = await postTwilioForm(url, system.sms.authToken, form);
    expect(reply.status).toBe(200);
    for (let round = 0; round < 3; round++) {
      await system.dispatcher.drain();
      await system.sms.runner.runDue();
    }
    const answer = await system.store.runInTransaction((tx) => tx.getSmsMessage(`reply:${form.MessageSid}`));
    return answer?.body ?? '';
  }

  test('a code of no postal area is answered as a wrong postal code', async () => {
    await inKrosno('38-400');

    const reply = await text(`SZCZEPIENIE ${aCitizen({ born: 1950 }).pesel} 79-100`);

    expect(reply).toBe(renderSms({ kind: 'invalid_postal_code', contact: DEFAULT_SMS_SETTINGS.contact }, 'pl'));
  });
});
