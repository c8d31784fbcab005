import type { QueueView } from '@ereg/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useSession } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoginRequired } from '../components/login-required.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { COUNTRY_ZONE } from '../lib/local-date.ts';
import { ANNOUNCE_EVERY_MS, keepQueueTicket, pollDelayMs } from '../lib/waiting-room.ts';
import { LAST_SEARCH_KEY } from './search-page.tsx';

type Place =
  | { status: 'joining' }
  | { status: 'in'; view: QueueView }
  /** No waiting room stands in front of the person now: they may search and book. */
  | { status: 'none' }
  | { status: 'failed'; error: unknown };

const TITLES: Record<QueueView['status'], MessageKey> = {
  'before-opening': 'queue.title.early',
  waiting: 'queue.title.waiting',
  admitted: 'queue.title.admitted',
  expired: 'queue.title.expired',
  booked: 'queue.title.booked',
};

/**
 * The waiting room of an opening: joins it (the same place in every tab and device), then shows the
 * person's place and asks for it again every few seconds; says when it is their turn and until when
 * they may book, and offers a text message instead of keeping the page open.
 */
export function QueuePage() {
  const { api, tabStorage } = useApp();
  const session = useSession();
  const patientId = session?.patientId ?? null;
  const { t } = useI18n();
  const [place, setPlace] = useState<Place>({ status: 'joining' });
  const [joins, setJoins] = useState(0);
  const [pollFailed, setPollFailed] = useState<unknown>(null);

  const show = useCallback(
    (view: QueueView | null) => {
      if (!patientId) return;
      if (view) keepQueueTicket(tabStorage, patientId, view);
      setPlace(view ? { status: 'in', view } : { status: 'none' });
    },
    [patientId, tabStorage],
  );

  // Joining answers the place already held when there is one (another tab, the hotline).
  const joined = useLoad(patientId ? `queue-join:${patientId}:${joins}` : null, () =>
    api.call('joinQueue', { body: { patientId: patientId ?? '' } }),
  );
  const answer = joined.status === 'ready' ? joined.data.queue : null;
  const refusal = joined.status === 'failed' ? joined.error : null;
  const joining = joined.status === 'loading';
  useEffect(() => {
    if (joining) setPlace({ status: 'joining' });
    else if (answer) show(answer);
    else if (refusal) {
      const none = refusal instanceof ApiError && refusal.code === 'NO_QUEUE';
      setPlace(none ? { status: 'none' } : { status: 'failed', error: refusal });
    }
  }, [joining, answer, refusal, show]);

  // While the person waits, their place is asked for again: every 5 s on screen or when the room says,
  // every 30 s hidden, less after failures.
  const waiting = place.status === 'in' && ['before-opening', 'waiting', 'admitted'].includes(place.view.status);
  useEffect(() => {
    if (!patientId || !waiting) return;
    let failures = 0;
    let checkAgainSeconds: number | null = null;
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const ask = () => {
      api.call('queueState', { params: { patientId }, query: {} }).then(
        (answer) => {
          if (stopped) return;
          failures = 0;
          checkAgainSeconds = answer.queue?.checkAgainSeconds ?? null;
          setPollFailed(null);
          show(answer.queue);
          next();
        },
        (error: unknown) => {
          if (stopped) return;
          failures += 1;
          setPollFailed(error);
          next();
        },
      );
    };
    const next = () => {
      timer = setTimeout(
        ask,
        pollDelayMs({ hidden: document.visibilityState === 'hidden', failures, checkAgainSeconds }),
      );
    };
    next();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, patientId, waiting, show]);

  if (!session) {
    return (
      <Page title={t('queue.title')}>
        <LoginRequired />
      </Page>
    );
  }
  const title = place.status === 'in' ? t(TITLES[place.view.status]) : t('queue.title');
  return (
    <Page title={title}>
      {place.status === 'joining' ? <Status>{t('queue.joining')}</Status> : null}
      {place.status === 'failed' ? (
        <>
          <ErrorMessage error={place.error} />
          <button type="button" className="button button-primary" onClick={() => setJoins((n) => n + 1)}>
            {t('queue.retry')}
          </button>
        </>
      ) : null}
      {place.status === 'none' ? (
        <section className="banner banner-ok" aria-labelledby="queue-none-title">
          <h2 id="queue-none-title">{t('queue.none.title')}</h2>
          <p>{t('queue.none.text')}</p>
          <SearchLink />
        </section>
      ) : null}
      {place.status === 'in' ? (
        <QueuePlace
          view={place.view}
          patientId={session.patientId ?? ''}
          onChanged={show}
          onJoinAgain={() => setJoins((n) => n + 1)}
          pollFailed={pollFailed}
        />
      ) : null}
    </Page>
  );
}

/** To the search, as last made in this tab. */
function SearchLink() {
  const { tabStorage } = useApp();
  const { t } = useI18n();
  return (
    <Link href={`/search${tabStorage.getItem(LAST_SEARCH_KEY) ?? ''}`} className="button button-primary">
      {t('queue.toSearch')}
    </Link>
  );
}

/** The sentence a screen reader says of the person's place: a change of state at once, a moved place at most every 30 s. */
function useAnnouncement(view: QueueView, describe: (view: QueueView) => string): string {
  const [said, setSaid] = useState({ text: describe(view), status: view.status, at: Date.now() });
  const text = describe(view);
  useEffect(() => {
    if (text === said.text) return;
    if (view.status !== said.status) {
      setSaid({ text, status: view.status, at: Date.now() });
      return;
    }
    const wait = Math.max(0, said.at + ANNOUNCE_EVERY_MS - Date.now());
    const timer = setTimeout(() => setSaid({ text, status: view.status, at: Date.now() }), wait);
    return () => clearTimeout(timer);
  }, [text, view.status, said]);
  return said.text;
}

function QueuePlace(props: {
  view: QueueView;
  patientId: string;
  onChanged: (view: QueueView) => void;
  onJoinAgain: () => void;
  pollFailed: unknown;
}) {
  const { view, patientId } = props;
  const { api, now } = useApp();
  const { t, fmt } = useI18n();
  const time = (instant: string) => fmt.time(instant, COUNTRY_ZONE);
  const describe = (v: QueueView): string => {
    if (v.status === 'before-opening') return t('queue.early.drawn', { time: time(v.opensAt) });
    if (v.status === 'admitted' && v.admittedUntil) return t('queue.admitted.until', { time: time(v.admittedUntil) });
    if (v.status === 'expired') return t('queue.expired.text');
    if (v.status === 'booked') return t('queue.booked.text');
    const parts = [v.position === null ? t('queue.position.unknown') : t('queue.position', { position: v.position })];
    if (v.ahead !== null) parts.push(t.plural('queue.ahead', v.ahead));
    if (v.estimatedWaitSeconds !== null) parts.push(t('queue.wait', { wait: fmt.inAWhile(v.estimatedWaitSeconds) }));
    return parts.join(' ');
  };
  const announcement = useAnnouncement(view, describe);
  const [sms, setSms] = useState<{ status: 'idle' | 'saving' } | { status: 'failed'; error: unknown }>({
    status: 'idle',
  });
  const smsError = useRef<HTMLDivElement>(null);

  const setNotify = (notify: boolean) => {
    setSms({ status: 'saving' });
    api.call('queueSms', { params: { patientId }, body: { notify } }).then(
      (answer) => {
        setSms({ status: 'idle' });
        props.onChanged(answer.queue);
      },
      (error: unknown) => {
        setSms({ status: 'failed', error });
        requestAnimationFrame(() => smsError.current?.focus());
      },
    );
  };

  const waiting = view.status === 'before-opening' || view.status === 'waiting';
  const admittedLeft = view.admittedUntil ? Date.parse(view.admittedUntil) - now().getTime() : 0;
  return (
    <>
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      {view.status === 'before-opening' ? (
        <section className="banner banner-info queue-place" aria-labelledby="queue-place-title">
          <h2 id="queue-place-title">{t('queue.early.drawn', { time: time(view.opensAt) })}</h2>
          <p>{t('queue.early.fair')}</p>
          <p>{t('queue.early.keep')}</p>
        </section>
      ) : null}
      {view.status === 'waiting' ? (
        <section className="banner banner-info queue-place" aria-labelledby="queue-place-title">
          <h2 id="queue-place-title" className="visually-hidden">
            {t('queue.place.title')}
          </h2>
          <dl className="queue-figures">
            <div>
              <dt>{t('queue.figure.position')}</dt>
              <dd data-testid="queue-position">{view.position ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('queue.figure.ahead')}</dt>
              <dd data-testid="queue-ahead">{view.ahead ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('queue.figure.wait')}</dt>
              <dd data-testid="queue-wait">
                {view.estimatedWaitSeconds === null ? t('queue.wait.unknown') : fmt.inAWhile(view.estimatedWaitSeconds)}
              </dd>
            </div>
            {view.freePlaces === null ? null : (
              <div>
                <dt>{t('queue.figure.free')}</dt>
                <dd data-testid="queue-free">{view.freePlaces}</dd>
              </div>
            )}
          </dl>
          <p>{t('queue.waiting.fifo')}</p>
        </section>
      ) : null}
      {view.status === 'admitted' ? (
        <section className="banner banner-ok queue-place" aria-labelledby="queue-place-title">
          <h2 id="queue-place-title">
            {view.admittedUntil
              ? t('queue.admitted.until', { time: time(view.admittedUntil) })
              : t('queue.title.admitted')}
          </h2>
          <p>{admittedLeft > 0 ? t('queue.admitted.text') : t('queue.admitted.late')}</p>
          <SearchLink />
        </section>
      ) : null}
      {view.status === 'expired' ? (
        <section className="banner banner-warning queue-place" aria-labelledby="queue-place-title">
          <h2 id="queue-place-title">{t('queue.expired.text')}</h2>
          <p>{t('queue.expired.again')}</p>
          <button type="button" className="button button-primary" onClick={props.onJoinAgain}>
            {t('queue.expired.join')}
          </button>
        </section>
      ) : null}
      {view.status === 'booked' ? (
        <section className="banner banner-ok queue-place" aria-labelledby="queue-place-title">
          <h2 id="queue-place-title">{t('queue.booked.text')}</h2>
          <Link href="/visits" className="button button-primary">
            {t('queue.toVisits')}
          </Link>
        </section>
      ) : null}
      {props.pollFailed && waiting ? <p className="hint">{t('queue.stale')}</p> : null}
      {waiting ? (
        <section className="queue-sms" aria-labelledby="queue-sms-title">
          <h2 id="queue-sms-title">{t('queue.sms.title')}</h2>
          {view.smsWhenTurn ? (
            <>
              <p>{t('queue.sms.on')}</p>
              <button
                type="button"
                className="button"
                disabled={sms.status === 'saving'}
                onClick={() => setNotify(false)}
              >
                {t('queue.sms.stop')}
              </button>
            </>
          ) : (
            <>
              <p>{t('queue.sms.offer')}</p>
              <button
                type="button"
                className="button button-primary"
                disabled={sms.status === 'saving'}
                onClick={() => setNotify(true)}
              >
                {t('queue.sms.start')}
              </button>
            </>
          )}
          {sms.status === 'failed' ? <ErrorMessage error={sms.error} ref={smsError} /> : null}
          {sms.status === 'failed' && sms.error instanceof ApiError && sms.error.code === 'PHONE_REQUIRED' ? (
            <p>
              <Link href="/visits">{t('queue.sms.phone')}</Link>
            </p>
          ) : null}
        </section>
      ) : null}
      <p className="hint">{t('queue.oneTicket')}</p>
    </>
  );
}
