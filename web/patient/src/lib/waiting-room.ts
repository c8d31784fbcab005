import type { QueueView } from '@ereg/shared';
import { ApiError } from '../../../shared/src/api-client.ts';

/** Where the waiting page is. */
export const QUEUE_PATH = '/queue';

/** The tab's signed queue ticket while its holder may book (`{ patientId, ticket, until }`). */
const TICKET_KEY = 'ereg.patient.queueTicket';
/** The opening the waiting room was last found not to stand in front of, and when (`{ opening, at }`). */
const NO_ROOM_KEY = 'ereg.patient.noQueue';

/** How long "no waiting room for this opening" is believed before asking again (its doors may open meanwhile). */
export const NO_ROOM_BELIEVED_MS = 60_000;

/** The API paths the waiting room's gate stands in front of: search, the booking's preview and the booking. */
const GATED_PATHS = ['/api/search', '/api/booking/appointments', '/api/booking/appointments/preview'];

type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function readJson(storage: TabStorage, key: string): Record<string, unknown> | null {
  const text = storage.getItem(key);
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Keeps the signed ticket of an admitted person for the gated requests of this tab; forgets any other. */
export function keepQueueTicket(storage: TabStorage, patientId: string, view: QueueView): void {
  if (view.status === 'admitted' && view.admittedUntil) {
    storage.setItem(TICKET_KEY, JSON.stringify({ patientId, ticket: view.ticket, until: view.admittedUntil }));
  } else storage.removeItem(TICKET_KEY);
}

/** The signed ticket to send for a person, while their time to book lasts; or null. */
export function keptQueueTicket(storage: TabStorage, patientId: string, now: Date): string | null {
  const kept = readJson(storage, TICKET_KEY);
  if (!kept || kept.patientId !== patientId || typeof kept.ticket !== 'string' || typeof kept.until !== 'string')
    return null;
  return Date.parse(kept.until) > now.getTime() ? kept.ticket : null;
}

/**
 * A fetch that adds the kept `Queue-Ticket` to the requests the waiting room gates, so an admitted person's
 * search, preview and booking carry it; every other request goes as it was.
 */
export function withQueueTicket(fetch: typeof globalThis.fetch, ticket: () => string | null): typeof globalThis.fetch {
  return (input, init = {}) => {
    const path = new URL(String(input), 'http://localhost').pathname;
    const kept = GATED_PATHS.includes(path) ? ticket() : null;
    if (!kept) return fetch(input, init);
    const headers = { ...((init.headers ?? {}) as Record<string, string>), 'Queue-Ticket': kept };
    return fetch(input, { ...init, headers });
  };
}

/** Whether an answer of the API means the person must wait in the waiting room first. */
export const isQueueRequired = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'QUEUE_REQUIRED';

/** The instant of the opening at a time of day that lets the person in (or is about to), from `/me`'s eligibility. */
export function openingOf(
  eligibility: { eligible: boolean; rule?: { opensAt?: string | undefined }; eligibleAt?: string | undefined } | null,
): string | null {
  if (!eligibility) return null;
  if (eligibility.eligible) return eligibility.rule?.opensAt ?? null;
  return eligibility.eligibleAt ?? null;
}

/** The waiting room was found not to stand in front of this opening (the doors not open yet, or closed). */
export function rememberNoRoom(storage: TabStorage, opening: string, now: Date): void {
  storage.setItem(NO_ROOM_KEY, JSON.stringify({ opening, at: now.getTime() }));
}

/** Whether to ask the waiting room about this opening: not when it just said it has none for the person. */
export function worthAsking(storage: TabStorage, opening: string, now: Date): boolean {
  const kept = readJson(storage, NO_ROOM_KEY);
  if (!kept || kept.opening !== opening || typeof kept.at !== 'number') return true;
  return now.getTime() - kept.at >= NO_ROOM_BELIEVED_MS;
}

/**
 * How often the waiting page asks for the person's place: every 5 s while looked at, or later when the
 * waiting room says so (people far back), every 30 s hidden, less after failures; at most a minute.
 */
export function pollDelayMs(options: { hidden: boolean; failures: number; checkAgainSeconds?: number | null }): number {
  const base = Math.max(options.hidden ? 30_000 : 5_000, (options.checkAgainSeconds ?? 0) * 1000);
  return Math.min(base * 2 ** options.failures, 60_000);
}

/** The least time between two announcements of a changed place in line (a change of state is said at once). */
export const ANNOUNCE_EVERY_MS = 30_000;
