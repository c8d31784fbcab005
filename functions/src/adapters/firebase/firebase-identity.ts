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
} from '@ereg/shared';
import type { Auth, DecodedIdToken } from 'firebase-admin/auth';
import { assertionFromClaims, type JwtKey, publicKeyFromPem, verifyJwt } from '../jwt/jwt.ts';

/** How the trusted identity provider's assertions are checked: its public key and what it must say. */
export interface AssertionTrust {
  /** The provider's public key (SPKI PEM): a P-256 key for ES256 assertions, an RSA key for RS256. */
  publicKeyPem: string;
  issuer: string;
  audience: string;
}

/** Firebase custom tokens are valid for one hour; the SDK does not let that be changed. */
const CUSTOM_TOKEN_SECONDS = 3600;

/** The custom claims a session carries; set in the custom token and copied by Firebase into every ID token. */
export interface RoleClaims {
  role: Principal['role'];
  centreId?: string;
}

const FAILURE_MESSAGES = {
  malformed: 'The token is not a valid session token.',
  signature: 'The token’s signature does not match; log in again.',
  audience: 'The token was not issued for this service.',
  expired: 'Your session has expired; log in again.',
  role: 'The token carries no role for this service.',
  revoked: 'This session was revoked; log in again.',
  secondFactor: 'Hotline agents and supervisors sign in with a second factor; sign in again with it.',
} as const;

/** How long a verified ID token is trusted before Firebase Auth is asked again whether it was revoked. */
export const VERIFIED_TOKEN_CACHE_MS = 60_000;

/** The Firebase Auth error codes that mean "this token is no good" rather than "Firebase is unreachable". */
const REFUSED_TOKEN_CODES = new Set([
  'auth/argument-error',
  'auth/invalid-argument',
  'auth/invalid-id-token',
  'auth/id-token-revoked',
  'auth/user-disabled',
  'auth/user-not-found',
]);

export function roleClaimsOf(principal: Principal): RoleClaims {
  return isCentrePrincipal(principal)
    ? { role: principal.role, centreId: principal.centreId }
    : { role: principal.role };
}

/**
 * Identity on Firebase Authentication (firebase-admin).
 *
 * - `verifyAssertion` checks the trusted identity provider's signed assertion (a compact JWT, ES256 or
 *   RS256 by the configured key's type, verified with jose; the token's `alg` must be the key's)
 *   against the provider's public key from configuration: signature, issuer, audience, expiry and
 *   not-before. The assertion must carry a unique `jti`: the login exchanges each assertion once
 *   (`ASSERTION_USED` otherwise), remembering the id in the store until the assertion expires.
 * - `issueSession` mints a Firebase **custom token** (`createCustomToken(uid, { role, centreId? })`, signed
 *   with the service account's key, valid one hour). `Session.token` is that custom token, not a bearer
 *   token for the API: the web app exchanges it with `signInWithCustomToken` (Firebase JS SDK) for an ID
 *   token and a refresh token, and sends the ID token (`getIdToken()`, refreshed by the SDK) as
 *   `Authorization: Bearer`. The custom token's claims are copied into every ID token of that sign-in.
 *   `Session.expiresAt` is when the custom token can no longer be exchanged.
 * - `verifySession` verifies such an ID token with `verifyIdToken(token, true)` (Google's public keys,
 *   project audience and issuer, expiry, and a look-up of the user that refuses a disabled user or one
 *   whose refresh tokens were revoked after the token's sign-in) and maps its `role` / `centreId` claims
 *   to a principal. Agents, staff and admins who sign in to Firebase another way get the same claims
 *   with `grantRole` (`setCustomUserClaims`). A verified token is trusted for 60 seconds (at most until
 *   it expires) before Firebase Auth is asked again, so a revocation takes effect within a minute.
 */
export class FirebaseIdentity implements Identity {
  private readonly auth: Auth;
  private readonly idpKey: JwtKey;
  private readonly trust: AssertionTrust;
  private readonly clock: Clock;
  private readonly verified = new Map<string, { principal: Principal; exp: number; until: number }>();
  private static readonly CACHE_LIMIT = 200_000;

  constructor(options: { auth: Auth; assertion: AssertionTrust; clock: Clock }) {
    this.auth = options.auth;
    this.trust = options.assertion;
    this.idpKey = publicKeyFromPem(options.assertion.publicKeyPem);
    this.clock = options.clock;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  async verifyAssertion(assertion: string): Promise<VerifiedAssertion> {
    const result = await verifyJwt(assertion, this.idpKey, {
      iss: this.trust.issuer,
      aud: this.trust.audience,
      now: this.clock.now(),
    });
    if (!result.ok) {
      throw unauthenticated('INVALID_ASSERTION', `The identity provider’s assertion is not valid (${result.failure}).`);
    }
    return assertionFromClaims(result.claims);
  }

  async issueSession(principal: Principal): Promise<Session> {
    const token = await this.auth.createCustomToken(actorOf(principal).id, { ...roleClaimsOf(principal) });
    const expiresAt = new Date((this.nowSeconds() + CUSTOM_TOKEN_SECONDS) * 1000).toISOString();
    return { token, expiresAt, kind: 'firebase-custom-token' };
  }

  /** Gives a Firebase user the role claims of a principal (agents, staff and admins signing in without an assertion). */
  async grantRole(principal: Principal): Promise<void> {
    await this.auth.setCustomUserClaims(actorOf(principal).id, { ...roleClaimsOf(principal) });
  }

  async verifySession(token: string): Promise<Principal> {
    const now = this.nowSeconds();
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.exp <= now) {
        this.verified.delete(token);
        throw unauthenticated('TOKEN_EXPIRED', FAILURE_MESSAGES.expired);
      }
      if (cached.until > this.clock.now().getTime()) return cached.principal;
      this.verified.delete(token);
    }
    let decoded: DecodedIdToken;
    try {
      decoded = await this.auth.verifyIdToken(token, true);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'auth/id-token-expired') throw unauthenticated('TOKEN_EXPIRED', FAILURE_MESSAGES.expired);
      if (code === 'auth/id-token-revoked') throw unauthenticated('TOKEN_REVOKED', FAILURE_MESSAGES.revoked);
      if (typeof code === 'string' && REFUSED_TOKEN_CODES.has(code)) {
        throw unauthenticated('INVALID_TOKEN', FAILURE_MESSAGES.malformed);
      }
      throw error; // Firebase or Google's key endpoint unreachable: not the caller's fault.
    }
    if (decoded.exp <= now) throw unauthenticated('TOKEN_EXPIRED', FAILURE_MESSAGES.expired);
    // Every ID token of one sign-in (refreshed hourly) carries its auth_time: the sign-in's id and start.
    const signIn = {
      id: `${decoded.uid}:${decoded.auth_time}`,
      startedAt: new Date(decoded.auth_time * 1000).toISOString(),
    };
    const principal = principalFromClaims(decoded.uid, decoded.role, decoded.centreId, signIn);
    if (!principal) throw unauthenticated('INVALID_TOKEN', FAILURE_MESSAGES.role);
    if (isHotlinePrincipal(principal) && !decoded.firebase?.sign_in_second_factor) {
      throw unauthenticated('MFA_REQUIRED', FAILURE_MESSAGES.secondFactor);
    }
    if (this.verified.size >= FirebaseIdentity.CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, {
      principal,
      exp: decoded.exp,
      until: this.clock.now().getTime() + VERIFIED_TOKEN_CACHE_MS,
    });
    return principal;
  }
}
