import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import {
  assertionFromClaims,
  type Claims,
  es256KeyPairFromPem,
  hmacKey,
  type JwtKey,
  publicKeyFromPem,
  signJwt,
  verifyJwt,
} from './jwt.ts';

const NOW = new Date('2026-01-12T07:00:00.000Z');
const nowSeconds = NOW.getTime() / 1000;
const expected = { iss: 'ereg-local', aud: 'ereg-api', now: NOW };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (overrides: Record<string, unknown> = {}): Claims =>
  ({ iss: 'ereg-local', aud: 'ereg-api', iat: nowSeconds, exp: nowSeconds + 3600, sub: 'p-1', ...overrides }) as Claims;

const secret = randomBytes(32);
const hs256 = hmacKey(secret);
const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;
const es256 = es256KeyPairFromPem(ecPem);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rs256: { privateKey: JwtKey; publicKey: JwtKey } = {
  privateKey: { alg: 'RS256', key: rsa.privateKey },
  publicKey: publicKeyFromPem(rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string),
};

/** A token put together by hand, as an attacker (or the code this module replaced) would. */
function handMade(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signWith: (data: string) => string,
) {
  const data = `${b64(header)}.${b64(payload)}`;
  return `${data}.${signWith(data)}`;
}
const hmac = (key: Buffer | string) => (data: string) => createHmac('sha256', key).update(data).digest('base64url');
const rsaSign = (key: KeyObject) => (data: string) => sign('sha256', Buffer.from(data), key).toString('base64url');

describe('signing and verifying', () => {
  test.each([
    ['HS256', hs256, hs256],
    ['ES256', es256.privateKey, es256.publicKey],
    ['RS256', rs256.privateKey, rs256.publicKey],
  ])('an %s token verifies with its key and gives back its claims', async (alg, signing, verifying) => {
    const token = await signJwt(claims({ role: 'patient' }), signing);
    expect(JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString())).toEqual({ alg, typ: 'JWT' });
    expect(await verifyJwt(token, verifying, expected)).toEqual({ ok: true, claims: claims({ role: 'patient' }) });
  });

  test('a session token in the format signed by the earlier code (the same header and HMAC) still verifies', async () => {
    const token = handMade({ alg: 'HS256', typ: 'JWT' }, claims(), hmac(secret));
    expect(await verifyJwt(token, hs256, expected)).toMatchObject({ ok: true });
  });
});

describe('what is refused, and why', () => {
  const refusal = async (token: string | Promise<string>, key: JwtKey = hs256, at = expected) =>
    verifyJwt(await token, key, at);

  test('a changed signature', async () => {
    const [header, payload, signature] = (await signJwt(claims(), hs256)).split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await refusal(`${header}.${payload}.${flipped}`)).toEqual({ ok: false, failure: 'signature' });
  });

  test('a payload changed after signing (a patient made an admin)', async () => {
    const [header, , signature] = (await signJwt(claims({ role: 'patient' }), hs256)).split('.');
    const forged = `${header}.${b64(claims({ role: 'admin' }))}.${signature}`;
    expect(await refusal(forged)).toEqual({ ok: false, failure: 'signature' });
  });

  test('a signature by another secret', async () => {
    expect(await refusal(signJwt(claims(), hmacKey(randomBytes(32))))).toEqual({ ok: false, failure: 'signature' });
  });

  test('an unsigned token (alg none)', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims({ role: 'admin' }))}.`;
    expect(await refusal(unsigned)).toEqual({ ok: false, failure: 'algorithm' });
    expect(await refusal(unsigned, es256.publicKey)).toEqual({ ok: false, failure: 'algorithm' });
  });

  test('a token of another algorithm than the key’s', async () => {
    expect(await refusal(signJwt(claims(), es256.privateKey))).toEqual({ ok: false, failure: 'algorithm' });
    expect(await refusal(signJwt(claims(), rs256.privateKey), es256.publicKey)).toEqual({
      ok: false,
      failure: 'algorithm',
    });
    expect(await refusal(signJwt(claims(), hs256), rs256.publicKey)).toEqual({ ok: false, failure: 'algorithm' });
  });

  test('an HS256 token keyed with the provider’s public key (algorithm confusion)', async () => {
    const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const confused = handMade({ alg: 'HS256', typ: 'JWT' }, claims(), hmac(publicPem));
    expect(await refusal(confused, rs256.publicKey)).toEqual({ ok: false, failure: 'algorithm' });
    const rsaSigned = handMade({ alg: 'RS256', typ: 'JWT' }, claims(), rsaSign(rsa.privateKey));
    expect(await refusal(rsaSigned, rs256.publicKey)).toMatchObject({ ok: true });
  });

  test('an expired token, to the second', async () => {
    const token = await signJwt(claims({ exp: nowSeconds }), hs256);
    expect(await refusal(token)).toEqual({ ok: false, failure: 'expired' });
    const aSecondEarlier = { ...expected, now: new Date(NOW.getTime() - 1000) };
    expect(await refusal(token, hs256, aSecondEarlier)).toMatchObject({ ok: true });
  });

  test('a token without an expiry', async () => {
    const { exp: _, ...forever } = claims();
    expect(await refusal(signJwt(forever as Claims, hs256))).toEqual({ ok: false, failure: 'malformed' });
  });

  test('a token not valid yet (nbf in the future)', async () => {
    const token = await signJwt(claims({ nbf: nowSeconds + 60 }), hs256);
    expect(await refusal(token)).toEqual({ ok: false, failure: 'not-yet-valid' });
    const aMinuteLater = { ...expected, now: new Date(NOW.getTime() + 60_000) };
    expect(await refusal(token, hs256, aMinuteLater)).toMatchObject({ ok: true });
  });

  test('a token of another issuer or for another audience', async () => {
    expect(await refusal(signJwt(claims({ iss: 'ereg-dev-idp' }), hs256))).toEqual({ ok: false, failure: 'audience' });
    expect(await refusal(signJwt(claims({ aud: 'ereg-login' }), hs256))).toEqual({ ok: false, failure: 'audience' });
  });

  test.each([
    ['not a JWT', 'hello'],
    ['two parts', 'a.b'],
    ['a header that is not JSON', `${Buffer.from('{').toString('base64url')}.${b64(claims())}.sig`],
    ['an empty string', ''],
  ])('%s', async (_, token) => {
    expect(await refusal(token)).toEqual({ ok: false, failure: 'malformed' });
  });
});

describe('keys', () => {
  test('a provider key that is neither P-256 nor RSA is refused', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => publicKeyFromPem(p384 as string)).toThrow(/P-256 EC key/);
  });
});

describe('an identity provider’s assertion', () => {
  const person = { pesel: '46031464864', givenName: 'Janina', familyName: 'Kowalska' };

  test('gives the person, its unique id and its expiry', () => {
    expect(assertionFromClaims(claims({ ...person, jti: 'a-1', exp: nowSeconds + 300 }))).toEqual({
      person: { ...person, phone: null },
      id: 'a-1',
      expiresAt: '2026-01-12T07:05:00.000Z',
    });
  });

  test.each([
    ['no jti', {}],
    ['an empty jti', { jti: '' }],
    ['a jti that is not text', { jti: 42 }],
    ['a jti longer than 256 characters', { jti: 'x'.repeat(257) }],
  ])('with %s is refused as INVALID_ASSERTION (401): it could not be remembered as used', (_, extra) => {
    expect(() => assertionFromClaims(claims({ ...person, ...extra }))).toThrow(
      expect.objectContaining({ code: 'INVALID_ASSERTION', kind: 'unauthenticated' }),
    );
  });

  test('without the person’s name is refused naming the assertion', () => {
    expect(() => assertionFromClaims(claims({ pesel: person.pesel, jti: 'a-2' }))).toThrow(
      expect.objectContaining({ code: 'INVALID_ASSERTION', kind: 'invalid', field: 'assertion' }),
    );
  });
});
