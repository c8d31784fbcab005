import type { CallerCard, StandbyView, Vaccine } from '@ereg/shared';
import { type FormEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { formatDateField, parseDateField } from '../../../shared/src/date-field.ts';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useCall, vaccineName } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { ageOn, callReasonText, dateIn } from '../lib/book-words.ts';
import { describeError } from '../lib/error-messages.ts';
import { useShortcut } from '../lib/shortcuts.ts';
import { ErrorMessage } from './error-message.tsx';

const DISTANCES = [5, 10, 20, 30, 50, 100] as const;
const POSTAL_CODE = /^\d{2}-?\d{3}$/;

interface Wishes {
  from: string;
  to: string;
  postalCode: string;
  maxKm: number;
  vaccineIds: string[] | null;
}

type Step =
  | { kind: 'view' }
  | { kind: 'form'; wishes: Wishes }
  | { kind: 'readBack'; wishes: Wishes }
  | { kind: 'leave' };

/** A date typed as text: digits and its marks, as long as `20.01.2026 r.`. */
const DATE_INPUT = {
  type: 'text',
  inputMode: 'decimal',
  autoComplete: 'off',
  spellCheck: false,
  maxLength: 14,
  size: 12,
} as const;

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const STATES: Record<NonNullable<StandbyView['entry']>['status'], MessageKey> = {
  waiting: 'standby.state.waiting',
  offered: 'standby.state.offered',
  placed: 'standby.state.placed',
  paused: 'standby.state.paused',
  left: 'standby.state.left',
};

/**
 * The caller's place on the standby list for earlier visits: state, people ahead, the place offered
 * now and until when it is held. The agent puts them on it (their choices read back before saving),
 * changes it, takes or passes an offer on their behalf, or takes them off. Alt+L comes here.
 */
export function CallerStandby({ person }: { person: CallerCard }) {
  const { api, now } = useApp();
  const { t, fmt } = useI18n();
  const call = useCall();
  const reason = callReasonText(call.reason);
  const withReason = reason ? { reason } : {};
  const patientId = person.patientId;
  const [view, setView] = useState<StandbyView | null>(null);
  const [asked, setAsked] = useState(0);
  const [step, setStep] = useState<Step>({ kind: 'view' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<MessageKey | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const outcome = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `asked` changes to ask again
  useEffect(() => {
    let current = true;
    api.call('standby', { params: { patientId }, query: reason ? { reason } : {} }).then(
      (answer) => current && setView(answer),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [api, patientId, reason, asked]);

  useLayoutEffect(() => {
    if (done || (error && step.kind === 'view')) outcome.current?.focus();
  }, [done, error, step.kind]);

  const today = dateIn(now(), 'Europe/Warsaw');
  const entry = view?.entry ?? null;
  // The products the person may have by age, asked for once a form or a choice of products needs them.
  const needsProducts = step.kind !== 'view' || (entry?.wishes.vaccineIds ?? null) !== null;
  const catalogue = useLoad(needsProducts ? 'vaccines' : null, () => api.call('vaccines'));
  const age = ageOn(person.birthDate, today);
  const products = catalogue.status === 'ready' ? catalogue.data.vaccines.filter((v) => v.minAgeYears <= age) : [];
  const on = entry?.status === 'waiting' || entry?.status === 'offered';
  const startForm = () => {
    setDone(null);
    setError(null);
    setStep({
      kind: 'form',
      wishes: entry
        ? { ...entry.wishes, from: [entry.wishes.from, today].sort()[1] ?? today }
        : { from: today, to: addDays(today, 27), postalCode: '', maxKm: 20, vaccineIds: null },
    });
  };
  useShortcut('l', t('standby.shortcut'), () => {
    if (!on && step.kind === 'view') startForm();
    else heading.current?.focus();
  });

  const act = async (work: () => Promise<{ standby: StandbyView }>, message: MessageKey) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setView((await work()).standby);
      setStep({ kind: 'view' });
      setDone(message);
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError && failure.code === 'OFFER_CLOSED') setAsked((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const offer = view?.offer ?? null;
  const zone = offer?.centre.timeZone ?? 'Europe/Warsaw';
  return (
    <section aria-labelledby="caller-standby-title" data-testid="caller-standby">
      <h2 id="caller-standby-title" ref={heading} tabIndex={-1}>
        {t('standby.title')} <kbd>Alt+L</kbd>
      </h2>
      {view === null && !error ? <Status>{t('standby.loading')}</Status> : null}
      {view && (!entry || !on) && step.kind === 'view' ? (
        <>
          <p>{entry ? t(STATES[entry.status]) : t('standby.notOn')}</p>
          {entry?.status === 'paused' ? <p>{t.plural('standby.paused', entry.silentOffers)}</p> : null}
          <button type="button" className="button" aria-keyshortcuts="Alt+L" onClick={startForm}>
            {t('standby.join')}
          </button>
        </>
      ) : null}
      {view && entry && on ? (
        <>
          <dl className="caller-details">
            <div className="caller-detail">
              <dt>{t('standby.state')}</dt>
              <dd>{t(STATES[entry.status])}</dd>
            </div>
            {view.ahead !== null ? (
              <div className="caller-detail">
                <dt>{t('standby.ahead')}</dt>
                <dd>{view.ahead}</dd>
              </div>
            ) : null}
            <div className="caller-detail">
              <dt>{t('standby.wishes')}</dt>
              <dd>
                <WishesText wishes={entry.wishes} vaccines={products} />
              </dd>
            </div>
            <div className="caller-detail">
              <dt>{t('standby.texted')}</dt>
              <dd>{entry.texted ? t('standby.texted.yes') : t('standby.texted.no')}</dd>
            </div>
          </dl>
          {offer ? (
            <div className="caller-confirm" data-testid="caller-standby-offer">
              <h3>{t('standby.offer.title')}</h3>
              <p className="caller-visit-when">{fmt.dateTime(offer.start, zone)}</p>
              <p>
                {offer.centre.name}, {offer.centre.street}, {offer.centre.city}
              </p>
              <p>{t('standby.offer.until', { time: fmt.time(offer.expiresAt, zone) })}</p>
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                onClick={() =>
                  void act(
                    () => api.call('takeStandbyOffer', { params: { patientId, offerId: offer.id }, body: withReason }),
                    'standby.done.taken',
                  )
                }
              >
                {t('standby.offer.take')}
              </button>{' '}
              <button
                type="button"
                className="button button-secondary"
                disabled={busy}
                onClick={() =>
                  void act(
                    () => api.call('passStandbyOffer', { params: { patientId, offerId: offer.id }, body: withReason }),
                    'standby.done.passed',
                  )
                }
              >
                {t('standby.offer.pass')}
              </button>
            </div>
          ) : null}
          {step.kind === 'view' ? (
            <p className="caller-standby-actions">
              <button type="button" className="button button-secondary" onClick={startForm}>
                {t('standby.change')}
              </button>{' '}
              <button type="button" className="button button-secondary" onClick={() => setStep({ kind: 'leave' })}>
                {t('standby.leave')}
              </button>{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  // What was done before is no news once the list is asked again.
                  setDone(null);
                  setError(null);
                  setAsked((n) => n + 1);
                }}
              >
                {t('standby.refresh')}
              </button>
            </p>
          ) : null}
        </>
      ) : null}
      {step.kind === 'form' ? (
        <StandbyJoinForm
          initial={step.wishes}
          vaccines={products}
          today={today}
          error={error}
          onCancel={() => {
            setError(null);
            setStep({ kind: 'view' });
          }}
          onReadBack={(wishes) => {
            setError(null);
            setStep({ kind: 'readBack', wishes });
          }}
        />
      ) : null}
      {step.kind === 'readBack' ? (
        <ReadBack
          wishes={step.wishes}
          vaccines={products}
          texted={person.phone !== null}
          busy={busy}
          onBack={() => setStep({ kind: 'form', wishes: step.wishes })}
          onConfirm={async () => {
            if (busy) return;
            setBusy(true);
            setError(null);
            try {
              const answer = await api.call('joinStandby', {
                params: { patientId },
                body: { ...step.wishes, ...withReason },
              });
              setView(answer.standby);
              setStep({ kind: 'view' });
              setDone(on ? 'standby.done.changed' : 'standby.done.joined');
            } catch (failure) {
              setError(failure);
              // A choice refused is said at its field, in the form.
              if (failure instanceof ApiError && failure.field) setStep({ kind: 'form', wishes: step.wishes });
            } finally {
              setBusy(false);
            }
          }}
        />
      ) : null}
      {step.kind === 'leave' ? (
        <ConfirmLeave
          holding={offer !== null}
          onKeep={() => setStep({ kind: 'view' })}
          onLeave={() =>
            void act(() => api.call('leaveStandby', { params: { patientId }, query: withReason }), 'standby.done.left')
          }
        />
      ) : null}
      <div ref={outcome} tabIndex={-1} className="caller-outcome">
        {error && step.kind !== 'form' ? <ErrorMessage error={error} /> : null}
        {done ? <p className="notice">{t(done)}</p> : null}
      </div>
      <Status>{busy ? t('caller.busy') : null}</Status>
    </section>
  );
}

/** The choices in one sentence, as the agent reads them to the caller. */
function WishesText({ wishes, vaccines }: { wishes: Wishes; vaccines: readonly Vaccine[] }) {
  const { t, fmt } = useI18n();
  const products =
    wishes.vaccineIds === null
      ? t('standby.anyProduct')
      : wishes.vaccineIds.map((id) => vaccineName(vaccines, id)).join(', ');
  return (
    <>
      {t('standby.wishes.text', {
        from: fmt.date(wishes.from),
        to: fmt.date(wishes.to),
        km: fmt.km(wishes.maxKm),
        postalCode: wishes.postalCode,
        products,
      })}
    </>
  );
}

/**
 * Dates (typed as the console's language writes them: the browser's own date field would follow the
 * browser's locale instead), postal code, distance and products, checked here; a field the API refuses
 * is said at it.
 */
function StandbyJoinForm(props: {
  initial: Wishes;
  vaccines: readonly Vaccine[];
  today: string;
  error: unknown;
  onReadBack: (wishes: Wishes) => void;
  onCancel: () => void;
}) {
  const { vaccines } = props;
  const { t, fmt, language } = useI18n();
  const [wishes, setWishes] = useState(() => ({
    ...props.initial,
    from: formatDateField(props.initial.from, language),
    to: formatDateField(props.initial.to, language),
  }));
  const [problem, setProblem] = useState<{ field: keyof Wishes; key: MessageKey } | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    const field = props.error instanceof ApiError ? props.error.field : undefined;
    const element = field ? document.getElementById(`standby-${field}`) : null;
    (element ?? first.current)?.focus();
  }, [props.error]);
  useLayoutEffect(() => {
    if (problem) document.getElementById(`standby-${problem.field}`)?.focus();
  }, [problem]);

  const pattern = t('standby.form.date.pattern');
  const example = formatDateField(addDays(props.today, 7), language);
  const refused = props.error instanceof ApiError ? props.error : null;
  const errorOf = (field: keyof Wishes): string | null =>
    problem?.field === field
      ? t(problem.key, { pattern, example })
      : refused?.field === field
        ? describeError(refused, t, fmt)
        : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = (field: 'from' | 'to') => {
      const parsed = parseDateField(wishes[field]);
      return 'date' in parsed ? parsed.date : null;
    };
    const from = typed('from');
    const to = typed('to');
    const wrong: { field: keyof Wishes; key: MessageKey } | null =
      wishes.from.trim() === ''
        ? { field: 'from', key: 'standby.form.date.required' }
        : from === null
          ? { field: 'from', key: 'standby.form.date.invalid' }
          : wishes.to.trim() === ''
            ? { field: 'to', key: 'standby.form.date.required' }
            : to === null
              ? { field: 'to', key: 'standby.form.date.invalid' }
              : to < props.today
                ? { field: 'to', key: 'error.DATES_PAST' }
                : to < from
                  ? { field: 'to', key: 'error.DATES_REVERSED' }
                  : !POSTAL_CODE.test(wishes.postalCode.trim())
                    ? { field: 'postalCode', key: 'error.INVALID_POSTAL_CODE' }
                    : null;
    setProblem(wrong);
    if (wrong || from === null || to === null) return;
    const code = wishes.postalCode.trim();
    props.onReadBack({
      ...wishes,
      from,
      to,
      postalCode: code.includes('-') ? code : `${code.slice(0, 2)}-${code.slice(2)}`,
    });
  };

  const set = (change: Partial<Wishes>) => {
    setWishes((all) => ({ ...all, ...change }));
    setProblem(null);
  };
  return (
    <form className="caller-contact" noValidate onSubmit={submit} aria-labelledby="standby-form-title">
      <h3 id="standby-form-title">{t('standby.form.title')}</h3>
      <Field
        id="standby-from"
        label={t('standby.form.from')}
        hint={t('standby.form.date.hint', { pattern, example })}
        error={errorOf('from')}
      >
        {(control) => (
          <input
            {...control}
            ref={first}
            {...DATE_INPUT}
            value={wishes.from}
            onChange={(e) => set({ from: e.target.value })}
          />
        )}
      </Field>
      <Field
        id="standby-to"
        label={t('standby.form.to')}
        hint={t('standby.form.date.hint', { pattern, example })}
        error={errorOf('to')}
      >
        {(control) => (
          <input {...control} {...DATE_INPUT} value={wishes.to} onChange={(e) => set({ to: e.target.value })} />
        )}
      </Field>
      <Field id="standby-postalCode" label={t('field.postalCode')} error={errorOf('postalCode')}>
        {(control) => (
          <input
            {...control}
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            size={8}
            value={wishes.postalCode}
            onChange={(e) => set({ postalCode: e.target.value })}
          />
        )}
      </Field>
      <Field id="standby-maxKm" label={t('standby.form.maxKm')} error={errorOf('maxKm')}>
        {(control) => (
          <select {...control} value={String(wishes.maxKm)} onChange={(e) => set({ maxKm: Number(e.target.value) })}>
            {DISTANCES.map((km) => (
              <option key={km} value={String(km)}>
                {fmt.km(km)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset id="standby-vaccineIds" tabIndex={-1}>
        <legend>{t('standby.form.products')}</legend>
        {errorOf('vaccineIds') ? <p className="field-error">{errorOf('vaccineIds')}</p> : null}
        {vaccines.map((vaccine) => (
          <label key={vaccine.id} className="standby-check">
            <input
              type="checkbox"
              checked={wishes.vaccineIds?.includes(vaccine.id) ?? false}
              onChange={(e) => {
                const chosen = (wishes.vaccineIds ?? []).filter((id) => id !== vaccine.id);
                const next = e.target.checked ? [...chosen, vaccine.id] : chosen;
                set({ vaccineIds: next.length > 0 ? next : null });
              }}
            />{' '}
            {vaccine.name}
          </label>
        ))}
        <p className="hint">{t('standby.form.products.hint')}</p>
      </fieldset>
      {props.error && !(props.error instanceof ApiError && props.error.field) ? (
        <ErrorMessage error={props.error} />
      ) : null}
      <button type="submit" className="button button-primary">
        {t('standby.form.next')}
      </button>{' '}
      <button type="button" className="button button-secondary" onClick={props.onCancel}>
        {t('caller.keep')}
      </button>
    </form>
  );
}

/** The choices read back to the caller before they are saved; the confirmation takes the focus. */
function ReadBack(props: {
  wishes: Wishes;
  vaccines: readonly Vaccine[];
  texted: boolean;
  busy: boolean;
  onBack: () => void;
  onConfirm: () => Promise<void>;
}) {
  const { t } = useI18n();
  const confirm = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => confirm.current?.focus(), []);
  return (
    <section className="caller-confirm" aria-labelledby="standby-readback-title">
      <h3 id="standby-readback-title">{t('standby.readBack.title')}</h3>
      <p data-testid="standby-readback">
        <WishesText wishes={props.wishes} vaccines={props.vaccines} />
      </p>
      <p>{props.texted ? t('standby.readBack.texted') : t('standby.readBack.notTexted')}</p>
      <button
        ref={confirm}
        type="button"
        className="button button-primary"
        disabled={props.busy}
        onClick={() => void props.onConfirm()}
      >
        {t('standby.readBack.confirm')}
      </button>{' '}
      <button type="button" className="button button-secondary" onClick={props.onBack}>
        {t('standby.readBack.back')}
      </button>
    </section>
  );
}

function ConfirmLeave({ holding, onLeave, onKeep }: { holding: boolean; onLeave: () => void; onKeep: () => void }) {
  const { t } = useI18n();
  const confirm = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => confirm.current?.focus(), []);
  return (
    <section className="caller-confirm" aria-labelledby="standby-leave-title">
      <h3 id="standby-leave-title">{t('standby.leave.title')}</h3>
      <p>{holding ? t('standby.leave.offer') : t('standby.leave.text')}</p>
      <button ref={confirm} type="button" className="button button-danger" onClick={onLeave}>
        {t('standby.leave.confirm')}
      </button>{' '}
      <button type="button" className="button button-secondary" onClick={onKeep}>
        {t('caller.keep')}
      </button>
    </section>
  );
}
