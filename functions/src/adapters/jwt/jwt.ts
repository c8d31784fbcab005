import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { invalid, type VerifiedIdentity } from '@ereg/shared';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = encode({ alg: 'ES256', typ: 'JWT' });
const HMAC_HEADER = encode({ alg: 'HS256', typ: 'JWT' });

export type Claims = Record<string, unknown> & { iss: string; aud: string; exp: number; iat: number };

/** Signs claims as a compact ES256 JWT. */
export function signJwt(claims: Claims, privateKey: KeyObject): string {
  const payload = `${HEADER}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(payload), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${payload}.${signature.toString('base64url')}`;
}

export type JwtFailure = 'malformed' | 'signature' | 'expired' | 'audience';

/** Verifies an ES256 JWT's signature, issuer, audience and expiry; answers the claims or why not. */
export function verifyJwt(
  token: string,
  publicKey: KeyObject,
  expected: { iss: string; aud: string; nowSeconds: number },
): { ok: true; claims: Claims } | { ok: false; failure: JwtFailure } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, failure: 'malformed' };
  const signature = Buffer.from(parts[2] as string, 'base64url');
  const valid = verify(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    signature,
  );
  if (!valid) return { ok: false, failure: 'signature' };
  return checkClaims(parts[1] as string, expected);
}

/** Loads a PEM private key and derives its public half. */
export function keyPairFromPem(pem: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** Signs claims as a compact HS256 JWT: for tokens this service both issues and checks. */
export function signHmacJwt(claims: Claims, secret: KeyObject): string {
  const payload = `${HMAC_HEADER}.${encode(claims)}`;
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

/** Verifies an HS256 JWT's signature, issuer, audience and expiry. */
export function verifyHmacJwt(
  token: string,
  secret: KeyObject,
  expected: { iss: string; aud: string; nowSeconds: number },
): { ok: true; claims: Claims } | { ok: false; failure: JwtFailure } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HMAC_HEADER) return { ok: false, failure: 'malformed' };
  const expectedSignature = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2] as string, 'base64url');
  if (given.length !== expectedSignature.length || !timingSafeEqual(given, expectedSignature)) {
    return { ok: false, failure: 'signature' };
  }
  return checkClaims(parts[1] as string, expected);
}

function checkClaims(
  payload: string,
  expected: { iss: string; aud: string; nowSeconds: number },
): { ok: true; claims: Claims } | { ok: false; failure: JwtFailure } {
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { ok: false, failure: 'malformed' };
  }
  if (claims.iss !== expected.iss || claims.aud !== expected.aud) return { ok: false, failure: 'audience' };
  if (typeof claims.exp !== 'number' || claims.exp <= expected.nowSeconds) return { ok: false, failure: 'expired' };
  return { ok: true, claims };
}

/** The person a trusted provider's verified assertion names; refuses one without PESEL or name. */
export function identityFromAssertion(claims: Claims): VerifiedIdentity {
  const { pesel, givenName, familyName, phone } = claims;
  if (typeof pesel !== 'string' || typeof givenName !== 'string' || typeof familyName !== 'string') {
    throw invalid('INVALID_ASSERTION', 'The assertion lacks the person’s PESEL or name.', 'assertion');
  }
  return { pesel, givenName, familyName, phone: typeof phone === 'string' ? phone : null };
}
