import type { Vaccine } from '@ereg/shared';
import { createContext, useContext, useMemo } from 'react';
import type { StoredSession } from '../../shared/src/session.ts';
import { useStoredSession } from '../../shared/src/use-session.ts';
import { type AdminApi, adminApi } from './api.ts';
import type { Services } from './services.ts';

/** The administration's services, its calls, who is signed in, and the vaccine catalogue in force. */
export interface AppContextValue extends Services {
  admin: AdminApi;
  /** The signed-in administrator's id (`admin-1`), once who-am-I has answered. */
  adminId: string | null;
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

/** The administration's calls on the services' API client. */
export const useAdminApiOf = (services: Services): AdminApi => useMemo(() => adminApi(services.api), [services]);
