import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import {
  type Clock,
  type Identity,
  invalid,
  type Principal,
  type Session,
  unauthenticated,
  type VerifiedIdentity,
} from '@ereg/shared';
import { type Claims, keyPairFromPem, signJwt, verifyJwt } from './jwt.ts';

const IDP_ISSUER = 'ereg-dev-idp';
const SESSION_ISSUER = 'ereg-local';
const LOGIN_AUDIENCE = 'ereg-login';
const API_AUDIENCE = 'ereg-api';

/** A key kept in the database, so that every process on the same file signs and verifies alike. */
function sharedKey(db: DatabaseSync, name: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const fresh = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(name, fresh as string);
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(name) as { value: string };
  return keyPairFromPem(row.value);
}

function principalFromClaims(claims: Claims): Principal | null {
  const sub = typeof claims.sub === 'string' ? claims.sub : null;
  if (!sub) return null;
  switch (claims.role) {
    case 'patient':
      return { role: 'patient', patientId: sub };
    case 'agent':
      return { role: 'agent', agentId: sub };
    case 'admin':
      return { role: 'admin', adminId: sub };
    case 'staff':
      return typeof claims.centreId === 'string' ? { role: 'staff', staffId: sub, centreId: claims.centreId } : null;
    default:
      return null;
  }
}

function subjectOf(principal: Principal): string {
  switch (principal.role) {
    case 'patient':
      return principal.patientId;
    case 'agent':
      return principal.agentId;
    case 'staff':
      return principal.staffId;
    case 'admin':
      return principal.adminId;
  }
}

const FAILURE_MESSAGES = {
  malformed: 'The token is not a valid session token.',
  signature: 'The token’s signature does not match; log in again.',
  audience: 'The token was not issued for this service.',
  expired: 'Your session has expired; log in again.',
} as const;

/**
 * The embedded default's identity: a development identity provider that signs assertions about demo
 * citizens, and ES256 session tokens. Verified tokens are cached until they expire, because checking
 * an ECDSA signature costs more than the rest of a search.
 */
export class DevIdentity implements Identity {
  private readonly idpKey: { privateKey: KeyObject; publicKey: KeyObject };
  private readonly sessionKey: { privateKey: KeyObject; publicKey: KeyObject };
  private readonly clock: Clock;
  private readonly sessionSeconds: number;
  private readonly verified = new Map<string, { principal: Principal; exp: number }>();
  private static readonly CACHE_LIMIT = 200_000;

  constructor(db: DatabaseSync, clock: Clock, sessionSeconds = 3600) {
    this.idpKey = sharedKey(db, 'dev-idp.signing-key');
    this.sessionKey = sharedKey(db, 'session.signing-key');
    this.clock = clock;
    this.sessionSeconds = sessionSeconds;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  /** The development provider's statement that a person logged in (what an e-ID provider would sign). */
  issueAssertion(person: VerifiedIdentity, validSeconds = 300): string {
    const now = this.nowSeconds();
    return signJwt(
      { iss: IDP_ISSUER, aud: LOGIN_AUDIENCE, iat: now, exp: now + validSeconds, sub: person.pesel, ...person },
      this.idpKey.privateKey,
    );
  }

  async verifyAssertion(assertion: string): Promise<VerifiedIdentity> {
    const result = verifyJwt(assertion, this.idpKey.publicKey, {
      iss: IDP_ISSUER,
      aud: LOGIN_AUDIENCE,
      nowSeconds: this.nowSeconds(),
    });
    if (!result.ok) {
      throw unauthenticated('INVALID_ASSERTION', `The identity provider’s assertion is not valid (${result.failure}).`);
    }
    const { pesel, givenName, familyName, phone } = result.claims;
    if (typeof pesel !== 'string' || typeof givenName !== 'string' || typeof familyName !== 'string') {
      throw invalid('INVALID_ASSERTION', 'The assertion lacks the person’s PESEL or name.', 'assertion');
    }
    return { pesel, givenName, familyName, phone: typeof phone === 'string' ? phone : null };
  }

  async issueSession(principal: Principal): Promise<Session> {
    const now = this.nowSeconds();
    const exp = now + this.sessionSeconds;
    const claims: Claims = {
      iss: SESSION_ISSUER,
      aud: API_AUDIENCE,
      iat: now,
      exp,
      sub: subjectOf(principal),
      role: principal.role,
    };
    if (principal.role === 'staff') claims.centreId = principal.centreId;
    return { token: signJwt(claims, this.sessionKey.privateKey), expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verifySession(token: string): Promise<Principal> {
    const now = this.nowSeconds();
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.exp > now) return cached.principal;
      this.verified.delete(token);
    }
    const result = verifyJwt(token, this.sessionKey.publicKey, {
      iss: SESSION_ISSUER,
      aud: API_AUDIENCE,
      nowSeconds: now,
    });
    if (!result.ok) {
      throw unauthenticated(
        result.failure === 'expired' ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN',
        FAILURE_MESSAGES[result.failure],
      );
    }
    const principal = principalFromClaims(result.claims);
    if (!principal) throw unauthenticated('INVALID_TOKEN', FAILURE_MESSAGES.malformed);
    if (this.verified.size >= DevIdentity.CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, { principal, exp: result.claims.exp });
    return principal;
  }
}
