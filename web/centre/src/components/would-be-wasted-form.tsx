import type { DayList, WouldBeWastedResult } from '@ereg/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { useApp, useDesk, vaccineName } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { describeError } from '../lib/error-messages.ts';
import { clockIn } from '../lib/zoned-time.ts';
import { ErrorMessage } from './error-message.tsx';
import { walkInProducts } from './walk-in-form.tsx';

type Slots = DayList['slots'];
type WastedField = 'vaccineId' | 'doses' | 'until';

/** Whole doses, 1 to 200 (the API's limit). */
const DOSES = /^\d{1,3}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The end of the day's last slot of a product, on the centre's clock: when the doses are offered until, unless changed. */
function lastEnd(slots: Slots, vaccineId: string, timeZone: string): string {
  const ends = slots.filter((s) => s.vaccineId === vaccineId).map((s) => s.end);
  const last = ends.sort().at(-1);
  return last ? clockIn(new Date(last), timeZone) : '';
}

/**
 * Doses left today that would otherwise be wasted (an opened vial, a cancelled group): the product, how
 * many, until what time → the API gives every dose a place in the day's slots from now until then and
 * offers them at once to the standby list, people near the centre first. Says how many places went out.
 */
export function WouldBeWastedForm({ slots, onClose }: { slots: Slots; onClose: () => void }) {
  const { api, now, vaccines } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const products = walkInProducts(slots, now());
  const [vaccineId, setVaccineId] = useState(products[0] ?? '');
  const [doses, setDoses] = useState('');
  const [until, setUntil] = useState(() => lastEnd(slots, products[0] ?? '', centre.timeZone));
  const [problem, setProblem] = useState<{ field: WastedField; key: MessageKey } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<WouldBeWastedResult | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const count = Number(doses.trim());
    // 16.00 and 9:30 are written for 16:00 and 09:30.
    const time = until.trim().replace('.', ':').padStart(5, '0');
    const wrong: { field: WastedField; key: MessageKey } | null =
      vaccineId === ''
        ? { field: 'vaccineId', key: 'wasted.vaccineId.required' }
        : !DOSES.test(doses.trim()) || count < 1 || count > 200
          ? { field: 'doses', key: 'wasted.doses.invalid' }
          : !TIME.test(time)
            ? { field: 'until', key: 'wasted.until.invalid' }
            : null;
    setProblem(wrong);
    if (wrong) {
      document.getElementById(`${id}-${wrong.field}`)?.focus();
      return;
    }
    setBusy(true);
    api.call('wouldBeWasted', { params: { centreId: centre.id }, body: { vaccineId, doses: count, until: time } }).then(
      (answer) => {
        setBusy(false);
        setResult(answer);
        requestAnimationFrame(() => document.getElementById(`${id}-done`)?.focus());
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
        const field = failure instanceof ApiError ? failure.field : undefined;
        if (field) document.getElementById(`${id}-${field}`)?.focus();
      },
    );
  };

  const refused = error instanceof ApiError ? error : null;
  const errorOf = (field: WastedField): string | null =>
    problem?.field === field ? t(problem.key) : refused?.field === field ? describeError(refused, t, fmt) : null;

  if (result) {
    const offered = result.slots.reduce((n, s) => n + s.free, 0);
    return (
      <section className="walk-in" aria-labelledby={`${id}-done`} data-testid="wasted-done">
        <h2 id={`${id}-done`} tabIndex={-1}>
          {t.plural('wasted.done', offered)}
        </h2>
        <p>{t.plural('wasted.done.text', result.doses, { product: vaccineName(vaccines, result.vaccineId) })}</p>
        {result.placesAdded > 0 ? <p>{t.plural('wasted.done.added', result.placesAdded)}</p> : null}
        <ul className="wasted-slots">
          {result.slots.map((s) => (
            <li key={s.slotId}>{t.plural('wasted.done.slot', s.free, { time: s.localStart.slice(11, 16) })}</li>
          ))}
        </ul>
        <p className="hint">{t('wasted.done.next')}</p>
        <button type="button" className="button button-secondary button-wide" onClick={onClose}>
          {t('walkIn.done')}
        </button>
      </section>
    );
  }

  return (
    <section className="walk-in" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('wasted.title')}
      </h2>
      <p className="hint">{t('wasted.intro')}</p>
      <form onSubmit={submit} noValidate className="walk-in-form">
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
                  setUntil(lastEnd(slots, event.target.value, centre.timeZone));
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
        <Field id={`${id}-doses`} label={t('wasted.doses')} error={errorOf('doses')}>
          {(control) => (
            <input
              {...control}
              inputMode="numeric"
              autoComplete="off"
              maxLength={3}
              size={4}
              value={doses}
              onChange={(event) => setDoses(event.target.value)}
            />
          )}
        </Field>
        <Field id={`${id}-until`} label={t('wasted.until')} hint={t('wasted.until.hint')} error={errorOf('until')}>
          {(control) => (
            // Text, not the browser's time field: that one follows the browser's locale (04:00 PM), not the centre's clock.
            <input
              {...control}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              maxLength={5}
              size={6}
              value={until}
              onChange={(event) => setUntil(event.target.value)}
            />
          )}
        </Field>
        {error && !(refused?.field && ['vaccineId', 'doses', 'until'].includes(refused.field)) ? (
          <ErrorMessage error={error} />
        ) : null}
        <div className="action-row">
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? t('wasted.busy') : t('wasted.submit')}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t('form.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
