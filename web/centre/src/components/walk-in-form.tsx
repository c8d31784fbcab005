import type { DayList, RouteResponse } from '@ereg/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError, NETWORK_ERROR, newIdempotencyKey } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { useApp, useDesk, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import type { Visit } from '../lib/day.ts';
import { useDeskSync } from '../lib/desk-sync.ts';
import { describeError } from '../lib/error-messages.ts';
import { localStartIn } from '../lib/zoned-time.ts';
import { ErrorMessage } from './error-message.tsx';
import { VisitActions } from './visit-actions.tsx';

type Slots = DayList['slots'];
type WalkIn = RouteResponse<'walkIn'>;
type WalkInField = 'pesel' | 'givenName' | 'familyName' | 'phone' | 'vaccineId';

/** The products of the day's slots, the one of a slot running now first: what a walk-in can be booked for. */
export function walkInProducts(slots: Slots, now: Date): string[] {
  const at = now.getTime();
  const running = slots.filter((s) => Date.parse(s.start) <= at && at < Date.parse(s.end)).map((s) => s.vaccineId);
  const all = slots.map((s) => s.vaccineId);
  return [...new Set([...running, ...all])];
}

/** The visit a walk-in booked, as the day list shows a visit. */
function visitOf(answer: WalkIn, timeZone: string): Visit {
  const a = answer.appointment;
  return {
    appointmentId: a.id,
    reference: a.reference,
    localStart: localStartIn(new Date(a.start), timeZone),
    status: a.status,
    vaccineId: a.vaccineId,
    dose: a.dose,
    checkedInAt: a.checkedInAt,
    completion: a.completion,
    corrections: a.corrections ?? [],
    notGiven: a.notGiven ?? null,
    updatedAt: a.updatedAt,
    identityCheck: null,
    patient: { ...answer.patient, phone: null },
  };
}

/** A PESEL as typed: 11 digits (spaces allowed); the API checks the date and checksum. */
const PESEL = /^\d{11}$/;

/**
 * A person who came without a booking: PESEL and names from the identity document, a mobile if they
 * give one, the product → booked into the slot running now and checked in, in one step (the API's
 * walk-in). Needs the network: the booking takes a place in a slot. The visit booked is shown with
 * its recording form, and joins the list.
 */
export function WalkInForm({
  slots,
  onBooked,
  onClose,
}: {
  slots: Slots;
  onBooked: (visit: Visit) => void;
  onClose: () => void;
}) {
  const { api, now, vaccines } = useApp();
  const { centre } = useDesk();
  const desk = useDeskSync();
  const { t, fmt, language } = useI18n();
  const id = useId();
  const products = walkInProducts(slots, now());
  const [values, setValues] = useState({ pesel: '', givenName: '', familyName: '', phone: '' });
  const [vaccineId, setVaccineId] = useState(products[0] ?? '');
  const [problem, setProblem] = useState<WalkInField | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<Visit | null>(null);
  // One key per person asked for: sent again after a lost answer, the API books once.
  const key = useRef(newIdempotencyKey());
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const edit = (name: keyof typeof values, value: string) => {
    setValues((all) => ({ ...all, [name]: value }));
    key.current = newIdempotencyKey();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const pesel = values.pesel.replace(/\s/g, '');
    const wrong: WalkInField | null = !PESEL.test(pesel)
      ? 'pesel'
      : values.givenName.trim() === ''
        ? 'givenName'
        : values.familyName.trim() === ''
          ? 'familyName'
          : vaccineId === ''
            ? 'vaccineId'
            : null;
    setProblem(wrong);
    if (wrong) {
      document.getElementById(`${id}-${wrong}`)?.focus();
      return;
    }
    setBusy(true);
    api
      .call('walkIn', {
        params: { centreId: centre.id },
        body: {
          pesel,
          givenName: values.givenName.trim(),
          familyName: values.familyName.trim(),
          vaccineId,
          language,
          ...(values.phone.trim() ? { phone: values.phone.trim() } : {}),
        },
        headers: { 'Idempotency-Key': key.current },
      })
      .then(
        (answer) => {
          setBusy(false);
          const visit = visitOf(answer, centre.timeZone);
          setBooked(visit);
          onBooked(visit);
          requestAnimationFrame(() => document.getElementById(`${id}-booked`)?.focus());
        },
        (failure: unknown) => {
          setBusy(false);
          setError(failure);
          // Asked again after a lost answer, the same key; after a refusal, the next try is a new request.
          if (!(failure instanceof ApiError && failure.code === NETWORK_ERROR)) key.current = newIdempotencyKey();
          const field = failure instanceof ApiError ? failure.field : undefined;
          if (field) document.getElementById(`${id}-${field}`)?.focus();
        },
      );
  };

  const errorOf = (name: WalkInField): string | null => {
    if (problem === name) return t(`walkIn.${name}.required`);
    return error instanceof ApiError && error.field === name ? describeError(error, t, fmt) : null;
  };
  const fieldNamed =
    error instanceof ApiError && ['pesel', 'givenName', 'familyName', 'phone', 'vaccineId'].includes(error.field ?? '');

  if (booked) {
    return (
      <section className="walk-in" aria-labelledby={`${id}-booked`}>
        <h2 id={`${id}-booked`} tabIndex={-1}>
          {t('walkIn.booked', { name: `${booked.patient.givenName} ${booked.patient.familyName}` })}
        </h2>
        <p>
          {t('walkIn.booked.text', {
            time: booked.localStart.slice(11, 16),
            product: t('visit.dose', { vaccine: vaccineName(vaccines, booked.vaccineId), dose: booked.dose }),
          })}
        </p>
        <VisitActions visit={desk.view(booked)} />
        <button type="button" className="button button-secondary button-wide" onClick={onClose}>
          {t('walkIn.done')}
        </button>
      </section>
    );
  }

  return (
    <section className="walk-in" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('walkIn.title')}
      </h2>
      <p className="hint">{t('walkIn.intro')}</p>
      {!desk.online ? <p className="notice notice-warning">{t('walkIn.offline')}</p> : null}
      <form onSubmit={submit} noValidate className="walk-in-form">
        <Field id={`${id}-pesel`} label={t('walkIn.pesel')} error={errorOf('pesel')}>
          {(control) => (
            <input
              {...control}
              inputMode="numeric"
              autoComplete="off"
              maxLength={13}
              value={values.pesel}
              onChange={(event) => edit('pesel', event.target.value)}
            />
          )}
        </Field>
        <Field id={`${id}-givenName`} label={t('walkIn.givenName')} error={errorOf('givenName')}>
          {(control) => (
            <input
              {...control}
              autoComplete="off"
              maxLength={100}
              value={values.givenName}
              onChange={(event) => edit('givenName', event.target.value)}
            />
          )}
        </Field>
        <Field id={`${id}-familyName`} label={t('walkIn.familyName')} error={errorOf('familyName')}>
          {(control) => (
            <input
              {...control}
              autoComplete="off"
              maxLength={100}
              value={values.familyName}
              onChange={(event) => edit('familyName', event.target.value)}
            />
          )}
        </Field>
        <Field id={`${id}-phone`} label={t('walkIn.phone')} hint={t('walkIn.phone.hint')} error={errorOf('phone')}>
          {(control) => (
            <input
              {...control}
              type="tel"
              inputMode="tel"
              autoComplete="off"
              maxLength={30}
              value={values.phone}
              onChange={(event) => edit('phone', event.target.value)}
            />
          )}
        </Field>
        {products.length === 0 ? (
          <p className="notice notice-warning">{t('walkIn.noSlotsToday')}</p>
        ) : (
          <Field id={`${id}-vaccineId`} label={t('walkIn.product')} error={errorOf('vaccineId')}>
            {(control) => (
              <select
                {...control}
                value={vaccineId}
                onChange={(event) => {
                  setVaccineId(event.target.value);
                  key.current = newIdempotencyKey();
                }}
              >
                {products.map((p) => (
                  <option key={p} value={p}>
                    {vaccineName(vaccines, p)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {error && !fieldNamed ? <ErrorMessage error={error} /> : null}
        <div className="action-row">
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? t('walkIn.busy') : t('walkIn.submit')}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t('form.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
