import { useSyncExternalStore } from 'react';
import type { Session, StoredSession } from './session.ts';

/** The tab's session, re-rendering on signing in and out. */
export function useStoredSession(session: Session): StoredSession | null {
  return useSyncExternalStore(session.subscribe, session.current, session.current);
}
