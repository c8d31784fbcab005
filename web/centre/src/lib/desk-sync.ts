import type { Appointment, BatchView, RouteResponse } from '@ereg/shared';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { type ApiClient, ApiError, newIdempotencyKey } from '../../../shared/src/api-client.ts';
import { DeskOutbox, type QueuedChange } from '../../../shared/src/offline/desk-outbox.ts';
import type { Visit } from './day.ts';
import { type DeskChange, type DeskVisit, deskView, patchOf, sendChange, type VisitPatch } from './desk-changes.ts';
import { keptCentreKey } from './device-cache.ts';
import { type KeptLoad, useKept } from './use-kept.ts';

export type StaffEntry = RouteResponse<'listStaff'>['staff'][number];

/** What became of a change made at the desk: taken by the API, kept on the device to send later, or refused. */
export type SubmitOutcome =
  | { state: 'sent'; answer: Appointment }
  | { state: 'waiting' }
  | { state: 'refused'; error: ApiError; changeId: string };

/** The desk's changes and what they stand on: one path for every change, online or not (enqueue → flush). */
export interface DeskSync {
  /** Keeps the change on the device, then sends what waits, in order; answers what became of this one. */
  submit: (visit: Visit, change: DeskChange) => Promise<SubmitOutcome>;
  /** The visit as the desk shows it, with the answers and the waiting changes applied. */
  view: (visit: Visit) => DeskVisit;
  /** The changes not yet taken by the API (waiting, and refused ones until dismissed), oldest first. */
  queue: readonly QueuedChange[];
  dismiss: (id: string) => void;
  /** Sends what waits now (the person asked, or the network came back). */
  sendNow: () => void;
  /** Whether the browser says it has a network. */
  online: boolean;
  batches: KeptLoad<BatchView[]> & { reload: () => void };
  staff: KeptLoad<StaffEntry[]> & { reload: () => void };
  /** Now on the server's clock, as far as its last answer tells: what a change made here is stamped with. */
  serverNow: () => Date;
}

export const DeskSyncContext = createContext<DeskSync | null>(null);

export function useDeskSync(): DeskSync {
  const sync = useContext(DeskSyncContext);
  if (!sync) throw new Error('useDeskSync needs a DeskSyncContext.');
  return sync;
}

/** How often changes still waiting are tried again, besides when the browser says the network is back. */
export const RETRY_MS = 15_000;

/** The outbox of a staff member at a centre: the keys the API scopes its idempotency to are theirs. */
export const outboxKey = (centreId: string, staffId: string) => `ereg.centre.outbox.${centreId}.${staffId}`;

/** An API refusal as the outbox kept it, as an error the app can word. */
const refusalOf = (kept: QueuedChange): ApiError =>
  new ApiError(kept.error?.status ?? 409, kept.error?.code ?? 'HTTP_409', kept.error?.message ?? '');

/**
 * The desk's outbox and the lists a recording needs (batches, staff), kept on the device. Every change
 * goes through the outbox, so one made without a network is shown at once as waiting and sent, once,
 * in order, when the network returns (the `online` event, and every RETRY_MS).
 */
export function useDeskSyncState(options: {
  api: ApiClient;
  storage: Storage;
  win: Window;
  centreId: string;
  staffId: string;
  now: () => Date;
  serverOffsetMs: number;
  /** A change was taken by the API: the day list is asked again. */
  onSent: () => void;
}): DeskSync {
  const { api, storage, win, centreId, staffId, now, serverOffsetMs } = options;
  const answers = useRef(new Map<string, Appointment>());
  const [answered, setAnswered] = useState<Record<string, VisitPatch>>({});
  const send = useRef<(change: QueuedChange) => Promise<unknown>>(async () => {});
  // The API's own refusal of a change, with the field it names, for the form that made it.
  const refusals = useRef(new Map<string, unknown>());
  send.current = async (change) => {
    const answer = await sendChange(api, change).catch((error: unknown) => {
      refusals.current.set(change.id, error);
      throw error;
    });
    answers.current.set(change.id, answer);
    setAnswered((all) => ({ ...all, [answer.id]: patchOf(answer) }));
  };
  const outbox = useMemo(
    () => new DeskOutbox(storage, outboxKey(centreId, staffId), (change) => send.current(change)),
    [storage, centreId, staffId],
  );
  const queue = useSyncExternalStore(
    useCallback((listener: () => void) => outbox.subscribe(listener), [outbox]),
    () => outbox.list(),
  );
  const [online, setOnline] = useState(() => win.navigator.onLine !== false);
  const onSent = useRef(options.onSent);
  onSent.current = options.onSent;

  const batches = useKept(
    storage,
    keptCentreKey(centreId, 'batches'),
    () => api.call('listBatches', { params: { centreId } }).then((answer) => answer.batches),
    now,
  );
  const staff = useKept(
    storage,
    keptCentreKey(centreId, 'staff'),
    () => api.call('listStaff', { params: { centreId } }).then((answer) => answer.staff),
    now,
  );
  const reloadBatches = batches.reload;

  const flush = useCallback(async () => {
    const result = await outbox.flush();
    if (result.sent > 0) {
      onSent.current();
      reloadBatches();
    }
    return result;
  }, [outbox, reloadBatches]);

  useEffect(() => {
    void flush();
    const back = () => {
      setOnline(true);
      void flush();
    };
    const lost = () => setOnline(false);
    win.addEventListener('online', back);
    win.addEventListener('offline', lost);
    const timer = win.setInterval(() => {
      if (outbox.list().some((c) => c.state === 'waiting')) void flush();
    }, RETRY_MS);
    return () => {
      win.removeEventListener('online', back);
      win.removeEventListener('offline', lost);
      win.clearInterval(timer);
    };
  }, [flush, outbox, win]);

  const serverNow = useCallback(() => new Date(now().getTime() + serverOffsetMs), [now, serverOffsetMs]);

  const submit = useCallback(
    async (visit: Visit, change: DeskChange): Promise<SubmitOutcome> => {
      const kept = outbox.add({
        id: newIdempotencyKey(),
        kind: change.kind,
        appointmentId: visit.appointmentId,
        label: `${visit.patient.givenName} ${visit.patient.familyName}`,
        request: { route: change.kind, params: { centreId }, ...(change.body ? { body: change.body } : {}) },
        createdAt: serverNow().toISOString(),
      });
      await flush();
      // A run already ending when the change was added may not have seen it: one more, which is quick.
      if (outbox.list().some((c) => c.id === kept.id && c.state === 'waiting')) await flush();
      const after = outbox.list().find((c) => c.id === kept.id);
      const answer = answers.current.get(kept.id);
      if (!after && answer) return { state: 'sent', answer };
      if (after?.state === 'conflict') {
        const refused = refusals.current.get(kept.id);
        const error = refused instanceof ApiError ? refused : refusalOf(after);
        return { state: 'refused', error, changeId: kept.id };
      }
      return { state: 'waiting' };
    },
    [outbox, flush, centreId, serverNow],
  );

  const view = useCallback((visit: Visit) => deskView(visit, answered[visit.appointmentId], queue), [answered, queue]);
  const dismiss = useCallback((id: string) => outbox.dismiss(id), [outbox]);
  const sendNow = useCallback(() => void flush(), [flush]);

  return useMemo(
    () => ({ submit, view, queue, dismiss, sendNow, online, batches, staff, serverNow }),
    [submit, view, queue, dismiss, sendNow, online, batches, staff, serverNow],
  );
}

/** A refusal as the outbox keeps it, worded by the app as any API error. */
export const conflictError = refusalOf;
