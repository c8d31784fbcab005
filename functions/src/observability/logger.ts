import { currentScope } from './trace-context.ts';

/** Cloud Logging's severities that this system writes. */
export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** Where finished lines go: one JSON object per line, as Cloud Logging reads them from the output. */
export type LogWriter = (line: string) => void;

export type LogFields = Record<string, unknown>;

/** What a request log line says of the request, in Cloud Logging's `httpRequest` shape. */
export interface HttpRequestFields {
  requestMethod: string;
  /** The path, without the query (which may hold a PESEL or a phone number). */
  requestUrl: string;
  status: number;
  /** Seconds, as Cloud Logging's Duration string: `"0.123s"`. */
  latency: string;
  userAgent?: string | undefined;
  remoteIp?: string | undefined;
}

const REDACTED = '[redacted]';

/** Fields whose value is never written whatever it holds: people's names and credentials. */
const REDACTED_KEYS = new Set(
  [
    'name',
    'givenName',
    'familyName',
    'firstName',
    'lastName',
    'middleName',
    'surname',
    'fullName',
    'displayName',
    'patientName',
    'pesel',
    'phone',
    'phoneNumber',
    'landline',
    'mobile',
    'authorization',
    'proxyAuthorization',
    'cookie',
    'setCookie',
    'xTwilioSignature',
    'signature',
    'token',
    'idToken',
    'accessToken',
    'refreshToken',
    'sessionToken',
    'customToken',
    'bearer',
    'password',
    'secret',
    'apiKey',
    'authToken',
    'assertion',
    'privateKey',
    'email',
  ].map((key) => key.toLowerCase()),
);

const keyOf = (key: string) => key.replace(/[-_]/g, '').toLowerCase();

/**
 * In text, what is redacted: JWTs, bearer and basic credentials, `key=value` secrets, Google API keys
 * and Stripe-style keys, Twilio signatures (base64 of 20 bytes); then what is kept as it stands (our
 * ids, trace and span ids, UUIDs: their digit runs are not phone numbers); then digit runs that may
 * be a PESEL or a phone number.
 */
const TEXT_RULE = new RegExp(
  [
    String.raw`(?<jwt>\beyJ[\w-]*\.[\w-]+\.[\w-]*)`,
    String.raw`(?<scheme>\b(?:bearer|basic)\s+)[\w.~+/=-]+`,
    String.raw`(?<label>\b(?:api[_-]?key|access[_-]?token|auth[_-]?token|id[_-]?token|refresh[_-]?token|token|secret|password|signature|authorization|cookie)["']?\s*[:=]\s*["']?)(?:(?:bearer|basic)\s+)?[^\s"',;&]+`,
    String.raw`(?<apiKey>\bAIza[\w-]{35}|\b(?:sk|rk)_(?:live|test)_\w+|(?<![\w+/])[A-Za-z0-9+/]{27}=(?![\w+/=]))`,
    String.raw`(?<keep>\b[a-z]{2,12}_[0-9a-z]{16,40}(?![0-9A-Za-z])|(?<![0-9A-Za-z])(?:[A-Z]{2})?(?:[0-9a-f]{32}|[0-9a-f]{16})(?![0-9A-Za-z])|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)`,
    String.raw`(?<digits>(?<![\d+])(?:\+|\b00)?\d(?:[ -]?\d){7,14}(?!\d))`,
  ].join('|'),
  'gi',
);

/**
 * Whether a run of digits may be a PESEL or a phone number: 9 digits (a Polish number, however
 * grouped), 11 (a PESEL, or a Polish number with its country code), an international number (`+` or
 * `00`), or any grouped run of 9 to 15 digits. A plain run of 10 or 12–15 digits (a time in
 * milliseconds, a count) is neither and stays.
 */
function isPersonalNumber(run: string): boolean {
  const digits = run.replace(/\D/g, '').length;
  if (digits === 9 || digits === 11) return true;
  if (run.startsWith('+') || run.startsWith('00')) return digits >= 8;
  return /[ -]/.test(run) && digits >= 9 && !/^\d{4}-\d{2}-\d{2}/.test(run);
}

/** The one redaction rule of every line, for text. */
export function redactText(text: string): string {
  return text.replace(TEXT_RULE, (match, ...args) => {
    const groups = args.at(-1) as Record<string, string | undefined>;
    if (groups.keep !== undefined) return match;
    if (groups.scheme !== undefined) return `${groups.scheme}${REDACTED}`;
    if (groups.label !== undefined) return `${groups.label}${REDACTED}`;
    if (groups.digits !== undefined) return isPersonalNumber(match) ? REDACTED : match;
    return REDACTED;
  });
}

const MAX_DEPTH = 8;

/** An error as plain fields: its type, code and stack (which begins with the message), and its cause. */
function errorFields(error: Error, depth: number): LogFields {
  const fields: LogFields = { type: error.name };
  const { code } = error as { code?: unknown };
  if (code !== undefined) fields.code = code;
  fields.message = error.message;
  if (error.stack) fields.stack = error.stack;
  for (const [key, value] of Object.entries(error)) if (!(key in fields)) fields[key] = value;
  if (error.cause !== undefined) fields.cause = error.cause;
  return redactValue(fields, depth) as LogFields;
}

/** The one redaction rule of every line, for any value: by key for names and credentials, by text for the rest. */
export function redactValue(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
      return redactText(value);
    case 'number':
      return Number.isInteger(value) && isPersonalNumber(String(Math.abs(value))) ? REDACTED : value;
    case 'bigint':
      return redactText(value.toString());
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_DEPTH) return '[nested too deep]';
      if (value instanceof Error) return errorFields(value, depth + 1);
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
      const out: LogFields = {};
      for (const [key, item] of Object.entries(value)) {
        const name = /\d/.test(key) ? redactText(key) : key;
        out[name] =
          REDACTED_KEYS.has(keyOf(key)) && item !== undefined && item !== null
            ? REDACTED
            : redactValue(item, depth + 1);
      }
      return out;
    }
    case 'undefined':
      return undefined;
    default:
      return String(value);
  }
}

let writer: LogWriter = (line) => process.stdout.write(`${line}\n`);
let projectId: string | undefined;

/**
 * Sets this process's logging once, in a composition root: the Google Cloud project (log lines then
 * name their trace as Cloud Trace does, `projects/<project>/traces/<id>`) and where lines go. Answers
 * how to put back what was set before.
 */
export function configureLogging(options: {
  projectId?: string | undefined;
  write?: LogWriter | undefined;
}): () => void {
  const before = { projectId, writer };
  if ('projectId' in options) projectId = options.projectId;
  if (options.write) writer = options.write;
  // Puts back what was set before (a test that read the lines).
  return () => {
    projectId = before.projectId;
    writer = before.writer;
  };
}

/** Names the trace as Cloud Logging links it to Cloud Trace, or the bare id where there is no project. */
const traceName = (traceId: string) => (projectId ? `projects/${projectId}/traces/${traceId}` : traceId);

/**
 * Writes one line: severity and message, then the trace, span and request of what runs now, then the
 * fields; everything passes the redaction rule. `write` replaces the process's writer (tests).
 */
export function writeLog(severity: Severity, message: string, fields?: LogFields, write: LogWriter = writer): void {
  const line: LogFields = { severity, message: redactText(message) };
  const scope = currentScope();
  if (scope) {
    const span = scope.span.spanContext();
    line['logging.googleapis.com/trace'] = traceName(span.traceId);
    line['logging.googleapis.com/spanId'] = span.spanId;
    line['logging.googleapis.com/trace_sampled'] = (span.traceFlags & 1) === 1;
    if (scope.requestId !== undefined) line.requestId = scope.requestId;
    if (scope.function !== undefined) line.function = scope.function;
    if (scope.route !== undefined) line.route = scope.route;
  }
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      line[key] = REDACTED_KEYS.has(keyOf(key)) ? REDACTED : redactValue(value, 1);
    }
  }
  write(JSON.stringify(line));
}

/** A logger bound to a writer (the process's unless given): the one way server code writes a log line. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function createLogger(write?: LogWriter): Logger {
  const to = (severity: Severity) => (message: string, fields?: LogFields) =>
    writeLog(severity, message, fields, write ?? writer);
  return { debug: to('DEBUG'), info: to('INFO'), warn: to('WARNING'), error: to('ERROR') };
}

/** The process's logger. */
export const logger: Logger = {
  debug: (message, fields) => writeLog('DEBUG', message, fields, writer),
  info: (message, fields) => writeLog('INFO', message, fields, writer),
  warn: (message, fields) => writeLog('WARNING', message, fields, writer),
  error: (message, fields) => writeLog('ERROR', message, fields, writer),
};

/** Seconds as Cloud Logging's Duration string (`"0.123s"`). */
export const latencyOf = (startedMs: number, endedMs: number): string =>
  `${((endedMs - startedMs) / 1000).toFixed(3)}s`;

/** Severity of a request line by its status: a failure of ours is an error, a refusal a warning. */
export const severityOfStatus = (status: number): Severity =>
  status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO';
