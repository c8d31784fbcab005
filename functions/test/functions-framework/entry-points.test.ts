import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { aBirthYearRule, aCitizen } from '../support/builders.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'ereg-ff-'));
process.env.DATA_DIR = dataDir;

let runtime: typeof import('../../src/runtime/entry-runtime.ts');
process.env.EREG_RUNTIME = 'local';

beforeAll(async () => {
  await import('../../src/index.ts');
  runtime = await import('../../src/runtime/entry-runtime.ts');
  const system = await runtime.localRuntime();
  await system.store.runInTransaction(async (tx) => {
    tx.putEligibilityRule(aBirthYearRule(1970));
  });
});

afterAll(async () => {
  await (await runtime.localRuntime()).stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the same handlers on the functions-framework', () => {
  test('search answers a query and names a bad field', async () => {
    const server = getTestServer('search');
    const ok = await request(server).get('/?postalCode=00-950');
    expect(ok.status).toBe(200);
    expect(ok.body.origin.postalCode).toBe('00-950');
    const bad = await request(server).get('/?postalCode=ABC');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_POSTAL_CODE', field: 'postalCode' });
  });

  test('login exchanges an assertion for a session, which the booking function accepts', async () => {
    const system = await runtime.localRuntime();
    const citizen = aCitizen({ born: 1950 });
    const login = await request(getTestServer('login'))
      .post('/')
      .send({ assertion: await system.identity.issueAssertion(citizen) });
    expect(login.status).toBe(200);
    const list = await request(getTestServer('booking'))
      .get(`/patients/${login.body.patient.id}/appointments`)
      .set('authorization', `Bearer ${login.body.token}`);
    expect(list.status).toBe(200);
    expect(list.body.appointments).toEqual([]);
  });

  test('booking without a token is refused with 401', async () => {
    const reply = await request(getTestServer('booking')).post('/appointments').send({ slotId: 'x' });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('UNAUTHENTICATED');
  });

  test('behind a Firebase Hosting rewrite the site’s path /api/<function>/… reaches the same route', async () => {
    const server = getTestServer('search');
    const rewritten = await request(server).get('/api/search?postalCode=00-950');
    expect(rewritten.status).toBe(200);
    expect(rewritten.body.origin.postalCode).toBe('00-950');
    const vaccines = await request(server).get('/api/search/vaccines');
    expect(vaccines.status).toBe(200);
    expect(vaccines.body.vaccines.length).toBeGreaterThan(0);
  });

  test('an unknown route of a function is a 404 with a code', async () => {
    const reply = await request(getTestServer('centres')).get('/a/b/c/d/e');
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('limits and headers on the functions-framework', () => {
  const large = JSON.stringify({ assertion: 'x'.repeat(300 * 1024) });

  test('a body over 256 KiB is refused with 413 before any handler reads it', async () => {
    const reply = await request(getTestServer('login')).post('/').set('content-type', 'application/json').send(large);
    expect(reply.status).toBe(413);
    expect(reply.body.error.code).toBe('BODY_TOO_LARGE');
  });

  test('JSON answers are neither sniffed nor stored', async () => {
    for (const reply of [
      await request(getTestServer('search')).get('/?postalCode=00-950'),
      await request(getTestServer('search')).get('/?postalCode=ABC'),
    ]) {
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  test.each(['/centres/%E0%A4%A', '/centres/%E0%A4%A/slots', '/%ZZ', '/centres/%'])(
    'a path with broken percent-encoding (%s) is a 400',
    async (path) => {
      const reply = await request(getTestServer('centres')).get(path);
      // Express refuses it while routing, before the function runs; the local host answers the same status.
      expect(reply.status).toBe(400);
    },
  );
});
