import type { StandbyOfferView, StandbyView } from '@ereg/shared';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useApp, useSession, vaccineName } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoginRequired } from '../components/login-required.tsx';
import { StandbyForm } from '../components/standby-form.tsx';
import { useI18n } from '../i18n/index.ts';
import { COUNTRY_ZONE, localDateOf } from '../lib/local-date.ts';
import { countdown, isActive, STANDBY_POLL_MS, type StandbyBody } from '../lib/standby.ts';
import { LAST_SEARCH_KEY } from './search-page.tsx';

type Shown =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; view: StandbyView; editing: boolean };

/** What the person just did, said at the top of what follows. */
type Done = 'joined' | 'changed' | 'left' | 'taken' | 'passed' | null;

/**
 * The standby list for earlier visits: join it (dates, where from and how far, which products), see the
 * place in line, take or pass a place offered (held for a while, with the time left), change or leave.
 * While the person waits or holds an offer, the page asks for their place again every 30 s.
 */
export function StandbyPage() {
  const { api } = useApp();
  const session = useSession();
  const patientId = session?.patientId ?? null;
  const { t } = useI18n();
  const [shown, setShown] = useState<Shown>({ status: 'loading' });
  const [asked, setAsked] = useState(0);
  const [done, setDone] = useState<Done>(null);
  const outcome = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `asked` changes to ask again
  useEffect(() => {
    if (!patientId) return;
    let current = true;
    api.call('standby', { params: { patientId }, query: {} }).then(
      (view) =>
        current && setShown((was) => ({ status: 'ready', view, editing: was.status === 'ready' && was.editing })),
      (error: unknown) => current && setShown((was) => (was.status === 'ready' ? was : { status: 'failed', error })),
    );
    return () => {
      current = false;
    };
  }, [api, patientId, asked]);

  const view = shown.status === 'ready' ? shown.view : null;
  const active = view !== null && isActive(view);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setAsked((n) => n + 1), STANDBY_POLL_MS);
    return () => clearInterval(timer);
  }, [active]);

  useLayoutEffect(() => {
    if (done) outcome.current?.focus();
  }, [done]);

  const show = useCallback((next: StandbyView, what: Done) => {
    setShown({ status: 'ready', view: next, editing: false });
    setDone(what);
  }, []);
  const refresh = useCallback(() => setAsked((n) => n + 1), []);

  if (!session || !patientId) {
    return (
      <Page title={t('standby.title')}>
        <LoginRequired />
      </Page>
    );
  }

  return (
    <Page title={t('standby.title')}>
      <p className="lead">{t('standby.intro')}</p>
      {shown.status === 'loading' ? <Status>{t('standby.loading')}</Status> : null}
      {shown.status === 'failed' ? (
        <>
          <ErrorMessage error={shown.error} />
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setShown({ status: 'loading' });
              refresh();
            }}
          >
            {t('standby.retry')}
          </button>
        </>
      ) : null}
      <div ref={outcome} tabIndex={-1} className="standby-outcome">
        {done ? (
          <p className="notice" data-testid="standby-done">
            {t(`standby.done.${done}`)}
          </p>
        ) : null}
      </div>
      {view ? (
        <StandbyState
          view={view}
          patientId={patientId}
          editing={shown.status === 'ready' && shown.editing}
          onEdit={(editing) => setShown({ status: 'ready', view, editing })}
          onChanged={show}
          onStale={refresh}
        />
      ) : null}
    </Page>
  );
}

function StandbyState(props: {
  view: StandbyView;
  patientId: string;
  editing: boolean;
  onEdit: (editing: boolean) => void;
  onChanged: (view: StandbyView, what: Done) => void;
  onStale: () => void;
}) {
  const { view, patientId, editing } = props;
  const { api, tabStorage } = useApp();
  const { t } = useI18n();
  const entry = view.entry;
  const status = entry?.status ?? null;
  const on = status === 'waiting' || status === 'offered';

  const join = (body: StandbyBody) =>
    api
      .call('joinStandby', { params: { patientId }, body })
      .then((answer) => props.onChanged(answer.standby, on ? 'changed' : 'joined'));

  const form = (
    <StandbyForm
      wishes={entry?.wishes ?? null}
      lastSearch={tabStorage.getItem(LAST_SEARCH_KEY)}
      submitLabel={on ? t('standby.form.save') : t('standby.form.join')}
      onSubmit={join}
      onCancel={on ? () => props.onEdit(false) : null}
    />
  );

  if (!entry || status === 'left') {
    return (
      <section aria-labelledby="standby-join-title">
        <h2 id="standby-join-title">{t('standby.join.title')}</h2>
        <p>{entry ? t('standby.left.text') : t('standby.none')}</p>
        <p className="hint">{t('standby.join.how', { minutes: view.holdMinutes })}</p>
        {form}
      </section>
    );
  }

  return (
    <>
      {view.offer ? (
        <OfferCard offer={view.offer} patientId={patientId} onChanged={props.onChanged} onStale={props.onStale} />
      ) : null}
      {status === 'waiting' ? (
        <section className="banner banner-info" aria-labelledby="standby-waiting-title">
          <h2 id="standby-waiting-title">{t('standby.waiting.title')}</h2>
          <p data-testid="standby-ahead">
            {view.ahead === null ? t('standby.ahead.unknown') : t.plural('standby.ahead', view.ahead)}
          </p>
          <p>{t(entry.texted ? 'standby.waiting.texted' : 'standby.waiting.app', { minutes: view.holdMinutes })}</p>
        </section>
      ) : null}
      {status === 'placed' ? <Placed view={view} /> : null}
      {status === 'paused' ? (
        <section className="banner banner-warning" aria-labelledby="standby-paused-title">
          <h2 id="standby-paused-title">{t('standby.paused.title')}</h2>
          <p>{t.plural('standby.paused.why', entry.silentOffers)}</p>
          <p>{t('standby.paused.rejoin')}</p>
        </section>
      ) : null}
      <Wishes view={view} />
      {status === 'placed' || status === 'paused' ? (
        <section aria-labelledby="standby-join-title">
          <h2 id="standby-join-title">{t(status === 'paused' ? 'standby.rejoin.title' : 'standby.again.title')}</h2>
          {form}
        </section>
      ) : editing ? (
        <section aria-labelledby="standby-change-title">
          <h2 id="standby-change-title">{t('standby.change.title')}</h2>
          <p className="hint">{t('standby.change.keeps')}</p>
          {form}
        </section>
      ) : (
        <Manage
          patientId={patientId}
          holding={view.offer !== null}
          onEdit={() => props.onEdit(true)}
          onChanged={props.onChanged}
        />
      )}
    </>
  );
}

/** The place held for the person: where, when, what, the time left, and Take or Pass. */
function OfferCard(props: {
  offer: StandbyOfferView;
  patientId: string;
  onChanged: (view: StandbyView, what: Done) => void;
  onStale: () => void;
}) {
  const { offer, patientId } = props;
  const { api, now, vaccines } = useApp();
  const { t, fmt } = useI18n();
  const [busy, setBusy] = useState<'take' | 'pass' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [left, setLeft] = useState(() => countdown(offer.expiresAt, now()));
  const errorRef = useRef<HTMLDivElement>(null);
  const { onStale } = props;

  useEffect(() => {
    const tick = () => {
      const next = countdown(offer.expiresAt, now());
      setLeft(next);
      if (next.seconds === 0) {
        clearInterval(timer);
        onStale();
      }
    };
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [offer.expiresAt, now, onStale]);

  const decide = (how: 'take' | 'pass') => {
    if (busy) return;
    setBusy(how);
    setError(null);
    const route = how === 'take' ? 'takeStandbyOffer' : 'passStandbyOffer';
    api.call(route, { params: { patientId, offerId: offer.id }, body: {} }).then(
      (answer) => {
        setBusy(null);
        props.onChanged(answer.standby, how === 'take' ? 'taken' : 'passed');
      },
      (failure: unknown) => {
        setBusy(null);
        setError(failure);
        requestAnimationFrame(() => errorRef.current?.focus());
        // The place went meanwhile (the time ran out, answered by text): show what holds now.
        if (failure instanceof ApiError && failure.code === 'OFFER_CLOSED') onStale();
      },
    );
  };

  const zone = offer.centre.timeZone;
  const over = left.seconds === 0;
  return (
    <section className="standby-offer" aria-labelledby="standby-offer-title" data-testid="standby-offer">
      <h2 id="standby-offer-title">{t('standby.offer.title')}</h2>
      <p className="standby-offer-when">{fmt.dateTime(offer.start, zone)}</p>
      <p className="standby-offer-where">
        <strong>{offer.centre.name}</strong>
        <br />
        {offer.centre.street}, {offer.centre.city}
      </p>
      <p>{t('standby.offer.vaccine', { vaccine: vaccineName(vaccines, offer.vaccineId), dose: offer.dose })}</p>
      {offer.reason === 'would_be_wasted' ? <p className="hint">{t('standby.offer.today')}</p> : null}
      <p className="standby-offer-hold">
        {over ? (
          t('standby.offer.over')
        ) : (
          <>
            {t('standby.offer.until', { time: fmt.time(offer.expiresAt, zone) })}{' '}
            <span className="standby-countdown">
              {t('standby.offer.left')}{' '}
              {/* A timer is not read out as it changes; the sentence before it says until when. */}
              <span role="timer" aria-atomic="true" data-testid="standby-countdown">
                {left.text}
              </span>
            </span>
          </>
        )}
      </p>
      <div className="action-row">
        <button
          type="button"
          className="button button-primary"
          aria-disabled={busy !== null || over || undefined}
          onClick={() => !over && decide('take')}
        >
          {busy === 'take' ? t('standby.offer.taking') : t('standby.offer.take')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          aria-disabled={busy !== null || over || undefined}
          onClick={() => !over && decide('pass')}
        >
          {busy === 'pass' ? t('standby.offer.passing') : t('standby.offer.pass')}
        </button>
      </div>
      <p className="hint">{t('standby.offer.passKeeps')}</p>
      <div ref={errorRef} tabIndex={-1}>
        {error ? <ErrorMessage error={error} /> : null}
      </div>
    </section>
  );
}

/** The place the person took from the list. */
function Placed({ view }: { view: StandbyView }) {
  const { t, fmt } = useI18n();
  const taken = view.offers.find((o) => o.status === 'taken');
  return (
    <section className="banner banner-ok" aria-labelledby="standby-placed-title">
      <h2 id="standby-placed-title">{t('standby.placed.title')}</h2>
      {taken ? (
        <p>
          {t('standby.placed.text', {
            when: fmt.dateTime(taken.start, taken.centre.timeZone),
            centre: taken.centre.name,
          })}
        </p>
      ) : null}
      <p>
        <Link href="/visits">{t('standby.toVisits')}</Link>
      </p>
    </section>
  );
}

/** What places the person said they would take. */
function Wishes({ view }: { view: StandbyView }) {
  const { vaccines } = useApp();
  const { t, fmt } = useI18n();
  const entry = view.entry;
  if (!entry) return null;
  const { wishes } = entry;
  const products =
    wishes.vaccineIds === null
      ? t('standby.wishes.anyProduct')
      : wishes.vaccineIds.map((id) => vaccineName(vaccines, id)).join(', ');
  return (
    <section aria-labelledby="standby-wishes-title">
      <h2 id="standby-wishes-title">{t('standby.wishes.title')}</h2>
      <dl className="standby-wishes">
        <div>
          <dt>{t('standby.wishes.dates')}</dt>
          <dd>{t('standby.wishes.range', { from: fmt.date(wishes.from), to: fmt.date(wishes.to) })}</dd>
        </div>
        <div>
          <dt>{t('standby.wishes.where')}</dt>
          <dd>{t('standby.wishes.distance', { km: fmt.km(wishes.maxKm), postalCode: wishes.postalCode })}</dd>
        </div>
        <div>
          <dt>{t('standby.wishes.products')}</dt>
          <dd>{products}</dd>
        </div>
        <div>
          <dt>{t('standby.wishes.dose')}</dt>
          <dd>{t(entry.appointmentId ? 'standby.wishes.earlier' : 'standby.wishes.first', { dose: entry.dose })}</dd>
        </div>
        <div>
          <dt>{t('standby.wishes.since')}</dt>
          <dd>{fmt.date(localDateOf(entry.joinedAt, COUNTRY_ZONE))}</dd>
        </div>
      </dl>
    </section>
  );
}

/** Change what places the person would take, or leave the list (confirmed). */
function Manage(props: {
  patientId: string;
  holding: boolean;
  onEdit: () => void;
  onChanged: (view: StandbyView, what: Done) => void;
}) {
  const { api } = useApp();
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);

  const leave = () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    api.call('leaveStandby', { params: { patientId: props.patientId }, query: {} }).then(
      (answer) => {
        setBusy(false);
        props.onChanged(answer.standby, 'left');
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };

  return (
    <section aria-labelledby="standby-manage-title">
      <h2 id="standby-manage-title" className="visually-hidden">
        {t('standby.manage.title')}
      </h2>
      {confirming ? (
        <section className="standby-confirm" aria-labelledby="standby-leave-title">
          <h3 id="standby-leave-title">{t('standby.leave.title')}</h3>
          <p>{t(props.holding ? 'standby.leave.offer' : 'standby.leave.text')}</p>
          <div className="action-row">
            <button
              ref={confirm}
              type="button"
              className="button button-danger"
              aria-disabled={busy || undefined}
              onClick={leave}
            >
              {t('standby.leave.confirm')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
              {t('standby.leave.keep')}
            </button>
          </div>
        </section>
      ) : (
        <div className="action-row">
          <button type="button" className="button button-secondary" onClick={props.onEdit}>
            {t('standby.change')}
          </button>
          <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
            {t('standby.leave')}
          </button>
        </div>
      )}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}
