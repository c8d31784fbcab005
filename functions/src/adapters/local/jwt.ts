import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = encode({ alg: 'ES256', typ: 'JWT' });

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
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { ok: false, failure: 'malformed' };
  }
  if (claims.iss !== expected.iss || claims.aud !== expected.aud) return { ok: false, failure: 'audience' };
  if (typeof claims.exp !== 'number' || claims.exp <= expected.nowSeconds) return { ok: false, failure: 'expired' };
  return { ok: true, claims };
}

/** Loads a PEM private key and derives its public half. */
export function keyPairFromPem(pem: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
