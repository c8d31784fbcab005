import { type Firestore, Timestamp } from '@google-cloud/firestore';

/** The waiting rooms' admission lease: one run of the tick at a time. */
export const QUEUE_ADMITTER_LEASE = 'queueAdmitter/lease';

/** What taking a lease answered: taken, or held by someone else until a time. */
export type LeaseTaken = { taken: true } | { taken: false; holder: string; until: Date };

/**
 * A lease in one Firestore document `{ holder, until }`, taken in a transaction: of two runs that try
 * at once exactly one holds it; a lease whose holder did not release it is taken over once its time
 * is up, so a run that crashed blocks the next only until then.
 */
export class FirestoreLease {
  private readonly firestore: Firestore;
  private readonly path: string;

  constructor(firestore: Firestore, path: string = QUEUE_ADMITTER_LEASE) {
    this.firestore = firestore;
    this.path = path;
  }

  /** Takes the lease for `holder` until `until`, unless another holder's lease runs past `now`. */
  take(holder: string, until: Date, now: Date): Promise<LeaseTaken> {
    const ref = this.firestore.doc(this.path);
    return this.firestore.runTransaction(async (tx) => {
      const current = await tx.get(ref);
      const held = current.exists ? (current.data() as { holder: string; until: Timestamp }) : null;
      if (held && held.holder !== holder && held.until.toMillis() > now.getTime())
        return { taken: false, holder: held.holder, until: held.until.toDate() };
      tx.set(ref, { holder, until: Timestamp.fromDate(until) });
      return { taken: true };
    });
  }

  /** Gives the lease up, if `holder` still holds it (a lease taken over meanwhile is left alone). */
  release(holder: string): Promise<void> {
    const ref = this.firestore.doc(this.path);
    return this.firestore.runTransaction(async (tx) => {
      const current = await tx.get(ref);
      if (current.exists && current.get('holder') === holder) tx.delete(ref);
    });
  }
}
