import { useEffect, useId, useRef, useState } from 'react';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { AUDIT_TIME_ZONE } from '../lib/audit-filters.ts';
import { sessionClock, signOut } from '../lib/sign-in.ts';

type Limits = { idleMinutes: number; endsAt: string };

/**
 * When the session ends: unused for the server's idle time (counted from this tab's last request), and
 * in any case at the end of the longest shift. Two minutes before it would end idle, a warning takes
 * the focus and offers to keep working (one request renews it); past either, the console signs out
 * with the reason, before the server would refuse the next request.
 */
export function SessionClock({ limits }: { limits: Limits }) {
  const { api, now, lastApiUse, session, tabStorage, window } = useApp();
  const { t, fmt } = useI18n();
  const [at, setAt] = useState(() => now().getTime());
  const [keeping, setKeeping] = useState<'busy' | 'failed' | null>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const before = useRef<Element | null>(null);
  const titleId = useId();

  useEffect(() => {
    const timer = window.setInterval(() => setAt(now().getTime()), 1000);
    return () => window.clearInterval(timer);
  }, [window, now]);

  const clock = sessionClock(at, lastApiUse(), limits);
  const time = (ms: number) => fmt.time(new Date(ms).toISOString(), AUDIT_TIME_ZONE);

  useEffect(() => {
    if (clock.over) signOut(session, tabStorage, clock.over);
  }, [clock.over, session, tabStorage]);

  useEffect(() => {
    if (!clock.warn) return;
    before.current = document.activeElement;
    keepButton.current?.focus();
    return () => {
      const back = before.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, [clock.warn]);

  const keepWorking = async () => {
    if (keeping === 'busy') return;
    setKeeping('busy');
    try {
      await api.me();
      setKeeping(null);
      setAt(now().getTime());
    } catch {
      setKeeping('failed');
    }
  };

  return (
    <>
      <p className="session-clock">
        {t('clock.idle', { time: time(clock.idleEndsAt) })} · {t('clock.ends', { time: time(clock.endsAt) })}
      </p>
      {clock.warn ? (
        <div
          className="session-warning"
          role="alertdialog"
          aria-labelledby={titleId}
          aria-describedby={`${titleId}-text`}
        >
          <h2 id={titleId}>{t('clock.warning.title')}</h2>
          <p id={`${titleId}-text`}>{t('clock.warning.text', { time: time(clock.idleEndsAt) })}</p>
          {keeping === 'failed' ? <p className="notice">{t('clock.warning.failed')}</p> : null}
          <button
            ref={keepButton}
            type="button"
            className="button button-primary"
            aria-disabled={keeping === 'busy' || undefined}
            onClick={() => void keepWorking()}
          >
            {keeping === 'busy' ? t('clock.warning.keeping') : t('clock.warning.keep')}
          </button>
        </div>
      ) : null}
    </>
  );
}
