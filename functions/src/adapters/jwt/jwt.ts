import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { type Instant, invalid, unauthenticated, type VerifiedAssertion } from '@ereg/shared';
import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * The algorithms these tokens use: HS256 for the sessions this service both issues and checks, ES256
 * or RS256 for an identity provider's assertions. A key carries its one algorithm; a token never
 * chooses it (its `alg` header must match, `none` is never accepted).
 *
 * Two libraries, each where it costs least (`npm run bench:tokens`): an identity provider's assertions
 * go through jose, whose WebCrypto signature check runs on libuv's threads instead of the event loop;
 * sessions go through fast-jwt, synchronous on node:crypto, because a keyed hash costs a few µs and
 * WebCrypto's round trip would cost ten times as much.
 */
export type JwtAlgorithm = 'HS256' | 'ES256' | 'RS256';

/** A key with the one algorithm it signs or verifies. */
export type JwtKey = { alg: 'HS256'; secret: Buffer } | { alg: 'ES256' | 'RS256'; key: KeyObject };

export type Claims = Record<string, unknown> & { iss: string; aud: string; exp: number; iat: number };

export type JwtFailure = 'malformed' | 'algorithm' | 'signature' | 'audience' | 'expired' | 'not-yet-valid';

/** What a verified token must say, and the moment its times are checked against. */
export interface Expected {
  iss: string;
  aud: string;
  now: Date;
}

/** An HS256 key from a shared secret. */
export function hmacKey(secret: Buffer): JwtKey {
  return { alg: 'HS256', secret };
}

/** An ES256 key pair from a P-256 private key in PEM. */
export function es256KeyPairFromPem(pem: string): { privateKey: JwtKey; publicKey: JwtKey } {
  const privateKey = createPrivateKey(pem);
  return {
    privateKey: { alg: 'ES256', key: privateKey },
    publicKey: { alg: 'ES256', key: createPublicKey(privateKey) },
  };
}

/** A provider's public key (SPKI PEM): P-256 verifies ES256, RSA verifies RS256; anything else is refused. */
export function publicKeyFromPem(pem: string): JwtKey {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { alg: 'ES256', key };
  }
  if (key.asymmetricKeyType === 'rsa') return { alg: 'RS256', key };
  throw new Error(
    `The identity provider's key must be a P-256 EC key (ES256) or an RSA key (RS256), not ${key.asymmetricKeyType}.`,
  );
}

const hmacSigners = new WeakMap<Buffer, (claims: Claims) => string>();

/** Signs claims as a compact JWT with the key's algorithm (the claims as given, `iat` included). */
export async function signJwt(claims: Claims, key: JwtKey): Promise<string> {
  if (key.alg !== 'HS256') return new SignJWT(claims).setProtectedHeader({ alg: key.alg, typ: 'JWT' }).sign(key.key);
  let signer = hmacSigners.get(key.secret);
  if (!signer) {
    signer = createSigner({ key: key.secret, algorithm: 'HS256' });
    hmacSigners.set(key.secret, signer);
  }
  return signer(claims);
}

/**
 * Verifies a compact JWT: the key's algorithm only, the signature, issuer, audience, expiry (required)
 * and not-before (when present), at `expected.now`, in whole seconds as the claims are: a token is
 * refused from the second its `exp` names and accepted from the second its `nbf` names. Answers the
 * claims or why not; errors other than the token's own (a key of the wrong kind) are thrown.
 */
export async function verifyJwt(
  token: string,
  key: JwtKey,
  expected: Expected,
): Promise<{ ok: true; claims: Claims } | { ok: false; failure: JwtFailure }> {
  try {
    if (key.alg === 'HS256') {
      const verify = createVerifier({
        key: key.secret,
        algorithms: ['HS256'],
        allowedIss: expected.iss,
        allowedAud: expected.aud,
        requiredClaims: ['exp'],
        // fast-jwt compares milliseconds (expired when now > exp × 1000); the last millisecond of the
        // current second makes that the whole-second rule above.
        clockTimestamp: Math.floor(expected.now.getTime() / 1000) * 1000 + 999,
      });
      return { ok: true, claims: verify(token) as Claims };
    }
    const { payload } = await jwtVerify(token, key.key, {
      algorithms: [key.alg],
      issuer: expected.iss,
      audience: expected.aud,
      currentDate: expected.now,
      requiredClaims: ['exp'],
    });
    return { ok: true, claims: payload as Claims };
  } catch (error) {
    const failure = failureOf(error);
    if (failure === null) throw error;
    return { ok: false, failure };
  }
}

/** fast-jwt's refusals by code; a key it cannot use is not the token's fault (null). */
const HMAC_FAILURES: Record<string, JwtFailure | null> = {
  [TokenError.codes.expired]: 'expired',
  [TokenError.codes.inactive]: 'not-yet-valid',
  [TokenError.codes.invalidSignature]: 'signature',
  [TokenError.codes.invalidAlgorithm]: 'algorithm',
  // Nothing after the last dot: an unsigned token (`alg: none`), whose algorithm is never accepted.
  [TokenError.codes.missingSignature]: 'algorithm',
  [TokenError.codes.invalidKey]: null,
  [TokenError.codes.missingKey]: null,
};

function failureOf(error: unknown): JwtFailure | null {
  if (error instanceof TokenError) {
    const known = HMAC_FAILURES[error.code];
    if (known !== undefined) return known;
    // An issuer or audience other than ours; any other claim of the wrong type or value is malformed.
    if (error.code === TokenError.codes.invalidClaimValue && /\b(iss|aud)\b/.test(error.message)) return 'audience';
    return 'malformed';
  }
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss' || error.claim === 'aud') return 'audience';
    if (error.claim === 'nbf' && error.reason === 'check_failed') return 'not-yet-valid';
    return 'malformed';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm';
  if (error instanceof errors.JOSEError) return 'malformed';
  return null;
}

/** The longest assertion id kept: a provider's `jti` is a UUID or a similar token, not a document. */
const MAX_ASSERTION_ID = 256;
/** The last moment a JavaScript date can hold. */
const MAX_DATE_MS = 8.64e15;

/**
 * The person a trusted provider's verified assertion names, with its unique id (`jti`) and expiry, by
 * which it is exchanged once. Refuses one without PESEL or name, or without an id to remember it by.
 */
export function assertionFromClaims(claims: Claims): VerifiedAssertion {
  const { pesel, givenName, familyName, phone, jti } = claims;
  if (typeof pesel !== 'string' || typeof givenName !== 'string' || typeof familyName !== 'string') {
    throw invalid('INVALID_ASSERTION', 'The assertion lacks the person’s PESEL or name.', 'assertion');
  }
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_ASSERTION_ID) {
    throw unauthenticated('INVALID_ASSERTION', 'The identity provider’s assertion carries no unique id (jti).');
  }
  const expiresMs = claims.exp * 1000;
  if (!Number.isFinite(expiresMs) || Math.abs(expiresMs) > MAX_DATE_MS) {
    throw unauthenticated('INVALID_ASSERTION', 'The identity provider’s assertion has no usable expiry.');
  }
  const expiresAt: Instant = new Date(expiresMs).toISOString();
  return {
    person: { pesel, givenName, familyName, phone: typeof phone === 'string' ? phone : null },
    id: jti,
    expiresAt,
  };
}
