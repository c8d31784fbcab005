import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { WaitingRoomDeps } from '@ereg/shared';

/**
 * The waiting room's signer and draw: tickets signed with HMAC-SHA-256 under a key derived from the
 * runtime's secret (never the secret itself), checked in constant time; early arrivals' keys drawn
 * from the operating system's random source, so nobody can predict or steer the shuffle.
 */
export function waitingRoomDeps(secret: string): WaitingRoomDeps {
  if (secret.length < 16) throw new Error('The queue ticket secret must be at least 16 characters.');
  const key = createHmac('sha256', secret).update('queue-tickets').digest();
  const sign = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  return {
    signer: {
      sign,
      verify: (text, signature) => {
        const expected = Buffer.from(sign(text));
        const given = Buffer.from(signature);
        return expected.length === given.length && timingSafeEqual(expected, given);
      },
    },
    random: () => randomInt(0, 2 ** 47) / 2 ** 47,
  };
}
