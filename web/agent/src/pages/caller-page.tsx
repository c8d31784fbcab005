import type { AppointmentView, CallerCard } from '@ereg/shared';
import { type FormEvent, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, matchPath, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useCall } from '../app-context.ts';
// The waiting page
import { CallerQueue } from '../components/caller-queue.tsx';
// The standby list
import { CallerStandby } from '../components/caller-standby.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { NotInCall } from '../components/not-in-call.tsx';
import { maskedNumber, type NumberKind, PhoneNumberField, phoneProblem } from '../components/phone-number-field.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { callReasonText } from '../lib/book-words.ts';
import { describeError } from '../lib/error-messages.ts';
import { BASE, PATHS } from '../lib/paths.ts';
import { useShortcut } from '../lib/shortcuts.ts';

type Revealable = 'pesel' | 'phone' | 'landline';

/** One person of the call: name and birth date, masked details and their reveal, visits and changes. */
export function CallerPage() {
  const { pathname } = useLocation();
  const call = useCall();
  const patientId = matchPath(`${BASE}/caller/:patientId`, pathname)?.patientId ?? '';
  const person = call.people.find((p) => p.patientId === patientId);
  if (!person) return <NotInCall />;
  return <Caller person={person} />;
}

function Caller({ person }: { person: CallerCard }) {
  const { t, fmt } = useI18n();
  const name = `${person.givenName} ${person.familyName}`;
  return (
    <Page title={name}>
      <p className="caller-born">{t('caller.born', { birthDate: fmt.date(person.birthDate) })}</p>
      {person.registeredByPhone ? <p className="notice">{t('caller.registeredByPhone')}</p> : null}
      <Details person={person} />
      {/* The waiting page */}
      <CallerQueue person={person} />
      <Visits person={person} />
      {/* The standby list */}
      <CallerStandby person={person} />
      <ChangeContact person={person} />
    </Page>
  );
}

/** A value as the API masks it (`*******1234`, `+48 *** *** 200`), not yet shown. */
const isMasked = (value: string | null): value is string => value?.includes('*') ?? false;

/**
 * PESEL and phones masked, each shown on request (Alt+S the next one); every reveal is written to the
 * audit. What was shown stays on the person's card for the rest of the call, and takes the focus.
 */
function Details({ person }: { person: CallerCard }) {
  const { api } = useApp();
  const { t } = useI18n();
  const call = useCall();
  const [revealed, setRevealed] = useState<Revealable | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const values = useRef<Partial<Record<Revealable, HTMLElement | null>>>({});
  const fields: Revealable[] = ['pesel', 'phone', ...(person.landline ? (['landline'] as const) : [])];
  const hidden = fields.filter((field) => isMasked(person[field]));

  useLayoutEffect(() => {
    if (revealed) values.current[revealed]?.focus();
  }, [revealed]);

  const reveal = async (field: Revealable) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const { value } = await api.call('revealField', { params: { patientId: person.patientId }, body: { field } });
      call.update(
        field === 'pesel'
          ? { ...person, pesel: value ?? person.pesel }
          : field === 'phone'
            ? { ...person, phone: value }
            : { ...person, landline: value },
      );
      setRevealed(field);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const next = hidden[0];
  useShortcut('s', t('caller.details.shortcut'), () => next && void reveal(next), next !== undefined);

  return (
    <section aria-labelledby="caller-details-title">
      <h2 id="caller-details-title">{t('caller.details.title')}</h2>
      <p className="hint">{t('caller.details.audited')}</p>
      <dl className="caller-details">
        {fields.map((field) => {
          const value = person[field];
          return (
            <div key={field} className="caller-detail">
              <dt>{t(`caller.details.${field}`)}</dt>
              <dd>
                <span
                  className="caller-value"
                  tabIndex={-1}
                  ref={(element) => {
                    values.current[field] = element;
                  }}
                >
                  {value ?? t('caller.details.none')}
                </span>
                {isMasked(value) ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => void reveal(field)}
                    aria-label={t('caller.details.show', { field: t(`caller.details.${field}`) })}
                    aria-keyshortcuts={field === next ? 'Alt+S' : undefined}
                  >
                    {t('caller.details.showShort')}
                  </button>
                ) : null}
              </dd>
            </div>
          );
        })}
      </dl>
      <Status>{revealed ? t('caller.details.revealed') : null}</Status>
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}

type Action =
  | { kind: 'cancel'; visit: AppointmentView }
  | { kind: 'move'; visit: AppointmentView }
  | { kind: 'done'; message: string };

/** The person's visits, and what the agent may do with each: move, cancel, send the confirmation again. */
function Visits({ person }: { person: CallerCard }) {
  const { api } = useApp();
  const { t, fmt } = useI18n();
  const call = useCall();
  const router = useRouter();
  const reason = callReasonText(call.reason);
  const visits = useLoad(`visits-${person.patientId}`, () =>
    api.call('listAppointments', { params: { patientId: person.patientId }, ...(reason ? { query: { reason } } : {}) }),
  );
  const [action, setAction] = useState<Action | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const outcome = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (action?.kind === 'done' || error) outcome.current?.focus();
  }, [action, error]);

  const run = async (work: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const message = await work();
      setAction({ kind: 'done', message });
      visits.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const upcoming = visits.status === 'ready' ? visits.data.appointments.filter((v) => v.status === 'booked') : [];
  const first = upcoming[0];
  // Someone with only a landline gets no text: the agent reads the visit out instead.
  const texted = person.phone !== null;
  // A booking is offered to someone with no visit booked (the booking page says whether they may).
  const canBook = visits.status === 'failed' || (visits.status === 'ready' && !first);
  const resend = (visit: AppointmentView) =>
    void run(async () => {
      const sent = await api.call('resendConfirmation', {
        params: { appointmentId: visit.id },
        body: reason ? { reason } : {},
      });
      return t('caller.resend.done', { to: sent.sentTo });
    });
  useShortcut(
    'c',
    t('caller.visit.cancel'),
    () => first && setAction({ kind: 'cancel', visit: first }),
    Boolean(first),
  );
  useShortcut('m', t('caller.visit.move'), () => first && setAction({ kind: 'move', visit: first }), Boolean(first));
  useShortcut('t', t('caller.visit.resend'), () => first && resend(first), Boolean(first) && texted);
  useShortcut('b', t('caller.book'), () => router.navigate(PATHS.book(person.patientId)), canBook);

  const when = (visit: AppointmentView) => fmt.dateTime(visit.start, visit.centre.timeZone);

  return (
    <section aria-labelledby="caller-visits-title">
      <h2 id="caller-visits-title">{t('caller.visits.title')}</h2>
      {visits.status === 'loading' ? <Status>{t('caller.visits.loading')}</Status> : null}
      {visits.status === 'failed' ? <ErrorMessage error={visits.error} /> : null}
      {visits.status === 'ready' && visits.data.appointments.length === 0 ? <p>{t('caller.visits.none')}</p> : null}
      {visits.status === 'ready' && visits.data.appointments.length > 0 ? (
        <ul className="caller-visits">
          {visits.data.appointments.map((visit) => (
            <li key={visit.id} className="caller-visit">
              <p className="caller-visit-when">
                {t('caller.visit.dose', { dose: visit.dose })} · {when(visit)}
              </p>
              <p>
                {visit.centre.name}, {visit.centre.address.street}, {visit.centre.address.postalCode}{' '}
                {visit.centre.address.city}
              </p>
              <p>
                {t('caller.visit.reference', { reference: visit.reference })} ·{' '}
                {t(`caller.visit.status.${visit.status}`)}
              </p>
              {visit.status === 'booked' ? (
                <div className="caller-visit-actions">
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setAction({ kind: 'move', visit })}
                    aria-keyshortcuts={visit === first ? 'Alt+M' : undefined}
                  >
                    {t('caller.visit.move')}
                  </button>
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setAction({ kind: 'cancel', visit })}
                    aria-keyshortcuts={visit === first ? 'Alt+C' : undefined}
                  >
                    {t('caller.visit.cancel')}
                  </button>
                  {texted ? (
                    <button
                      type="button"
                      className="button button-secondary"
                      onClick={() => resend(visit)}
                      aria-keyshortcuts={visit === first ? 'Alt+T' : undefined}
                    >
                      {t('caller.visit.resend')}
                    </button>
                  ) : null}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {first && !texted ? <p className="notice">{t('caller.resend.landline')}</p> : null}
      {action?.kind === 'cancel' ? (
        <ConfirmCancel
          when={when(action.visit)}
          onKeep={() => setAction(null)}
          onConfirm={() =>
            void run(async () => {
              const answer = await api.call('cancel', {
                params: { appointmentId: action.visit.id },
                body: reason ? { reason } : {},
              });
              return t('caller.cancel.done', { count: answer.cancelled.length });
            })
          }
        />
      ) : null}
      {action?.kind === 'move' ? (
        <MoveVisit
          visit={action.visit}
          onCancel={() => setAction(null)}
          onMove={(slotId) =>
            void run(async () => {
              const answer = await api.call('reschedule', {
                params: { appointmentId: action.visit.id },
                body: { slotId, ...(reason ? { reason } : {}) },
              });
              const moved = answer.appointments[0];
              return t('caller.move.done', { when: moved ? when(moved) : '' });
            })
          }
        />
      ) : null}
      <div ref={outcome} tabIndex={-1} className="caller-outcome">
        {error ? <ErrorMessage error={error} /> : null}
        {action?.kind === 'done' ? <p className="notice">{action.message}</p> : null}
      </div>
      <Status>{busy ? t('caller.busy') : null}</Status>
      {/* After the outcome, so that a booking is the next stop when a visit was cancelled. */}
      {canBook ? (
        <p>
          <Link className="button button-primary" href={PATHS.book(person.patientId)} aria-keyshortcuts="Alt+B">
            {t('caller.book')} <kbd>Alt+B</kbd>
          </Link>
        </p>
      ) : null}
    </section>
  );
}

/** Cancelling a visit, confirmed: the confirmation takes the focus as it opens. */
function ConfirmCancel({ when, onConfirm, onKeep }: { when: string; onConfirm: () => void; onKeep: () => void }) {
  const { t } = useI18n();
  const confirm = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => confirm.current?.focus(), []);
  return (
    <section className="caller-confirm" aria-labelledby="caller-cancel-title">
      <h3 id="caller-cancel-title">{t('caller.cancel.title', { when })}</h3>
      <p>{t('caller.cancel.later')}</p>
      <button ref={confirm} type="button" className="button button-danger" onClick={onConfirm}>
        {t('caller.cancel.confirm')}
      </button>
      <button type="button" className="button button-secondary" onClick={onKeep}>
        {t('caller.keep')}
      </button>
    </section>
  );
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Another time at the same centre for the same product, from the next four weeks; later doses follow. */
function MoveVisit({
  visit,
  onMove,
  onCancel,
}: {
  visit: AppointmentView;
  onMove: (slotId: string) => void;
  onCancel: () => void;
}) {
  const { api, now } = useApp();
  const { t, fmt } = useI18n();
  const from = now().toISOString().slice(0, 10);
  const slots = useLoad(`move-${visit.id}`, () =>
    api.call('centreSlots', {
      params: { centreId: visit.centreId },
      query: { vaccineId: visit.vaccineId, from, to: addDays(from, 27) },
    }),
  );
  const list = useRef<HTMLUListElement>(null);
  useLayoutEffect(() => {
    if (slots.status === 'ready') list.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [slots.status]);
  const choices = slots.status === 'ready' ? slots.data.slots.filter((s) => s.start !== visit.start).slice(0, 12) : [];
  return (
    <section className="caller-confirm" aria-labelledby="caller-move-title">
      <h3 id="caller-move-title">{t('caller.move.title', { centre: visit.centre.name })}</h3>
      <p>{t('caller.move.later')}</p>
      {slots.status === 'loading' ? <Status>{t('caller.move.loading')}</Status> : null}
      {slots.status === 'failed' ? <ErrorMessage error={slots.error} /> : null}
      {slots.status === 'ready' && choices.length === 0 ? <p>{t('caller.move.none')}</p> : null}
      <ul ref={list} className="caller-slots">
        {choices.map((slot) => (
          <li key={slot.slotId}>
            <button type="button" className="button button-secondary" onClick={() => onMove(slot.slotId)}>
              {fmt.dateTime(slot.start, visit.centre.timeZone)}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="button button-secondary" onClick={onCancel}>
        {t('caller.keep')}
      </button>
    </section>
  );
}

/**
 * A new number to reach the person at (Alt+N): a mobile for text messages, or a landline, noted and
 * never texted. The new one replaces the other on the card; the outcome takes the focus.
 */
function ChangeContact({ person }: { person: CallerCard }) {
  const { api } = useApp();
  const { t, fmt } = useI18n();
  const call = useCall();
  const reason = callReasonText(call.reason);
  const [kind, setKind] = useState<NumberKind>('mobile');
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; message: MessageKey } | { kind: 'failed'; error: unknown }
  >({ kind: 'idle' });
  const field = useRef<HTMLInputElement>(null);
  const outcome = useRef<HTMLDivElement>(null);
  useShortcut('n', t('caller.contact.title'), () => field.current?.focus());

  useLayoutEffect(() => {
    if (state.kind === 'done' || state.kind === 'failed') outcome.current?.focus();
  }, [state]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wrong = phoneProblem(number);
    setProblem(wrong ? t(wrong) : null);
    if (wrong) field.current?.focus();
    if (wrong || state.kind === 'busy') return;
    setState({ kind: 'busy' });
    const given = number.trim();
    try {
      const { patient } = await api.call('updateContact', {
        params: { patientId: person.patientId },
        body: { ...(kind === 'mobile' ? { phone: given } : { landline: given }), ...(reason ? { reason } : {}) },
      });
      const masked = (value: string | null | undefined) =>
        value ? (isMasked(value) ? value : maskedNumber(value)) : null;
      call.update({ ...person, phone: masked(patient.phone), landline: masked(patient.landline) });
      setNumber('');
      setState({
        kind: 'done',
        message: kind === 'mobile' ? 'caller.contact.done.mobile' : 'caller.contact.done.landline',
      });
    } catch (error) {
      // A number of the wrong kind is said at the number, which takes the focus back.
      if (error instanceof ApiError && (error.field === 'phone' || error.field === 'landline')) {
        setProblem(describeError(error, t, fmt));
        setState({ kind: 'idle' });
        field.current?.focus();
      } else setState({ kind: 'failed', error });
    }
  };

  return (
    <form className="caller-contact" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="caller-contact-title">
      <h2 id="caller-contact-title">{t('caller.contact.title')}</h2>
      <PhoneNumberField
        id="caller-contact-number"
        legend={t('caller.contact.legend')}
        kind={kind}
        onKind={(chosen) => {
          setKind(chosen);
          setProblem(null);
        }}
        value={number}
        onValue={setNumber}
        error={problem}
        inputRef={field}
      />
      <button type="submit" className="button button-secondary" aria-disabled={state.kind === 'busy' || undefined}>
        {t('caller.contact.submit')}
      </button>
      <Status>{state.kind === 'busy' ? t('caller.busy') : null}</Status>
      <div ref={outcome} tabIndex={-1} className="caller-outcome">
        {state.kind === 'failed' ? <ErrorMessage error={state.error} /> : null}
        {state.kind === 'done' ? <p className="notice">{t(state.message)}</p> : null}
      </div>
    </form>
  );
}
