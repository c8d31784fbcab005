import { type Server, STATUS_CODES } from 'node:http';
import { connect } from 'node:net';
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

describe('the local server’s headers and limits', () => {
  test.each(['/sms', '/dev', '/dev-idp/login'])(
    'the page %s forbids framing, inline code it does not name and referrers',
    async (path) => {
      const reply = await fetch(`${url}${path}`);
      expect(reply.status).toBe(200);
      const csp = reply.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(reply.headers.get('x-frame-options')).toBe('DENY');
      expect(reply.headers.get('referrer-policy')).toBe('same-origin');
      // Each inline block the page holds is allowed by its hash, and nothing else inline is.
      const html = await reply.text();
      const blocks = [...html.matchAll(/<(script|style)>([\s\S]*?)<\/\1>/g)];
      expect(blocks.length).toBeGreaterThan(0);
      const { createHash } = await import('node:crypto');
      for (const [, , text] of blocks) {
        expect(csp).toContain(
          `'sha256-${createHash('sha256')
            .update(text ?? '')
            .digest('base64')}'`,
        );
      }
    },
  );

  test('JSON answers, successes and errors alike, are neither sniffed nor stored', async () => {
    for (const path of ['/healthz', '/api/search?postalCode=ABC', '/nothing-here']) {
      const reply = await fetch(`${url}${path}`);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('cache-control')).toBe('no-store');
    }
  });

  test.each([
    '/api/centres/%E0%A4%A',
    '/api/centres/%E0%A4%A/slots',
    '/api/booking/%ZZ',
    '/api/search/%',
    '/%E0%A4%A',
    '/sms/%E0',
    '/dev-idp/%E0%A4%A',
  ])('a path with broken percent-encoding (%s) is a 400 with a code', async (path) => {
    const reply = await fetch(`${url}${path}`);
    expect(reply.status).toBe(400);
    expect((await errorOf(reply)).code).toBe('INVALID_PATH');
  });
});

describe('a client that sends its headers slowly', () => {
  test('is cut off once the headers timeout has passed', async () => {
    const slow = createLocalServer(system, {
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, checkEveryMs: 100 },
    });
    const slowUrl = new URL(await listen(slow, 0, '127.0.0.1'));
    try {
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const socket = connect(Number(slowUrl.port), slowUrl.hostname, () => {
          socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
          // One more header line every 100 ms, never the blank line that ends them.
          const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 100);
          socket.on('close', () => {
            clearInterval(drip);
            clearTimeout(never);
            resolve(Date.now() - started);
          });
        });
        socket.on('error', () => undefined);
        const never = setTimeout(() => reject(new Error('the connection was never cut off')), 5000);
      });
      expect(closedAfter).toBeGreaterThanOrEqual(300);
      expect(closedAfter).toBeLessThan(1500);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});

/** Sends bytes on a fresh connection and answers everything the server writes back before it closes. */
function exchange(bytes: string): Promise<string> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

test.each([
  '/api/centres/c-two/references/%2E%2E',
  '/api/centres/c-two/references/..',
  '/api/booking/./appointments',
  '/api/admin/%2e/centres',
])('a path with a dot segment (%s) is a 400, never resolved to another route', async (target) => {
  const answer = await exchange(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
  expect(JSON.parse(body).error.code).toBe('INVALID_PATH');
});

test.each(['http://[', '//[', 'http://:99999/api/search', 'https://x:y@[::1/'])(
  'a request target that is no URL (%s) is a 400 with a code, not a failure of the server',
  async (target) => {
    const answer = await exchange(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(body).error.code).toBe('INVALID_PATH');
  },
);

describe('a request node:http cannot read', () => {
  test('a client still sending its long header after the limit gets the 431, not a reset connection', async () => {
    const { port, hostname } = new URL(url);
    const outcome = await new Promise<{ answer: string; error: string | null }>((resolve) => {
      let answer = '';
      let error: string | null = null;
      const socket = connect(Number(port), hostname, () => {
        // A busy client: it writes the rest of its header for a while before it reads anything.
        socket.pause();
        socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}`);
        const more = setInterval(() => socket.write('y'.repeat(16_384), () => undefined), 5);
        setTimeout(() => clearInterval(more), 200);
        setTimeout(() => socket.resume(), 250);
        socket.on('close', () => clearInterval(more));
      });
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString('utf8');
      });
      socket.on('error', (e: NodeJS.ErrnoException) => {
        error = e.code ?? e.message;
      });
      socket.on('close', () => resolve({ answer, error }));
    });
    expect(outcome.answer.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(outcome.answer).toContain('"code":"HEADERS_TOO_LARGE"');
  });

  test.each([
    [
      'a request line over the header limit',
      `GET /api/search?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    [
      'headers over the limit',
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    ['a line that is not HTTP', 'HELLO THERE\r\n\r\n', 400, 'BAD_REQUEST'],
    ['a header without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n', 400, 'BAD_REQUEST'],
  ])('%s is answered in the error shape, then the connection closes', async (_, bytes, status, code) => {
    const answer = await exchange(bytes);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${STATUS_CODES[status]}`);
    expect(head.toLowerCase()).toContain('content-type: application/json');
    expect(JSON.parse(body)).toEqual({
      error: { code, message: expect.any(String), correlationId: expect.any(String) },
    });
  });
});
