import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { TicketSigner, WaitingRoomDeps } from '@ereg/shared';

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

/**
 * The signer of a function that is given no secret to derive a key from (search): its gate reads the
 * person's ticket from the store and never needs a signature, so this one signs nothing (it throws,
 * saying why) and verifies nothing; the views it answers carry no signed ticket (`signs: false`).
 */
export class KeylessTicketSigner implements TicketSigner {
  readonly signs = false;

  sign(): string {
    throw new Error('This function is given no key to sign queue tickets; only booking signs them.');
  }

  verify(): boolean {
    return false;
  }
}

/** The waiting room of a function given no secret: tickets read from the store, none signed or verified. */
export function keylessWaitingRoomDeps(): WaitingRoomDeps {
  return { signer: new KeylessTicketSigner(), random: () => randomInt(0, 2 ** 47) / 2 ** 47 };
}
