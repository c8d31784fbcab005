import { signInFlow } from '../../../shared/src/sign-in/flow.ts';

export { isSessionEnd, SIGNED_OUT } from '../../../shared/src/sign-in/flow.ts';

/** The console's sign-in: the login config's hotline sign-in, kept under `ereg.agent.*`. */
export const agentSignIn = signInFlow({ base: '/agent', storagePrefix: 'ereg.agent', configOf: (c) => c.hotline });

export const { personName, signOut, sessionEnded, takeNotice } = agentSignIn;

/** The server's refusals of a hotline session that ended: idle too long, on too long, or unknown. */
export const HOTLINE_SESSION_ENDS = ['SESSION_IDLE', 'SESSION_TOO_LONG', 'SESSION_UNKNOWN'] as const;

/** How long before a session would end idle the console warns and offers to keep working. */
export const IDLE_WARNING_MS = 2 * 60_000;
/**
 * The server writes a session's last use at most once a minute per process, so it may end a session up
 * to that minute early: the console counts its idle time from that much before its own last request.
 */
export const IDLE_MARGIN_MS = 60_000;

/** Where the session stands at `now`: when it ends idle, when it ends in any case, and whether to warn. */
export function sessionClock(
  now: number,
  lastUse: number,
  limits: { idleMinutes: number; endsAt: string },
): { idleEndsAt: number; endsAt: number; warn: boolean; over: 'SESSION_IDLE' | 'SESSION_TOO_LONG' | null } {
  const idleEndsAt = lastUse + limits.idleMinutes * 60_000 - IDLE_MARGIN_MS;
  const endsAt = Date.parse(limits.endsAt);
  const over = now >= endsAt ? 'SESSION_TOO_LONG' : now >= idleEndsAt ? 'SESSION_IDLE' : null;
  return { idleEndsAt, endsAt, warn: over === null && idleEndsAt - now <= IDLE_WARNING_MS, over };
}
