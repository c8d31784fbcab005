import type { Session } from '../../../shared/src/session.ts';

type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const NOTICE_KEY = 'ereg.agent.notice';

/** Signs out of this tab, remembering why for the sign-in screen. */
export function signOut(session: Session, storage: TabStorage, notice = 'SIGNED_OUT'): void {
  if (!storage.getItem(NOTICE_KEY)) storage.setItem(NOTICE_KEY, notice);
  session.clear();
}

/** After the API refused the session: remembers why, for the sign-in screen. */
export function sessionEnded(storage: TabStorage, _here: string, code: string): void {
  if (!storage.getItem(NOTICE_KEY)) storage.setItem(NOTICE_KEY, code);
}
