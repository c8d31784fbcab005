import type { RouteResponse } from '@ereg/shared';
import { type FormEvent, useId, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { useApp, useDesk } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { todayIn } from '../lib/day.ts';
import { describeManagerError, errorField } from '../lib/manager-errors.ts';
import { ManagerError } from './manager-error.tsx';

export type BatchView = RouteResponse<'listBatches'>['batches'][number];

/** The delivery's fields, as the API names them. */
type DeliveryField = 'vaccineId' | 'number' | 'expiry' | 'doses';
const FIELDS: readonly DeliveryField[] = ['vaccineId', 'number', 'expiry', 'doses'];

const LOT_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{1,29}$/;
const MAX_DOSES = 100_000;

const LABELS: Record<DeliveryField, MessageKey> = {
  vaccineId: 'batches.add.product',
  number: 'batches.add.number',
  expiry: 'batches.add.expiry',
  doses: 'batches.add.doses',
};

interface Delivery {
  vaccineId: string;
  number: string;
  expiry: string;
  doses: string;
}

/** The fields of a delivery to fix before it is sent, each with what is wrong. */
export function checkDelivery(delivery: Delivery, today: string): Partial<Record<DeliveryField, MessageKey>> {
  const problems: Partial<Record<DeliveryField, MessageKey>> = {};
  if (delivery.vaccineId === '') problems.vaccineId = 'batches.add.product.missing';
  if (!LOT_NUMBER.test(delivery.number.trim())) problems.number = 'manager.error.INVALID_LOT';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(delivery.expiry)) problems.expiry = 'batches.add.expiry.missing';
  else if (delivery.expiry < today) problems.expiry = 'manager.error.EXPIRY_PASSED';
  const doses = /^\d+$/.test(delivery.doses.trim()) ? Number(delivery.doses) : Number.NaN;
  if (!(doses >= 1 && doses <= MAX_DOSES)) problems.doses = 'manager.error.INVALID_DOSES';
  return problems;
}

const EMPTY: Delivery = { vaccineId: '', number: '', expiry: '', doses: '' };

/** The manager records a delivery: product, lot number, last day of use, doses; each mistake shown at its field. */
export function BatchesAddForm({ onAdded, onCancel }: { onAdded: (batch: BatchView) => void; onCancel: () => void }) {
  const { api, vaccines, now } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const [delivery, setDelivery] = useState<Delivery>(EMPTY);
  const [problems, setProblems] = useState<Partial<Record<DeliveryField, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const today = todayIn(centre.timeZone, now());

  const set = (field: DeliveryField, value: string) => {
    setDelivery((d) => ({ ...d, [field]: value }));
    setProblems((p) => ({ ...p, [field]: undefined }));
  };

  const focusFirst = (fields: Partial<Record<DeliveryField, unknown>>) => {
    const first = FIELDS.find((f) => fields[f]);
    if (first) document.getElementById(`${id}-${first}`)?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = checkDelivery(delivery, today);
    const named = Object.fromEntries(Object.entries(found).map(([f, key]) => [f, t(key)]));
    setProblems(named);
    setFailure(null);
    if (Object.keys(named).length > 0) {
      focusFirst(named);
      return;
    }
    setBusy(true);
    try {
      const batch = await api.call('addBatch', {
        params: { centreId: centre.id },
        body: {
          vaccineId: delivery.vaccineId,
          number: delivery.number.trim(),
          expiry: delivery.expiry,
          doses: Number(delivery.doses),
        },
      });
      setDelivery(EMPTY);
      onAdded(batch);
    } catch (error) {
      const field = errorField(error, { BATCH_EXISTS: 'number', EXPIRY_PASSED: 'expiry' });
      if (field && (FIELDS as readonly string[]).includes(field)) {
        setProblems({ [field]: describeManagerError(error, t, fmt) });
        focusFirst({ [field]: true });
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const control = (field: DeliveryField) => ({
    id: `${id}-${field}`,
    label: t(LABELS[field]),
    error: problems[field] ?? null,
  });

  return (
    <form className="manager-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('batches.add.title')}</h2>
      {failure ? <ManagerError error={failure} /> : null}
      <Field {...control('vaccineId')}>
        {(c) => (
          <select {...c} value={delivery.vaccineId} onChange={(e) => set('vaccineId', e.target.value)}>
            <option value="">{t('batches.add.product.choose')}</option>
            {vaccines.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field {...control('number')} hint={t('batches.add.number.hint')}>
        {(c) => (
          <input
            {...c}
            className="input-lot"
            value={delivery.number}
            onChange={(e) => set('number', e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={30}
          />
        )}
      </Field>
      <Field {...control('expiry')} hint={t('batches.add.expiry.hint')}>
        {(c) => (
          <input
            {...c}
            type="date"
            min={today}
            value={delivery.expiry}
            onChange={(e) => set('expiry', e.target.value)}
          />
        )}
      </Field>
      <Field {...control('doses')}>
        {(c) => (
          <input
            {...c}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_DOSES}
            value={delivery.doses}
            onChange={(e) => set('doses', e.target.value)}
          />
        )}
      </Field>
      <div className="action-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? t('manager.saving') : t('batches.add.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('manager.cancel')}
        </button>
      </div>
    </form>
  );
}
