import type { Centre, CentreRole, Vaccine } from '@ereg/shared';
import { createContext, useContext } from 'react';
import type { StoredSession } from '../../shared/src/session.ts';
import { useStoredSession } from '../../shared/src/use-session.ts';
import type { Services } from './services.ts';

/** The signed-in staff member and their centre, once both have loaded. */
export interface Desk {
  staffId: string;
  centre: Centre;
  /** The person's name as the sign-in gave it, or null. */
  name: string | null;
  /** What the session allows: `centre-manager` also keeps the batches, schedule and staff. */
  role: CentreRole;
}

export interface AppContextValue extends Services {
  /** The vaccine catalogue (empty until it has loaded, or if it could not be). */
  vaccines: readonly Vaccine[];
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp needs an AppContext.');
  return value;
}

export const DeskContext = createContext<Desk | null>(null);

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk needs a signed-in desk.');
  return desk;
}

/** Whether the signed-in person is their centre's manager. */
export const isManager = (desk: Pick<Desk, 'role'>): boolean => desk.role === 'centre-manager';

/** The tab's session, re-rendering on sign-in and sign-out. */
export function useSession(): StoredSession | null {
  return useStoredSession(useApp().session);
}

export { vaccineName } from '../../shared/src/vaccine-name.ts';
