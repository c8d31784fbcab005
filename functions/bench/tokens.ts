import { createHmac, createSecretKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { parseArgs } from 'node:util';
import { type Claims, es256KeyPairFromPem, hmacKey, signJwt, verifyJwt } from '../src/adapters/jwt/jwt.ts';

const usage = `Usage: npm run bench:tokens -- [--count N] [--rounds N]

What the token code costs per operation: signing and checking sessions (HS256) and checking an
identity provider's assertion (ES256) through functions/src/adapters/jwt/jwt.ts (sessions through
fast-jwt, assertions through jose), with 50
operations in flight as in a busy server, beside the bare signature operation of node:crypto (no
token handling) as the baseline of the same run. Prints µs per operation of the event loop (what
limits a server's throughput) and of CPU in all threads (WebCrypto's work runs on libuv's threads).

  --count N    operations per measurement (default 5000)
  --rounds N   measurements of each, the median printed (default 3)`;

interface Cost {
  loopMicros: number;
  cpuMicros: number;
}

/** Runs `op` `count` times, 50 at a time, and answers the event loop's and the CPU's µs per operation. */
async function measure(count: number, op: (i: number) => unknown): Promise<Cost> {
  const cpu0 = process.cpuUsage();
  const loop0 = performance.eventLoopUtilization();
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < count) await op(next++);
    }),
  );
  const loop = performance.eventLoopUtilization(loop0);
  const cpu = process.cpuUsage(cpu0);
  return { loopMicros: (loop.active * 1000) / count, cpuMicros: (cpu.user + cpu.system) / count };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '5000' },
      rounds: { type: 'string', default: '3' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const count = Number(values.count);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`--count and --rounds must be whole numbers of at least 1.\n\n${usage}`);
  }
  const secret = randomBytes(32);
  const session = hmacKey(secret);
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  const idp = es256KeyPairFromPem(pem as string);
  const rawSecret = createSecretKey(secret);
  const nowSeconds = Math.floor(Date.now() / 1000);
  const claims = (i: number): Claims => ({
    iss: 'bench',
    aud: 'bench',
    iat: nowSeconds,
    exp: nowSeconds + 600,
    sub: `p-${i}`,
  });
  const expected = { iss: 'bench', aud: 'bench', now: new Date() };
  const sessions = await Promise.all(Array.from({ length: count }, (_, i) => signJwt(claims(i), session)));
  const assertions = await Promise.all(Array.from({ length: count }, (_, i) => signJwt(claims(i), idp.privateKey)));
  const signingInput = (token: string) => token.slice(0, token.lastIndexOf('.'));
  const signature = (token: string) => Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url');
  const ecPublic = idp.publicKey.alg === 'HS256' ? null : idp.publicKey.key;

  const cases: Array<[string, (i: number) => unknown]> = [
    ['HS256 sign a session (fast-jwt)', (i) => signJwt(claims(i), session)],
    [
      '  baseline: HMAC-SHA256 of the same bytes (node:crypto)',
      (i) =>
        createHmac('sha256', rawSecret)
          .update(signingInput(sessions[i] as string))
          .digest(),
    ],
    ['HS256 check an unseen session (fast-jwt)', (i) => verifyJwt(sessions[i] as string, session, expected)],
    ['ES256 check an assertion (jose)', (i) => verifyJwt(assertions[i] as string, idp.publicKey, expected)],
    [
      '  baseline: ECDSA P-256 verify of the same bytes (node:crypto)',
      (i) =>
        verify(
          'sha256',
          Buffer.from(signingInput(assertions[i] as string)),
          { key: ecPublic as never, dsaEncoding: 'ieee-p1363' },
          signature(assertions[i] as string),
        ),
    ],
  ];
  console.log(`${count} operations, 50 in flight, median of ${rounds} rounds (Node ${process.version})\n`);
  console.log(`${'operation'.padEnd(64)} loop µs   CPU µs`);
  for (const [name, op] of cases) {
    const costs: Cost[] = [];
    for (let r = 0; r < rounds; r++) costs.push(await measure(count, op));
    const loop = median(costs.map((c) => c.loopMicros));
    const cpu = median(costs.map((c) => c.cpuMicros));
    console.log(`${name.padEnd(64)} ${loop.toFixed(1).padStart(7)} ${cpu.toFixed(1).padStart(8)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
