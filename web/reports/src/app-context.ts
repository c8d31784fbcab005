import type { Vaccine } from '@ereg/shared';
import { createContext, useContext } from 'react';
import type { StoredSession } from '../../shared/src/session.ts';
import { useStoredSession } from '../../shared/src/use-session.ts';
import type { Services } from './services.ts';

/** The dashboard's services and the vaccine catalogue (the products' names and the product filter). */
export interface AppContextValue extends Services {
  vaccines: readonly Vaccine[];
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp needs an AppContext.');
  return value;
}

/** The tab's session, re-rendering on sign-in and sign-out. */
export function useSession(): StoredSession | null {
  return useStoredSession(useApp().session);
}
