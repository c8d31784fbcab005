import type { StandbyWishes } from '@ereg/shared';
import { type FormEvent, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { formatDateField } from '../../../shared/src/date-field.ts';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { describeError } from '../lib/error-messages.ts';
import { COUNTRY_ZONE, localDateOf } from '../lib/local-date.ts';
import { addDays } from '../lib/search-params.ts';
import {
  checkForm,
  type StandbyForm as Form,
  initialForm,
  lastSearchPostalCode,
  STANDBY_DISTANCES,
  STANDBY_MAX_DAYS,
  type StandbyBody,
  type StandbyField,
  type StandbyProblem,
} from '../lib/standby.ts';
import { ErrorMessage } from './error-message.tsx';

const FIELDS: readonly StandbyField[] = ['from', 'to', 'postalCode', 'maxKm', 'vaccineIds'];

/**
 * What places a person would take: the dates they can come (as their language writes dates), a postal
 * code (the last search's, when there was one) and how far from it, and the products (none ticked: any
 * their course allows). A field refused — here or by the API — is said at the field and takes the focus.
 */
export function StandbyForm(props: {
  wishes: StandbyWishes | null;
  lastSearch: string | null;
  submitLabel: string;
  onSubmit: (body: StandbyBody) => Promise<unknown>;
  onCancel: (() => void) | null;
}) {
  const { now, vaccines } = useApp();
  const { t, fmt, language } = useI18n();
  const today = localDateOf(now(), COUNTRY_ZONE);
  const [form, setForm] = useState<Form>(() =>
    initialForm(props.wishes, today, language, lastSearchPostalCode(props.lastSearch)),
  );
  const [problems, setProblems] = useState<StandbyProblem[]>([]);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const focusOn = useRef<StandbyField | null>(null);
  const generalError = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const field = focusOn.current;
    if (!field) return;
    focusOn.current = null;
    const element = document.getElementById(`standby-${field}`);
    element?.focus();
    (element?.closest('.field, fieldset') ?? element)?.scrollIntoView?.({ block: 'nearest' });
  });

  const set = <K extends keyof Form>(name: K, value: Form[K]) => {
    setForm((all) => ({ ...all, [name]: value }));
    setProblems((all) => all.filter((p) => p.field !== name));
  };

  const pattern = t('date.pattern');
  const example = formatDateField(addDays(today, 7), language);
  const localProblem = (field: StandbyField): string | null => {
    const found = problems.find((p) => p.field === field);
    if (!found) return null;
    switch (found.problem) {
      case 'required':
        return t(`standby.form.${field as 'from' | 'to' | 'postalCode'}.required`);
      case 'format':
        return t('standby.form.date.invalid', { pattern, example });
      case 'noSuchDay':
        return t('search.from.noSuchDay');
      case 'past':
        return t('standby.form.to.past');
      case 'reversed':
        return t('standby.form.to.reversed');
      case 'tooLong':
        return t('standby.form.to.tooLong', { days: STANDBY_MAX_DAYS });
      case 'invalid':
        return t('search.postalCode.invalid');
    }
  };
  const apiField = refusal instanceof ApiError && FIELDS.includes(refusal.field as StandbyField) ? refusal.field : null;
  const errorOf = (field: StandbyField): string | null =>
    localProblem(field) ?? (apiField === field ? describeError(refusal, t, fmt) : null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setRefusal(null);
    const checked = checkForm(form, today);
    if (!checked.ok) {
      setProblems(checked.problems);
      focusOn.current = checked.problems[0]?.field ?? null;
      return;
    }
    setProblems([]);
    setBusy(true);
    props.onSubmit(checked.body).then(
      () => setBusy(false),
      (failure: unknown) => {
        setBusy(false);
        setRefusal(failure);
        const field = failure instanceof ApiError ? failure.field : undefined;
        if (field && FIELDS.includes(field as StandbyField)) focusOn.current = field as StandbyField;
        else requestAnimationFrame(() => generalError.current?.focus());
      },
    );
  };

  const dateInput = (field: 'from' | 'to') => (
    <Field
      id={`standby-${field}`}
      label={t(`standby.form.${field}`)}
      hint={t('standby.form.date.hint', { pattern, example })}
      error={errorOf(field)}
    >
      {(control) => (
        <input
          {...control}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          maxLength={14}
          size={12}
          value={form[field]}
          onChange={(event) => set(field, event.target.value)}
        />
      )}
    </Field>
  );

  const productsError = errorOf('vaccineIds');
  return (
    <form className="standby-form" noValidate onSubmit={submit} aria-label={t('standby.form.label')}>
      <div className="standby-dates">
        {dateInput('from')}
        {dateInput('to')}
      </div>
      <div className="standby-where">
        <Field
          id="standby-postalCode"
          label={t('standby.form.postalCode')}
          hint={t('standby.form.postalCode.hint')}
          error={errorOf('postalCode')}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="numeric"
              autoComplete="postal-code"
              maxLength={6}
              size={8}
              value={form.postalCode}
              onChange={(event) => set('postalCode', event.target.value)}
            />
          )}
        </Field>
        <Field id="standby-maxKm" label={t('standby.form.maxKm')} error={errorOf('maxKm')}>
          {(control) => (
            <select {...control} value={form.maxKm} onChange={(event) => set('maxKm', event.target.value)}>
              {STANDBY_DISTANCES.map((km) => (
                <option key={km} value={String(km)}>
                  {t('search.radius.option', { km })}
                </option>
              ))}
              {STANDBY_DISTANCES.some((km) => String(km) === form.maxKm) ? null : (
                <option value={form.maxKm}>{t('search.radius.option', { km: form.maxKm })}</option>
              )}
            </select>
          )}
        </Field>
      </div>
      <fieldset
        className={productsError ? 'standby-products field-invalid' : 'standby-products'}
        aria-describedby={productsError ? 'standby-vaccineIds-error standby-products-hint' : 'standby-products-hint'}
      >
        <legend>{t('standby.form.products')}</legend>
        <p id="standby-products-hint" className="hint">
          {t('standby.form.products.hint')}
        </p>
        {productsError ? (
          <p id="standby-vaccineIds-error" className="field-error">
            {productsError}
          </p>
        ) : null}
        {vaccines.map((vaccine, index) => (
          <label key={vaccine.id} className="check">
            <input
              type="checkbox"
              id={index === 0 ? 'standby-vaccineIds' : undefined}
              checked={form.vaccineIds.includes(vaccine.id)}
              onChange={(event) =>
                set(
                  'vaccineIds',
                  event.target.checked
                    ? [...form.vaccineIds, vaccine.id]
                    : form.vaccineIds.filter((id) => id !== vaccine.id),
                )
              }
            />{' '}
            {vaccine.name}
          </label>
        ))}
      </fieldset>
      <div ref={generalError} tabIndex={-1}>
        {refusal && !apiField ? <ErrorMessage error={refusal} /> : null}
      </div>
      <div className="action-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? t('standby.form.busy') : props.submitLabel}
        </button>
        {props.onCancel ? (
          <button type="button" className="button button-secondary" onClick={props.onCancel}>
            {t('standby.form.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
