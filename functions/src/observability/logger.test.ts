import fc from 'fast-check';
import { configureLogging, createLogger, type LogFields, redactText, writeLog } from './logger.ts';
import { beginRequest, endRequest, serveInScope } from './request-log.ts';
import { inSpan } from './trace-context.ts';

type Line = Record<string, unknown>;

function capture(): { lines: string[]; parsed: () => Line[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, parsed: () => lines.map((line) => JSON.parse(line) as Line), write: (line) => lines.push(line) };
}

const CALLER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('the log line', () => {
  afterEach(() => configureLogging({ projectId: undefined }));

  test('has Cloud Logging’s severity and message, and the trace, span and sampling of what runs now', async () => {
    const out = capture();
    configureLogging({ projectId: 'demo-ereg' });
    await inSpan('work', { parent: CALLER }, async (span) => {
      createLogger(out.write).warn('Slot full.', { code: 'SLOT_FULL' });
      expect(out.parsed()).toEqual([
        {
          severity: 'WARNING',
          message: 'Slot full.',
          'logging.googleapis.com/trace': 'projects/demo-ereg/traces/4bf92f3577b34da6a3ce929d0e0e4736',
          'logging.googleapis.com/spanId': span.spanContext().spanId,
          'logging.googleapis.com/trace_sampled': true,
          code: 'SLOT_FULL',
        },
      ]);
    });
  });

  test('names the bare trace id where there is no project, and no trace outside any', async () => {
    const out = capture();
    await inSpan('work', { parent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' }, async () =>
      writeLog('INFO', 'inside', undefined, out.write),
    );
    writeLog('ERROR', 'outside', undefined, out.write);
    const [inside, outside] = out.parsed();
    expect(inside).toMatchObject({
      'logging.googleapis.com/trace': '4bf92f3577b34da6a3ce929d0e0e4736',
      'logging.googleapis.com/trace_sampled': false,
    });
    expect(outside).toEqual({ severity: 'ERROR', message: 'outside' });
  });

  test('of a request is Cloud Logging’s httpRequest, with the function, route pattern, status and request id', async () => {
    const out = capture();
    const scope = beginRequest('POST', { traceparent: CALLER }, 'booking');
    await serveInScope(scope, async () => {
      scope.route = 'POST /appointments';
    });
    endRequest(scope, { method: 'POST', url: '/api/booking/appointments?pesel=44051401359', status: 409 }, out.write);
    const [line] = out.parsed();
    expect(line).toEqual({
      severity: 'WARNING',
      message: 'booking POST /appointments 409',
      'logging.googleapis.com/trace': '4bf92f3577b34da6a3ce929d0e0e4736',
      'logging.googleapis.com/spanId': scope.requestId,
      'logging.googleapis.com/trace_sampled': true,
      requestId: scope.requestId,
      function: 'booking',
      route: 'POST /appointments',
      httpRequest: {
        requestMethod: 'POST',
        requestUrl: '/api/booking/appointments',
        status: 409,
        latency: expect.stringMatching(/^\d+\.\d{3}s$/),
      },
      status: 409,
    });
    expect(scope.requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(scope.requestId).not.toBe('00f067aa0ba902b7');
  });

  test('of a request that failed on our side is an error; one without a trace starts its own', () => {
    const out = capture();
    const scope = beginRequest('GET', {}, 'search');
    endRequest(scope, { method: 'GET', url: '/api/search', status: 503 }, out.write);
    const [line] = out.parsed();
    expect(line?.severity).toBe('ERROR');
    expect(line?.['logging.googleapis.com/trace']).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('the redaction rule', () => {
  // Planted values sit between separators a sentence would have; the text around them is random.
  const separator = fc.constantFrom(' ', ': ', ', ', '; ', '\n', ' (', ') ', '"', '\t');
  const text = fc.string({ maxLength: 24 });
  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
  const pesel = digits(11);
  const national = fc.tuple(fc.integer({ min: 4, max: 8 }).map(String), digits(8)).map(([first, rest]) => first + rest);
  const phone = fc
    .tuple(national, fc.constantFrom('plain', 'spaced', 'dashed', '+48', '+48 ', '0048 ', '+48-'))
    .map(([n, form]) => {
      const grouped = (sep: string) => `${n.slice(0, 3)}${sep}${n.slice(3, 6)}${sep}${n.slice(6)}`;
      switch (form) {
        case 'plain':
          return { text: n, national: n };
        case 'spaced':
          return { text: grouped(' '), national: n };
        case 'dashed':
          return { text: grouped('-'), national: n };
        default:
          return { text: `${form}${form.endsWith('-') ? grouped('-') : grouped(' ')}`, national: n };
      }
    });
  const e164 = fc
    .tuple(fc.constantFrom('+1', '+44', '+49', '+380'), digits(9))
    .map(([cc, n]) => ({ text: `${cc} ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, national: n }));
  const base64url = (min: number) =>
    fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
      minLength: min,
      maxLength: min + 20,
    });
  const jwt = fc.tuple(base64url(10), base64url(20), base64url(30)).map(([h, p, s]) => `eyJ${h}.${p}.${s}`);
  const bearer = base64url(24).map((token) => ({ text: `Bearer ${token}`, secret: token }));
  const twilioSignature = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => Buffer.from(b).toString('base64'));
  const googleKey = base64url(35)
    .map((k) => `AIza${k.slice(0, 35)}`)
    .filter((k) => k.length === 39);
  const name = fc
    .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyząęłńóśźż'), minLength: 8, maxLength: 14 })
    .map((n) => n[0]?.toUpperCase() + n.slice(1));

  const planted = fc.record({
    pesel,
    phone: fc.oneof(phone, e164),
    jwt,
    bearer,
    signature: twilioSignature,
    apiKey: googleKey,
    givenName: name,
    familyName: name,
  });

  /** Random text with the values between separators, in a random order. */
  const sentence = (values: string[]) =>
    fc
      .tuple(
        fc.shuffledSubarray(values, { minLength: values.length }),
        fc.array(fc.tuple(text, separator), { minLength: values.length, maxLength: values.length }),
        text,
      )
      .map(
        ([order, around, tail]) =>
          order.map((value, i) => `${around[i]?.[0]}${around[i]?.[1]}${value}${around[i]?.[1]}`).join('') + tail,
      );

  const PESEL_PATTERN = /(?<!\d)\d{11}(?!\d)/;
  const PHONE_PATTERN = /(?<!\d)(?:(?:\+|00)\d{1,3}[ -]?)?\d{3}[ -]?\d{3}[ -]?\d{3}(?!\d)/;

  type Planted = typeof planted extends fc.Arbitrary<infer T> ? T : never;

  function expectClean(line: string, p: Planted) {
    expect(line).not.toMatch(PESEL_PATTERN);
    expect(line).not.toMatch(PHONE_PATTERN);
    expect(line.replace(/[ -]/g, '')).not.toContain(p.phone.national);
    expect(line).not.toContain(p.pesel);
    for (const secret of [p.jwt, p.bearer.secret, p.signature, p.apiKey, p.givenName, p.familyName]) {
      expect(line).not.toContain(secret);
    }
  }

  const valuesOf = (p: {
    pesel: string;
    phone: { text: string };
    jwt: string;
    bearer: { text: string };
    signature: string;
    apiKey: string;
  }) => [p.pesel, p.phone.text, p.jwt, p.bearer.text, p.signature, p.apiKey];

  test('leaves no PESEL, phone number, name or token in a message, its fields or nested fields', () => {
    fc.assert(
      fc.property(
        planted.chain((p) => fc.tuple(fc.constant(p), sentence(valuesOf(p)), sentence(valuesOf(p)))),
        ([p, message, nested]) => {
          const out = capture();
          const fields: LogFields = {
            detail: nested,
            patient: {
              givenName: p.givenName,
              familyName: p.familyName,
              contact: { phone: p.phone.text, note: nested },
            },
            headers: { authorization: p.bearer.text, cookie: `session=${p.jwt}`, 'x-twilio-signature': p.signature },
            list: [nested, { displayName: `${p.givenName} ${p.familyName}`, pesel: Number(p.pesel) }],
            displayName: p.familyName,
          };
          writeLog('INFO', message, fields, out.write);
          expectClean(out.lines[0] as string, p);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('leaves none in an Error: its message, stack, own fields and cause', () => {
    fc.assert(
      fc.property(
        planted.chain((p) => fc.tuple(fc.constant(p), sentence(valuesOf(p)))),
        ([p, message]) => {
          const out = capture();
          const cause = Object.assign(new Error(`upstream said: ${message}`), { firstName: p.givenName });
          const error = Object.assign(new Error(message, { cause }), {
            code: 'INTERNAL',
            lastName: p.familyName,
            request: { headers: { authorization: p.bearer.text } },
          });
          createLogger(out.write).error(`Failed: ${message}`, { error });
          expectClean(out.lines[0] as string, p);
          expect(JSON.parse(out.lines[0] as string).error).toMatchObject({ type: 'Error', code: 'INTERNAL' });
        },
      ),
      { numRuns: 300 },
    );
  });

  test('keeps what operators need: ids, codes, routes, latencies, counts, times and idempotency keys', () => {
    const out = capture();
    const appointmentId = 'apt_0123456789abcdef0123456789abcdef';
    const eventId = 'evt_mxb9pa1u5746c4a08b74469c';
    const message = `Booked ${appointmentId} at c-0001 in 0.123s (409 SLOT_FULL, 1200 slots, 2026-01-14) trace 4bf92f3577b34da6a3ce929d0e0e4736 message SM0123456789abcdef0123456789abcdef`;
    writeLog(
      'INFO',
      message,
      {
        appointmentId,
        eventId,
        code: 'SLOT_FULL',
        route: 'POST /appointments',
        latency: '0.123s',
        latencyMs: 123,
        count: 1200,
        at: 1767772800000,
        correlationId: '0f5a6f1e-1234-4567-8901-234567890123',
        idempotencyKey: 'book-pat_01-slot_99',
        'idempotency-key': 'book-pat_01-slot_99',
      },
      out.write,
    );
    expect(JSON.parse(out.lines[0] as string)).toEqual({
      severity: 'INFO',
      message,
      appointmentId,
      eventId,
      code: 'SLOT_FULL',
      route: 'POST /appointments',
      latency: '0.123s',
      latencyMs: 123,
      count: 1200,
      at: 1767772800000,
      correlationId: '0f5a6f1e-1234-4567-8901-234567890123',
      idempotencyKey: 'book-pat_01-slot_99',
      'idempotency-key': 'book-pat_01-slot_99',
    });
  });

  test('redacts each kind of secret in text, keeping the words around it', () => {
    expect(redactText('PESEL 44051401359, tel. +48 601 234 567 or 601-234-567')).toBe(
      'PESEL [redacted], tel. [redacted] or [redacted]',
    );
    expect(redactText('Authorization: Bearer abc.def.ghi')).toBe('Authorization: [redacted]');
    expect(redactText('sent with bearer abc123')).toBe('sent with bearer [redacted]');
    expect(redactText('token=s3cr3t&x=1; api_key: AIzaSyA-1234567890abcdefghijklmnopqrstu')).toBe(
      'token=[redacted]&x=1; api_key: [redacted]',
    );
  });
});
