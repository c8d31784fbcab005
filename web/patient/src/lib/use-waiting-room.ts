import { useEffect } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { useRouter } from '../../../shared/src/router.tsx';
import { useApp, useSession } from '../app-context.ts';
import type { EligibilityState } from '../components/eligibility-banner.tsx';
import {
  isQueueRequired,
  keepQueueTicket,
  keptQueueTicket,
  openingOf,
  QUEUE_PATH,
  rememberNoRoom,
  worthAsking,
} from './waiting-room.ts';

/** How far from an opening the app asks whether a waiting room stands in front of it. */
const NEAR_OPENING_MS = 24 * 60 * 60 * 1000;

/** A refusal that says the person must wait first sends them to the waiting page (in place of this one). */
export function useQueueRedirect(error: unknown): void {
  const router = useRouter();
  const required = isQueueRequired(error);
  useEffect(() => {
    if (required) router.navigate(QUEUE_PATH, { replace: true });
  }, [required, router]);
}

/**
 * When the person's way in is an opening at a time of day, near it: takes their place in its waiting
 * room and sends them to the waiting page, unless it is already their turn or no room stands there.
 */
export function useOpeningQueue(state: EligibilityState): void {
  const { api, tabStorage, now } = useApp();
  const session = useSession();
  const router = useRouter();
  const patientId = session?.patientId ?? null;
  const opening = state.status === 'ready' ? openingOf(state.eligibility) : null;
  const near = opening !== null && Math.abs(Date.parse(opening) - now().getTime()) <= NEAR_OPENING_MS;
  const ask =
    near &&
    patientId !== null &&
    worthAsking(tabStorage, opening, now()) &&
    keptQueueTicket(tabStorage, patientId, now()) === null;
  useEffect(() => {
    if (!ask || !patientId || !opening) return;
    let current = true;
    api.call('joinQueue', { body: { patientId } }).then(
      ({ queue }) => {
        if (!current) return;
        keepQueueTicket(tabStorage, patientId, queue);
        if (queue.status !== 'admitted' && queue.status !== 'booked') router.navigate(QUEUE_PATH, { replace: true });
      },
      (error: unknown) => {
        // No room for this opening now: searching goes on as usual; any other failure is met at booking.
        if (current && error instanceof ApiError && error.code === 'NO_QUEUE')
          rememberNoRoom(tabStorage, opening, now());
      },
    );
    return () => {
      current = false;
    };
  }, [ask, api, patientId, opening, tabStorage, router, now]);
}
