import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import {
  actorOf,
  type Clock,
  type Identity,
  isCentrePrincipal,
  isHotlinePrincipal,
  type Principal,
  principalFromClaims,
  type Session,
  unauthenticated,
  type VerifiedAssertion,
  type VerifiedIdentity,
} from '@ereg/shared';
import {
  assertionFromClaims,
  type Claims,
  es256KeyPairFromPem,
  hmacKey,
  type JwtFailure,
  type JwtKey,
  signJwt,
  verifyJwt,
} from '../adapters/jwt/jwt.ts';

const IDP_ISSUER = 'ereg-dev-idp';
const SESSION_ISSUER = 'ereg-local';
const LOGIN_AUDIENCE = 'ereg-login';
const API_AUDIENCE = 'ereg-api';
/** A hotline token outlives the longest hotline session (10 hours), which the server ends itself. */
const HOTLINE_TOKEN_SECONDS = 12 * 3600;

/** The development identity's secrets: the provider's ES256 key and the session HMAC secret. */
export interface DevIdentityKeys {
  idpKeyPem: string;
  sessionSecret: string;
}

const IDP_KEY = 'dev-idp.signing-key';
const SESSION_SECRET = 'session.secret';

/**
 * The keys kept in the database, created on first use, so that every process on the same file signs
 * and verifies alike.
 */
export function loadOrCreateDevKeys(db: DatabaseSync): DevIdentityKeys {
  const put = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  put.run(
    IDP_KEY,
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  );
  put.run(SESSION_SECRET, randomBytes(32).toString('base64'));
  const keys = readDevKeys(db);
  if (!keys) throw new Error('The identity keys could not be stored.');
  return keys;
}

/** The stored keys, without creating any (for tools that open a data set read-only). */
export function readDevKeys(db: DatabaseSync): DevIdentityKeys | null {
  const get = db.prepare('SELECT value FROM meta WHERE key = ?');
  const idp = get.get(IDP_KEY) as { value: string } | undefined;
  const session = get.get(SESSION_SECRET) as { value: string } | undefined;
  return idp && session ? { idpKeyPem: idp.value, sessionSecret: session.value } : null;
}

const FAILURE_MESSAGES: Record<JwtFailure, string> = {
  malformed: 'The token is not a valid session token.',
  algorithm: 'The token is not signed the way this service signs sessions.',
  signature: 'The token’s signature does not match; log in again.',
  audience: 'The token was not issued for this service.',
  expired: 'Your session has expired; log in again.',
  'not-yet-valid': 'The token is not valid yet.',
};

/**
 * The embedded default's identity: a development identity provider that signs assertions about demo
 * citizens (ES256, as an outside provider would; each with a unique `jti`, valid five minutes, so the
 * login exchanges it once), and session tokens this service both issues and checks (HS256, a keyed
 * hash: cheaper to check than an ECDSA signature). Signing and checking are the libraries' (jwt.ts); a session this
 * instance issued or verified is cached until it expires (at most 200,000, the oldest dropped first),
 * so a request with a known token pays no signature check.
 */
export class DevIdentity implements Identity {
  private readonly idpKey: { privateKey: JwtKey; publicKey: JwtKey };
  private readonly sessionKey: JwtKey;
  private readonly clock: Clock;
  private readonly sessionSeconds: number;
  private readonly verified = new Map<string, { principal: Principal; exp: number }>();
  private static readonly CACHE_LIMIT = 200_000;

  constructor(keys: DevIdentityKeys, clock: Clock, sessionSeconds = 3600) {
    this.idpKey = es256KeyPairFromPem(keys.idpKeyPem);
    this.sessionKey = hmacKey(Buffer.from(keys.sessionSecret, 'base64'));
    this.clock = clock;
    this.sessionSeconds = sessionSeconds;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  /** The development provider's statement that a person logged in (what an e-ID provider would sign). */
  issueAssertion(person: VerifiedIdentity, validSeconds = 300): Promise<string> {
    const now = this.nowSeconds();
    return signJwt(
      {
        iss: IDP_ISSUER,
        aud: LOGIN_AUDIENCE,
        iat: now,
        exp: now + validSeconds,
        jti: randomUUID(),
        sub: person.pesel,
        ...person,
      },
      this.idpKey.privateKey,
    );
  }

  async verifyAssertion(assertion: string): Promise<VerifiedAssertion> {
    const result = await verifyJwt(assertion, this.idpKey.publicKey, {
      iss: IDP_ISSUER,
      aud: LOGIN_AUDIENCE,
      now: this.clock.now(),
    });
    if (!result.ok) {
      throw unauthenticated('INVALID_ASSERTION', `The identity provider’s assertion is not valid (${result.failure}).`);
    }
    return assertionFromClaims(result.claims);
  }

  async issueSession(principal: Principal): Promise<Session> {
    const now = this.nowSeconds();
    // A hotline sign-in is ended by the server's own rules (hotline-sessions.ts), not by its token.
    const exp = now + (isHotlinePrincipal(principal) ? HOTLINE_TOKEN_SECONDS : this.sessionSeconds);
    const claims: Claims = {
      iss: SESSION_ISSUER,
      aud: API_AUDIENCE,
      iat: now,
      exp,
      sub: actorOf(principal).id,
      role: principal.role,
    };
    if (isCentrePrincipal(principal)) claims.centreId = principal.centreId;
    let issued = principal;
    if (isHotlinePrincipal(principal)) {
      const sid = randomUUID();
      claims.sid = sid;
      issued = { ...principal, session: { id: sid, startedAt: new Date(now * 1000).toISOString() } };
    }
    const token = await signJwt(claims, this.sessionKey);
    // Signed here a moment ago: the requests that follow a login need not check it again.
    this.remember(token, issued, exp);
    return { token, expiresAt: new Date(exp * 1000).toISOString(), kind: 'bearer' };
  }

  /** Caches a verified session; at the limit the oldest entry goes, so a burst of logins evicts no one else. */
  private remember(token: string, principal: Principal, exp: number): void {
    if (this.verified.size >= DevIdentity.CACHE_LIMIT) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { principal, exp });
  }

  async verifySession(token: string): Promise<Principal> {
    const now = this.clock.now();
    const cached = this.verified.get(token);
    if (cached) {
      // A cached token holds only until its expiry, checked against the clock on every use.
      if (cached.exp > Math.floor(now.getTime() / 1000)) return cached.principal;
      this.verified.delete(token);
    }
    const result = await verifyJwt(token, this.sessionKey, { iss: SESSION_ISSUER, aud: API_AUDIENCE, now });
    if (!result.ok) {
      throw unauthenticated(
        result.failure === 'expired' ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN',
        FAILURE_MESSAGES[result.failure],
      );
    }
    const { sub, role, centreId, sid, iat } = result.claims;
    const signIn =
      typeof sid === 'string' && typeof iat === 'number'
        ? { id: sid, startedAt: new Date(iat * 1000).toISOString() }
        : null;
    const principal = principalFromClaims(sub, role, centreId, signIn);
    if (!principal) throw unauthenticated('INVALID_TOKEN', FAILURE_MESSAGES.malformed);
    this.remember(token, principal, result.claims.exp);
    return principal;
  }
}
