import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Small stand-ins for the Google services that have no local emulator, speaking the REST calls the
 * real client libraries make, recording every request so that tests assert on what went over the wire.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  headers: IncomingMessage['headers'];
  // biome-ignore lint/suspicious/noExplicitAny: a decoded JSON body, asserted on by the tests
  body: any;
}

type Reply = (status: number, payload: unknown, headers?: Record<string, string>) => void;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A loopback HTTP server that records requests and hands each to `route`. */
abstract class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  /** `127.0.0.1:PORT` once started. */
  host = '';

  protected abstract route(request: RecordedRequest, reply: Reply): void;

  get url(): string {
    return `http://${this.host}`;
  }

  async start(): Promise<void> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then((raw) => {
        let body: unknown = {};
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          body = raw;
        }
        const recorded = {
          method: req.method ?? '',
          path: req.url ?? '',
          authorization: req.headers.authorization,
          headers: req.headers,
          body,
        };
        this.requests.push(recorded);
        this.route(recorded, (status, payload, headers = {}) => {
          const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
          res.writeHead(status, {
            'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json',
            ...headers,
          });
          res.end(text);
        });
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((e) => (e ? reject(e) : resolve())));
  }
}

/**
 * The BigQuery REST API's `tabledata.insertAll`: keeps rows by insertId (as BigQuery de-duplicates,
 * best effort) and can be told how to answer the next requests. It serves the path with the
 * `/bigquery/v2` prefix (a client given `apiEndpoint`) and without it (`BIGQUERY_EMULATOR_HOST`).
 */
export class FakeBigQuery extends RecordingServer {
  readonly rows = new Map<string, Record<string, unknown>>();
  /** Answers to give before behaving normally: status and body. */
  readonly script: { status: number; body: unknown }[] = [];
  private readonly insertAll: string;

  constructor(project: string, dataset = 'ereg', table = 'events') {
    super();
    this.insertAll = `/projects/${project}/datasets/${dataset}/tables/${table}/insertAll`;
  }

  protected route(request: RecordedRequest, reply: Reply): void {
    const scripted = this.script.shift();
    if (scripted) {
      reply(scripted.status, scripted.body);
      return;
    }
    const path = request.path.split('?')[0]?.replace(/^\/bigquery\/v2/, '');
    if (request.method !== 'POST' || path !== this.insertAll) {
      reply(404, { error: { code: 404, message: `Not found: ${request.path}`, status: 'NOT_FOUND' } });
      return;
    }
    for (const row of request.body.rows ?? []) this.rows.set(row.insertId ?? `no-id-${this.rows.size}`, row.json);
    reply(200, { kind: 'bigquery#tableDataInsertAllResponse' });
  }

  reset(): void {
    this.requests.length = 0;
    this.rows.clear();
    this.script.length = 0;
  }
}

/**
 * The Auth REST calls firebase-admin makes in emulator mode (`FIREBASE_AUTH_EMULATOR_HOST`):
 * `accounts:lookup` (every ID-token check looks the user up), `accounts:update` (custom claims, a staff
 * account's profile) and `accounts` (a staff account created).
 */
export class FakeAuthEmulator extends RecordingServer {
  readonly users = new Set<string>();
  /** When each user's tokens were last revoked (`validSince`, seconds), as `revokeRefreshTokens` sets it. */
  readonly validSince = new Map<string, string>();
  private readonly project: string;

  constructor(project: string) {
    super();
    this.project = project;
  }

  protected route(request: RecordedRequest, reply: Reply): void {
    const base = `/identitytoolkit.googleapis.com/v1/projects/${this.project}`;
    if (request.path === `${base}/accounts:lookup`) {
      const ids = (request.body.localId ?? []) as string[];
      const users = ids
        .filter((id) => this.users.has(id))
        .map((localId) => {
          const validSince = this.validSince.get(localId);
          return validSince === undefined ? { localId } : { localId, validSince };
        });
      reply(200, users.length ? { kind: 'identitytoolkit#GetAccountInfoResponse', users } : {});
      return;
    }
    // createUser (a centre's staff account): the user exists from now on.
    if (request.path === `${base}/accounts`) {
      const localId = String(request.body.localId);
      this.users.add(localId);
      reply(200, { kind: 'identitytoolkit#SignupNewUserResponse', localId });
      return;
    }
    if (request.path === `${base}/accounts:update`) {
      const { localId, validSince } = request.body as { localId?: string; validSince?: unknown };
      if (typeof localId === 'string' && validSince !== undefined) this.validSince.set(localId, String(validSince));
      reply(200, { localId: request.body.localId });
      return;
    }
    reply(404, { error: { code: 404, message: `NOT_FOUND ${request.path}` } });
  }

  /** An ID token as the Auth emulator issues it: unsigned (`alg: none`), with Firebase's claims. */
  idToken(claims: Record<string, unknown>, nowSeconds = Math.floor(Date.now() / 1000)): string {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = {
      iss: `https://securetoken.google.com/${this.project}`,
      aud: this.project,
      auth_time: nowSeconds,
      iat: nowSeconds,
      exp: nowSeconds + 3600,
      ...claims,
    };
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
  }
}

/**
 * The Compute metadata server a Cloud Function reads its project and credentials from
 * (`GCE_METADATA_HOST`): project id, the default service account's e-mail and access token.
 */
export class FakeMetadataServer extends RecordingServer {
  readonly token = `local-access-token-${Math.random().toString(36).slice(2)}`;
  private readonly project: string;
  private readonly serviceAccount: string;

  constructor(project: string, serviceAccount = `functions@${project}.iam.gserviceaccount.com`) {
    super();
    this.project = project;
    this.serviceAccount = serviceAccount;
  }

  protected route(request: RecordedRequest, reply: Reply): void {
    const flavor = { 'metadata-flavor': 'Google' };
    if (request.headers['metadata-flavor'] !== 'Google') {
      reply(403, 'Missing Metadata-Flavor: Google', flavor);
      return;
    }
    const path = request.path.split('?')[0];
    const v1 = '/computeMetadata/v1';
    if (path === v1 || path === `${v1}/` || path === `${v1}/instance`) {
      reply(200, 'ok', flavor);
      return;
    }
    if (path === `${v1}/project/project-id`) {
      reply(200, this.project, flavor);
      return;
    }
    if (path === `${v1}/universe/universe-domain`) {
      reply(200, 'googleapis.com', flavor);
      return;
    }
    if (path === `${v1}/instance/service-accounts/default/email`) {
      reply(200, this.serviceAccount, flavor);
      return;
    }
    if (path === `${v1}/instance/service-accounts/default/token`) {
      reply(200, { access_token: this.token, expires_in: 3599, token_type: 'Bearer' }, flavor);
      return;
    }
    reply(404, `Not found: ${request.path}`, flavor);
  }
}
