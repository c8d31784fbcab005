import { ROUTES, type Role, type RouteName } from '@ereg/shared';
import fc from 'fast-check';
import { twilioSignature } from '../../src/adapters/twilio/twilio-signature.ts';
import {
  brokenEncoding,
  encodeComponent,
  type Hints,
  hugeString,
  type JsonSchema,
  nastyString,
  valuesFor,
  WRONG_TYPES,
} from './fuzz-values.ts';
import type { RawRequest } from './raw-http.ts';

/** One operation of the served OpenAPI document, with who may call it (from ROUTES, by its operationId). */
export interface Operation {
  id: RouteName;
  method: string;
  /** `/api/booking/appointments/{appointmentId}` */
  template: string;
  params: Array<{ name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema }>;
  body: JsonSchema | null;
  roles: readonly Role[] | 'public';
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

interface OpenApiOperation {
  operationId: string;
  parameters?: Operation['params'];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}

/** Every operation of an OpenAPI document served by the system. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const id = operation.operationId as RouteName;
      operations.push({
        id,
        method: method.toUpperCase(),
        template,
        params: operation.parameters ?? [],
        body: operation.requestBody?.content['application/json'].schema ?? null,
        roles: ROUTES[id].roles,
      });
    }
  }
  return operations;
}

/** What the fuzz knows of the system it runs against. */
export interface World {
  /** The system's today (its clock stands still). */
  today: string;
  /** Real ids and plausible values, by field name. */
  hints: Hints;
  /** `Authorization` values of valid sessions, for each role. */
  sessions: Record<Role, string[]>;
  /** `Authorization` values no route accepts (absent, expired, tampered, foreign, malformed). */
  badAuth: Array<string | null>;
  /** The SMS webhooks' signing secret and the host they are reached at. */
  sms: { authToken: string; host: string };
}

/**
 * `mixed`: anything, valid or not; the server must answer every one without a 5xx.
 * `rejected`: each request broken on purpose in a way that must be refused before any use case runs
 * (token, role, body, query, header, path encoding, size, method, signature), so nothing may change.
 */
export type Mode = 'mixed' | 'rejected';

export interface FuzzRequest {
  /** The operation (or webhook) aimed at, and how the request was broken. */
  target: string;
  strategy: string;
  raw: RawRequest;
}

const ROLES: readonly Role[] = ['patient', 'agent', 'staff', 'admin'];
/** Request targets (the first line's second word) that are not URLs: no host, a broken IPv6 literal, a bad port. */
const UNPARSABLE_TARGETS = [
  'http://[',
  '//[',
  '//[/api/login',
  'http://:99999/api/search',
  'https://x:y@[::1/',
  'http://[::1/api',
];
/** Targets in absolute or authority-like form: routed by their path, whatever host they name. */
const OTHER_FORMS = (path: string) => [
  `http://evil.example${path}`,
  `//evil.example${path}`,
  `HTTP://127.0.0.1:1${path}`,
];
const ODD_METHODS = ['DELETE', 'PATCH', 'OPTIONS', 'TRACE'];
const EXTRA_KEY = 'zzUnknownField';

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');

function rolesAllowed(op: Operation): readonly Role[] {
  return op.roles === 'public' ? ROLES : op.roles;
}

function sessionsOf(world: World, roles: readonly Role[]): fc.Arbitrary<string> {
  return fc.constantFrom(...roles.flatMap((role) => world.sessions[role]));
}

/** A header value node:http will send: Latin-1 only, no line breaks or NUL (the rest is the server's to judge). */
function headerSafe(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('latin1')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters node:http refuses in a header.
      .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '')
  );
}

function authArb(op: Operation, world: World): fc.Arbitrary<string | null> {
  const allowed = rolesAllowed(op);
  const others = ROLES.filter((role) => !allowed.includes(role));
  const choices: Array<fc.WeightedArbitrary<string | null>> = [
    { weight: 8, arbitrary: sessionsOf(world, allowed) },
    { weight: 1, arbitrary: fc.constantFrom(...world.badAuth) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 80 }).map(headerSafe) },
  ];
  if (others.length > 0) choices.push({ weight: 2, arbitrary: sessionsOf(world, others) });
  return fc.oneof(...choices);
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value) ?? '';
}

/** A path parameter's raw segment: a real id, a nasty value, a long one or a broken encoding. */
function segmentArb(param: Operation['params'][number], world: World, plausible: boolean): fc.Arbitrary<string> {
  const value = valuesFor(param.schema, param.name, {
    hints: world.hints,
    today: world.today,
    wrongness: plausible ? 0 : 1,
  });
  const encoded = value.map((v) => encodeComponent(stringify(v)));
  if (plausible) return encoded;
  return fc.oneof(
    { weight: 12, arbitrary: encoded },
    { weight: 2, arbitrary: nastyString.map(encodeComponent) },
    { weight: 1, arbitrary: fc.constantFrom('.', '..', '%2E%2E', '%2F', 'a%2Fb', '%20', '~', "'", '(', '*') },
    { weight: 1, arbitrary: fc.constantFrom(300, 5000).map((n) => 'x'.repeat(n)) },
    {
      weight: 1,
      arbitrary: fc.tuple(value, brokenEncoding).map(([v, broken]) => `${encodeComponent(stringify(v))}${broken}`),
    },
  );
}

function pathArb(op: Operation, world: World, flavour: 'plausible' | 'noisy' | 'broken'): fc.Arbitrary<string> {
  const params = op.params.filter((p) => p.in === 'path');
  const segments = params.map((p) => segmentArb(p, world, flavour === 'plausible'));
  return fc.tuple(fc.tuple(...segments), brokenEncoding, fc.nat()).map(([values, badCode, pick]) => {
    let path = op.template;
    params.forEach((p, i) => {
      path = path.replace(`{${p.name}}`, values[i] as string);
    });
    if (flavour !== 'broken') return path;
    // A broken escape somewhere in the path: a parameter or, without one, the last segment.
    const parts = path.split('/');
    const at = parts.length - 1 - (pick % Math.max(1, params.length));
    parts[at] = `${parts[at]}${badCode}`;
    return parts.join('/');
  });
}

/** `?a=1&b=2`: the route's parameters (some left out, some wrong), with duplicates, unknown keys and broken escapes. */
function queryArb(
  op: Operation,
  world: World,
  options: { plausible: boolean; unknownKey: boolean },
): fc.Arbitrary<string> {
  const params = op.params.filter((p) => p.in === 'query');
  const wrongness = options.plausible ? 0 : 1;
  const entry = (p: (typeof params)[number]) =>
    fc
      .tuple(fc.nat(99), valuesFor(p.schema, p.name, { hints: world.hints, today: world.today, wrongness }), fc.nat(99))
      .map(([include, value, style]): string[] => {
        if (include >= (p.required ? 95 : 55)) return [];
        const text = stringify(value);
        const pair = (v: string) => `${encodeComponent(p.name)}=${v}`;
        if (options.plausible || style < 80) return [pair(encodeComponent(text))];
        if (style < 88) return [pair(encodeComponent(text)), pair(encodeComponent(`${text}2`))];
        if (style < 93) return [pair(`${encodeComponent(text)}%`)];
        if (style < 96) return [pair(encodeComponent(text).replace(/%20/g, '+'))];
        return [`${encodeComponent(p.name)}[]=${encodeComponent(text)}`];
      });
  const extras = options.plausible
    ? fc.constant<string[]>([])
    : fc.oneof(
        { weight: 20, arbitrary: fc.constant<string[]>([]) },
        { weight: 1, arbitrary: fc.constant(['=x', 'flag', '&&', '%ZZ=1', 'a=%']) },
        { weight: 1, arbitrary: fc.constantFrom(1_000, 8_000).map((n) => [`pad=${'q'.repeat(n)}`]) },
        { weight: 1, arbitrary: nastyString.map((s) => [`${encodeComponent(s)}=1`]) },
      );
  return fc.tuple(fc.tuple(...params.map(entry)), extras).map(([entries, extra]) => {
    const pairs = [...entries.flat(), ...extra];
    if (options.unknownKey) pairs.push(`${EXTRA_KEY}=1`);
    return pairs.length > 0 ? `?${pairs.join('&')}` : '';
  });
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'];
const OTHER_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  '*/*',
  ';;;',
];

interface Body {
  contentType: string | null;
  bytes: Buffer;
}

/** Bodies that are not JSON at all, or not what JSON.parse takes. */
const garbageBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom('{', '{"a":', "{'a':1}", 'undefined', 'NaN', '[1,]', '{"a":1}}', '   ', '\u0000', '<xml/>')
    .map((t) => Buffer.from(t, 'utf8')),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0x00]),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
  ),
  fc.constantFrom(2_000, 100_000).map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
);

function withExtraKey(value: unknown): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { ...value, [EXTRA_KEY]: 1 }
    : { [EXTRA_KEY]: 1 };
}

function requiredOf(schema: JsonSchema): string[] {
  if (schema.required) return schema.required;
  const branches = schema.oneOf ?? schema.anyOf ?? [];
  return branches.length > 0
    ? (branches[0]?.required ?? []).filter((k) => branches.every((b) => b.required?.includes(k)))
    : [];
}

function withoutKey(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const copy = { ...(value as Record<string, unknown>) };
  delete copy[key];
  return copy;
}

/** The JSON body of an operation, valid-ish and often broken; or, for routes without one, noise. */
function bodyArb(op: Operation, world: World): fc.Arbitrary<Body | null> {
  const schema = op.body;
  const value = schema
    ? valuesFor(schema, null, { hints: world.hints, today: world.today, wrongness: 1 })
    : fc.constant(undefined);
  const hugeField = fc
    .tuple(value, fc.constantFrom(...Object.keys(schema?.properties ?? { reason: 1 })), hugeString)
    .map(([v, key, big]) => json({ ...(typeof v === 'object' && v !== null ? v : {}), [key]: big }));
  const bytes: fc.Arbitrary<Buffer> = fc.oneof(
    { weight: 40, arbitrary: value.map((v) => json(v)) },
    { weight: 3, arbitrary: value.map((v) => json(withExtraKey(v))) },
    { weight: 3, arbitrary: WRONG_TYPES.map((v) => json(v)) },
    { weight: 2, arbitrary: garbageBody },
    { weight: 2, arbitrary: hugeField },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
    {
      weight: 2,
      arbitrary: value.map((v) =>
        Buffer.from(
          new URLSearchParams(
            Object.entries(typeof v === 'object' && v !== null ? v : {}).map(([k, x]): [string, string] => [
              k,
              stringify(x),
            ]),
          ).toString(),
        ),
      ),
    },
    {
      weight: 1,
      arbitrary: value.map((v) => {
        const text = JSON.stringify(v) ?? '{}';
        return Buffer.from(text.startsWith('{"') ? `{"slotId":"dup",${text.slice(1)}` : text);
      }),
    },
  );
  const contentType = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom<string | null>(...JSON_TYPES) },
    { weight: 1, arbitrary: fc.constant<string | null>(null) },
    { weight: 2, arbitrary: fc.constantFrom<string | null>(...OTHER_TYPES) },
  );
  const body = fc.record({ contentType, bytes });
  if (op.method === 'GET')
    return fc.oneof({ weight: 15, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: body });
  return schema ? body : fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: body });
}

/** Bodies every route must refuse before its handler: not an object, unknown or missing fields, bad JSON, too large. */
function brokenBodyArb(schema: JsonSchema, world: World): fc.Arbitrary<{ strategy: string; body: Body }> {
  const value = valuesFor(schema, null, { hints: world.hints, today: world.today, wrongness: 0 });
  const required = requiredOf(schema);
  const variants: Array<fc.WeightedArbitrary<{ strategy: string; bytes: Buffer }>> = [
    { weight: 4, arbitrary: value.map((v) => ({ strategy: 'unknown-field', bytes: json(withExtraKey(v)) })) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(nastyString, fc.integer(), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }))
        .map((v) => ({ strategy: 'not-an-object', bytes: json(v) })),
    },
    { weight: 2, arbitrary: garbageBody.map((bytes) => ({ strategy: 'not-json', bytes })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(value, fc.constantFrom(262_145, 300_000))
        .map(([v, size]) => ({ strategy: 'too-large', bytes: json({ ...(v as object), pad: 'x'.repeat(size) }) })),
    },
  ];
  if (required.length > 0) {
    variants.push({
      weight: 4,
      arbitrary: fc
        .tuple(value, fc.constantFrom(...required))
        .map(([v, key]) => ({ strategy: `missing-${key}`, bytes: json(withoutKey(v, key)) })),
    });
  }
  return fc
    .tuple(fc.oneof(...variants), fc.constantFrom<string | null>(...JSON_TYPES, null, 'text/plain'))
    .map(([variant, contentType]) => ({ strategy: variant.strategy, body: { contentType, bytes: variant.bytes } }));
}

function headersOf(auth: string | null, body: Body | null, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { ...extra };
  if (auth !== null) headers.authorization = auth;
  if (body?.contentType) headers['content-type'] = body.contentType;
  for (const [name, value] of Object.entries(headers)) headers[name] = headerSafe(value);
  return headers;
}

const idempotencyKeys = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{8,40}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('short', 'x'.repeat(129), 'has space here', 'ключ-ключ-ключ', 'a,b,c,d,e,f,g'),
  },
);

const extraHeaders = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Record<string, string>>({}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { 'x-forwarded-for': '1.2.3.4, <script>, ::1' },
      { accept: 'text/html;q=0.1, */*;q=xx' },
      { 'content-encoding': 'gzip' },
      { 'accept-language': 'pl-PL,uk;q=0.9,%%%' },
      { origin: 'https://attacker.example' },
      { 'x-http-method-override': 'DELETE' },
    ),
  },
);

/** A request to one operation of the API. */
export function apiRequest(op: Operation, world: World, mode: Mode): fc.Arbitrary<FuzzRequest> {
  const allowed = rolesAllowed(op);
  const needsToken = op.roles !== 'public';
  const hasHeader = op.params.some((p) => p.in === 'header');
  const hasQuery = op.params.some((p) => p.in === 'query');
  const key = hasHeader ? fc.option(idempotencyKeys, { freq: 3 }) : fc.constant<string | null>(null);
  const build = (
    strategy: string,
    parts: {
      method: string;
      path: string;
      query: string;
      auth: string | null;
      body: Body | null;
      key?: string | null;
      extra?: Record<string, string>;
    },
  ): FuzzRequest => {
    const extra = { ...parts.extra };
    if (parts.key) extra['idempotency-key'] = parts.key;
    return {
      target: op.id,
      strategy,
      raw: {
        method: parts.method,
        path: `${parts.path}${parts.query}`,
        headers: headersOf(parts.auth, parts.body, extra),
        ...(parts.body ? { body: parts.body.bytes } : {}),
      },
    };
  };

  if (mode === 'mixed') {
    // Half plausible (a caller allowed in, every part well-formed, values from the system or near it),
    // so that requests reach the use cases; half noisy (any token, any part wrong).
    const plausible = fc
      .record({
        path: pathArb(op, world, 'plausible'),
        query: queryArb(op, world, { plausible: true, unknownKey: false }),
        auth: needsToken ? sessionsOf(world, allowed) : fc.option(sessionsOf(world, ROLES), { nil: null }),
        body: op.body
          ? valuesFor(op.body, null, { hints: world.hints, today: world.today, wrongness: 0 }).map(
              (v): Body => ({ contentType: 'application/json', bytes: json(v) }),
            )
          : fc.constant(null),
        key: hasHeader ? fc.option(fc.stringMatching(/^[A-Za-z0-9_.:-]{8,40}$/), { nil: null }) : fc.constant(null),
      })
      .map((parts) => build('plausible', { ...parts, method: op.method }));
    const method = fc.oneof(
      { weight: 24, arbitrary: fc.constant(op.method) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', ...ODD_METHODS) },
    );
    const noisy = fc
      .record({
        method,
        path: fc.oneof(
          { weight: 30, arbitrary: pathArb(op, world, 'noisy') },
          { weight: 1, arbitrary: pathArb(op, world, 'broken') },
          { weight: 1, arbitrary: pathArb(op, world, 'noisy').chain((path) => fc.constantFrom(...OTHER_FORMS(path))) },
        ),
        query: queryArb(op, world, { plausible: false, unknownKey: false }),
        auth: authArb(op, world),
        body: bodyArb(op, world),
        key,
        extra: extraHeaders,
      })
      .map((parts) => build('noisy', parts));
    return fc.oneof(plausible, noisy);
  }

  // Rejected on purpose: each strategy is refused before the handler, whatever the rest holds.
  const anything = {
    path: pathArb(op, world, 'noisy'),
    query: queryArb(op, world, { plausible: false, unknownKey: false }),
    body: bodyArb(op, world),
    key,
  };
  const strategies: Array<fc.WeightedArbitrary<FuzzRequest>> = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<FuzzRequest>) => strategies.push({ weight, arbitrary });
  add(
    2,
    fc
      .record({ ...anything, path: pathArb(op, world, 'broken'), auth: authArb(op, world) })
      .map((p) => build('broken-path-encoding', { ...p, method: op.method })),
  );
  add(
    2,
    fc
      .record({ ...anything, auth: authArb(op, world), method: fc.constantFrom(...ODD_METHODS) })
      .map((p) => build('wrong-method', p)),
  );
  add(
    1,
    fc
      .record({
        path: nastyString.map((tail) => `/api/${op.template.split('/')[2]}/zz-${encodeComponent(tail)}/zz`),
        auth: authArb(op, world),
      })
      .map((p) => build('unknown-route', { ...p, method: op.method, query: '', body: null })),
  );
  add(
    1,
    fc
      .record({ target: fc.constantFrom(...UNPARSABLE_TARGETS), auth: authArb(op, world), body: anything.body })
      .map((p) => build('request-target-not-a-url', { ...p, method: op.method, path: p.target, query: '' })),
  );
  if (op.method !== 'GET') {
    add(
      1,
      fc.record({ ...anything, auth: authArb(op, world), size: fc.constantFrom(262_145, 300_000) }).map((p) =>
        build('too-large', {
          ...p,
          method: op.method,
          body: { contentType: 'application/json', bytes: json({ pad: 'x'.repeat(p.size) }) },
        }),
      ),
    );
  }
  if (needsToken) {
    add(
      4,
      fc
        .record({ ...anything, auth: fc.constantFrom(...world.badAuth) })
        .map((p) => build('bad-token', { ...p, method: op.method })),
    );
    const others = ROLES.filter((role) => !allowed.includes(role));
    if (others.length > 0) {
      add(
        3,
        fc
          .record({ ...anything, auth: sessionsOf(world, others) })
          .map((p) => build('role-not-allowed', { ...p, method: op.method })),
      );
    }
  }
  const validAuth = needsToken ? sessionsOf(world, allowed) : fc.option(sessionsOf(world, ROLES), { nil: null });
  if (op.body) {
    add(
      6,
      fc
        .record({
          path: anything.path,
          query: anything.query,
          key,
          auth: validAuth,
          broken: brokenBodyArb(op.body, world),
        })
        .map((p) => build(p.broken.strategy, { ...p, method: op.method, body: p.broken.body })),
    );
  }
  if (hasQuery) {
    add(
      4,
      fc
        .record({
          path: anything.path,
          query: queryArb(op, world, { plausible: false, unknownKey: true }),
          auth: validAuth,
          body: anything.body,
        })
        .map((p) => build('unknown-query-parameter', { ...p, method: op.method })),
    );
  }
  if (hasHeader) {
    add(
      3,
      fc
        .record({
          path: anything.path,
          auth: validAuth,
          body: anything.body,
          key: fc.constantFrom('short', 'x'.repeat(129), 'has space here', 'a,b;c=d/e', '??????????'),
        })
        .map((p) => build('bad-idempotency-key', { ...p, method: op.method, query: '' })),
    );
  }
  return fc.oneof(...strategies);
}

/** The URL the server signs over, as it rebuilds it: its host, the path, and the query as parsed and re-serialised. */
function signedUrl(world: World, path: string): string {
  const url = new URL(path, 'http://localhost');
  const query = new URLSearchParams(Object.fromEntries(url.searchParams)).toString();
  return `http://${world.sms.host}${url.pathname}${query ? `?${query}` : ''}`;
}

/** The form the server reads from a body (a form, or a JSON object's string fields), for signing. */
function formSeenByServer(contentType: string | null, bytes: Buffer): Record<string, string> {
  const text = bytes.toString('utf8');
  if (contentType?.startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

const MOBILE_PREFIXES = ['50', '51', '53', '57', '60', '66', '69', '72', '73', '78', '79', '88'];
const phones = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...MOBILE_PREFIXES), fc.integer({ min: 0, max: 9_999_999 }))
      .map(([prefix, n]) => `+48${prefix}${String(n).padStart(7, '0')}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('+48221234567', '600100200', '+1', '', '+999999999999999999', 'whatsapp:+48600100200'),
  },
  { weight: 1, arbitrary: nastyString },
);

function smsBodies(world: World): fc.Arbitrary<string> {
  const pesels = (world.hints.pesel as string[] | undefined) ?? ['00000000000'];
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom('SZCZEPIENIE', 'szczepienie', 'VACCINE', 'ЩЕПЛЕННЯ', 'REJESTRACJA'),
          fc.constantFrom(...pesels),
          fc.constantFrom('00-950', '00950', '99-999', ''),
        )
        .map((words) => words.join(' ')),
    },
    { weight: 3, arbitrary: fc.constantFrom('TAK', 'NIE', 'tak', 'yes', 'NO', 'STOP', 'START', 'HELP', '') },
    { weight: 2, arbitrary: nastyString },
    { weight: 1, arbitrary: hugeString.filter((s) => s.length < 200_000) },
  );
}

function formBytes(form: Record<string, string>, asJson: boolean): Buffer {
  return asJson ? json(form) : Buffer.from(new URLSearchParams(form).toString(), 'utf8');
}

/** A request to the text messages' webhooks: signed as Twilio signs (mixed), or unsigned or forged (rejected). */
export function smsRequest(world: World, mode: Mode): fc.Arbitrary<FuzzRequest> {
  const sid = fc.oneof(
    { weight: 5, arbitrary: fc.stringMatching(/^SM[0-9a-f]{32}$/) },
    { weight: 1, arbitrary: nastyString },
  );
  const inbound = fc
    .record(
      {
        MessageSid: sid,
        From: phones,
        To: fc.constant('+48800100200'),
        Body: smsBodies(world),
        AccountSid: fc.constant('AC0'),
      },
      { requiredKeys: ['To'] },
    )
    .map((form) => ({ path: '/api/sms/inbound', form }));
  const status = fc
    .record({
      key: fc.oneof(
        fc.constantFrom(...((world.hints.messageKey as string[] | undefined) ?? ['booked:x'])),
        nastyString,
      ),
      form: fc.record(
        {
          MessageSid: sid,
          MessageStatus: fc.oneof(fc.constantFrom('queued', 'sent', 'delivered', 'undelivered', 'failed'), nastyString),
          ErrorCode: fc.constantFrom('', '30003', '21211', 'x'),
        },
        { requiredKeys: [] },
      ),
      dup: fc.boolean(),
    })
    .map(({ key, form, dup }) => ({
      path: `/api/sms/status?messageKey=${encodeComponent(key)}${dup ? '&messageKey=other' : ''}`,
      form,
    }));
  const request = fc.tuple(
    fc.oneof({ weight: 3, arbitrary: inbound }, { weight: 2, arbitrary: status }),
    fc.oneof(
      { weight: 8, arbitrary: fc.constant<string | null>('application/x-www-form-urlencoded') },
      { weight: 1, arbitrary: fc.constant<string | null>('application/x-www-form-urlencoded; charset=utf-8') },
      { weight: 1, arbitrary: fc.constantFrom<string | null>('application/json', 'text/xml', null) },
    ),
  );
  if (mode === 'mixed') {
    return fc.tuple(request, fc.nat(19)).map(([[{ path, form }, contentType], wrongMethod]): FuzzRequest => {
      const bytes = formBytes(form, contentType === 'application/json');
      const signature = twilioSignature(
        world.sms.authToken,
        signedUrl(world, path),
        formSeenByServer(contentType, bytes),
      );
      const headers: Record<string, string> = { 'x-twilio-signature': signature };
      if (contentType) headers['content-type'] = contentType;
      return {
        target: path.includes('inbound') ? 'sms:inbound' : 'sms:status',
        strategy: 'signed',
        raw: { method: wrongMethod === 0 ? 'PUT' : 'POST', path, headers, body: bytes },
      };
    });
  }
  const forged = fc.constantFrom('none', 'random', 'other-token', 'other-url', 'other-form', 'lowercased');
  return fc
    .tuple(request, forged, fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 40 }))
    .map(([[{ path, form }, contentType], how, noise]): FuzzRequest => {
      const bytes = formBytes(form, contentType === 'application/json');
      const seen = formSeenByServer(contentType, bytes);
      const url = signedUrl(world, path);
      const signatures: Record<string, string | null> = {
        none: null,
        random: headerSafe(noise),
        'other-token': twilioSignature(`${world.sms.authToken}x`, url, seen),
        'other-url': twilioSignature(world.sms.authToken, url.replace('127.0.0.1', 'evil.example'), seen),
        'other-form': twilioSignature(world.sms.authToken, url, { ...seen, Body: `${seen.Body ?? ''}!` }),
        lowercased: twilioSignature(world.sms.authToken, url, seen).toLowerCase(),
      };
      const headers: Record<string, string> = {};
      const signature = signatures[how] ?? null;
      if (signature !== null) headers['x-twilio-signature'] = signature;
      if (contentType) headers['content-type'] = contentType;
      return {
        target: path.includes('inbound') ? 'sms:inbound' : 'sms:status',
        strategy: `signature-${how}`,
        raw: { method: 'POST', path, headers, body: bytes },
      };
    });
}

/** Any request of a mode: every operation equally, the two webhooks as often as three operations. */
export function anyRequest(operations: readonly Operation[], world: World, mode: Mode): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...operations.map((op) => ({ weight: 2, arbitrary: apiRequest(op, world, mode) })), {
    weight: 6,
    arbitrary: smsRequest(world, mode),
  });
}
