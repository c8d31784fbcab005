import type { Vaccine } from '@ereg/shared';
import { createContext, useContext } from 'react';
import type { StoredSession } from '../../shared/src/session.ts';
import { useStoredSession } from '../../shared/src/use-session.ts';
import type { Services } from './api/client.ts';

export interface AppContextValue extends Services {
  /** The vaccine catalogue (empty until it has loaded, or if it could not be). */
  vaccines: readonly Vaccine[];
  /** Whether the catalogue has loaded or failed to (a page that needs it waits until then). */
  catalogueSettled: boolean;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp needs an AppContext.');
  return value;
}

/** The tab's session, re-rendering on log in and log out. */
export function useSession(): StoredSession | null {
  return useStoredSession(useApp().session);
}

export { vaccineName } from '../../shared/src/vaccine-name.ts';
