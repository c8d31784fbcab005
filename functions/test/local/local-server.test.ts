import type { Server } from 'node:http';
import { createLocalServer, listen } from '../../src/runtime/local/server.ts';
import { createTestSystem, type TestSystem } from '../support/test-system.ts';

let system: TestSystem;
let server: Server;
let url: string;
const lines: string[] = [];

beforeAll(async () => {
  system = await createTestSystem();
  // A function that fails outside any router: the host's own fallback must answer it.
  system.functions.admin = async () => {
    throw new Error('disk full at /var/lib/ereg');
  };
  server = createLocalServer(system, { log: (line) => lines.push(line) });
  url = await listen(server, 0, '127.0.0.1');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await system.close();
});

const logged = () => lines.map((line) => JSON.parse(line));

interface ErrorAnswer {
  error: { code: string; message: string; correlationId: string };
}
const errorOf = async (reply: Response) => ((await reply.json()) as ErrorAnswer).error;

describe('the local server', () => {
  test('its fallback 500 is the error mapper’s: a generic message and a correlation id that is in the log', async () => {
    const reply = await fetch(`${url}/api/admin/eligibility-rules`);
    expect(reply.status).toBe(500);
    const error = await errorOf(reply);
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' });
    const line = logged().find((l) => l.correlationId === error.correlationId);
    expect(line).toMatchObject({ severity: 'ERROR', status: 500, route: 'local GET /api/admin/eligibility-rules' });
    expect(line.stack).toContain('disk full');
  });

  test('a body that is too large and an unknown page are answered with codes and correlation ids', async () => {
    const large = await fetch(`${url}/dev-idp/assertion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pesel: 'x'.repeat(300 * 1024) }),
    });
    expect(large.status).toBe(413);
    const tooLarge = await errorOf(large);
    expect(tooLarge.code).toBe('BODY_TOO_LARGE');
    const missing = await fetch(`${url}/nothing-here`);
    expect(missing.status).toBe(404);
    const notFound = await errorOf(missing);
    expect(notFound.code).toBe('ROUTE_NOT_FOUND');
    const ids = logged().map((l) => l.correlationId);
    expect(ids).toEqual(expect.arrayContaining([tooLarge.correlationId, notFound.correlationId]));
  });

  test('the development tools answer a wrong method with 405 and Allow', async () => {
    const reply = await fetch(`${url}/dev-idp/token`);
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
  });
});
