import type { DayList } from '@ereg/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/src/api-client.ts';
import { mergeDay, type Visit } from './day.ts';
import { keep, keptDayKey, readKept } from './device-cache.ts';

/** What the device holds of a day: its visits and slots, and the server's time of the answer they come from. */
export interface HeldDay {
  visits: Visit[];
  slots: DayList['slots'];
  /** The server's time of the last answer: the next refresh asks only for what changed since. */
  asOf: string;
  /** From the copy kept on the device (the API has not answered since the page opened). */
  fromDevice: boolean;
}

export interface DayListState {
  held: HeldDay | null;
  status: 'loading' | 'ready' | 'failed';
  error: unknown;
  /** Asks for what changed since the last answer (the whole day when none came yet). */
  refresh: () => void;
  /** How far the server's clock is ahead of the device's, from the last answer. */
  serverOffsetMs: number;
}

type KeptDay = Pick<HeldDay, 'visits' | 'slots' | 'asOf'>;

/**
 * A centre's day list, kept current: the copy kept on the device is shown at once, the whole day is
 * asked for, then only the visits changed since each answer (`since`), merged in. Every answer is
 * kept on the device, so the list is there when the network is not.
 */
export function useDayList(
  api: ApiClient,
  storage: Storage,
  centreId: string,
  date: string,
  now: () => Date,
): DayListState {
  const key = keptDayKey(centreId, date);
  const fromDevice = useCallback((): HeldDay | null => {
    const kept = readKept<KeptDay>(storage, key);
    return kept ? { ...kept.data, fromDevice: true } : null;
  }, [storage, key]);
  const [state, setState] = useState<{ key: string; held: HeldDay | null; failed: unknown; loading: boolean }>(() => ({
    key,
    held: fromDevice(),
    failed: null,
    loading: true,
  }));
  const [attempt, setAttempt] = useState(0);
  const held = useRef(state);
  held.current = state;
  const offset = useRef(0);

  useEffect(() => {
    let current = true;
    void attempt;
    const shown = held.current.key === key ? held.current.held : null;
    // Only what changed since the last answer of this page; a copy from the device may be days old.
    const since = shown && !shown.fromDevice ? shown.asOf : undefined;
    if (held.current.key !== key) setState({ key, held: fromDevice(), failed: null, loading: true });
    api.call('day', { params: { centreId }, query: { date, ...(since ? { since } : {}) } }).then(
      (answer) => {
        if (!current) return;
        const asOf = answer.asOf ?? now().toISOString();
        offset.current = Date.parse(asOf) - now().getTime();
        setState((before) => {
          const base = before.key === key && before.held && !before.held.fromDevice ? before.held.visits : [];
          const visits = mergeDay(base, { appointments: answer.appointments, complete: answer.complete !== false });
          const next: HeldDay = { visits, slots: answer.slots, asOf, fromDevice: false };
          keep<KeptDay>(storage, key, { visits, slots: answer.slots, asOf }, asOf);
          return { key, held: next, failed: null, loading: false };
        });
      },
      (error: unknown) => {
        if (!current) return;
        setState((before) => ({
          ...(before.key === key ? before : { key, held: fromDevice() }),
          failed: error,
          loading: false,
        }));
      },
    );
    return () => {
      current = false;
    };
  }, [api, storage, centreId, date, key, attempt, now, fromDevice]);

  const refresh = useCallback(() => setAttempt((n) => n + 1), []);
  const mine = state.key === key ? state : { held: fromDevice(), failed: null, loading: true };
  return {
    held: mine.held,
    status: mine.loading ? 'loading' : mine.failed ? 'failed' : 'ready',
    error: mine.failed,
    refresh,
    serverOffsetMs: offset.current,
  };
}
