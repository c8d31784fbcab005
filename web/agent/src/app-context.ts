import type { CallerCard, LookupReason } from '@ereg/shared';
import { createContext, useContext } from 'react';
import type { StoredSession } from '../../shared/src/session.ts';
import { useStoredSession } from '../../shared/src/use-session.ts';
import type { Services } from './services.ts';

/** Who is signed in to the console: an agent takes calls, a supervisor reviews the agents' look-ups. */
export type ConsoleRole = 'agent' | 'supervisor';

export interface Desk {
  role: ConsoleRole;
  /** The agent's or supervisor's id. */
  id: string;
  /** The person's name as the sign-in gave it, or null. */
  name: string | null;
}

export type AppContextValue = Services;

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp needs an AppContext.');
  return value;
}

export const DeskContext = createContext<Desk | null>(null);

/** The signed-in agent or supervisor. */
export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk needs a signed-in console.');
  return desk;
}

/**
 * The call in progress: why the agent looks people up (chosen before anything personal shows) and the
 * people found in it, in the order found — one caller, or up to five of a household. Ending the call
 * forgets them all; the next call starts with the reason again.
 */
export interface Call {
  reason: { code: LookupReason; note?: string } | null;
  people: readonly CallerCard[];
}

export interface CallContextValue extends Call {
  setReason: (reason: Call['reason']) => void;
  /** Adds people found (or registered) to the call, or replaces their cards if already in it. */
  add: (...people: CallerCard[]) => void;
  /** Replaces one person's card (after a reveal or a change of contact). */
  update: (person: CallerCard) => void;
  end: () => void;
}

export const CallContext = createContext<CallContextValue | null>(null);

export function useCall(): CallContextValue {
  const call = useContext(CallContext);
  if (!call) throw new Error('useCall needs a CallContext.');
  return call;
}

/** The tab's session, re-rendering on sign-in and sign-out. */
export function useSession(): StoredSession | null {
  return useStoredSession(useApp().session);
}

export { vaccineName } from '../../shared/src/vaccine-name.ts';
