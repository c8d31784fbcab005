import { type FormEvent, useId, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { useApp, useDesk, vaccineName } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { describeManagerError, errorField } from '../lib/manager-errors.ts';
import type { BatchView } from './batches-add-form.tsx';
import { ManagerError } from './manager-error.tsx';

/** The reasons a person gives for wasted doses (the API's WASTE_REASONS; `closed` is the system's own). */
export const WASTE_REASONS = ['broken', 'expired', 'temperature', 'drawn_not_given', 'other'] as const;
type WasteReason = (typeof WASTE_REASONS)[number];
const MAX_WASTED_AT_ONCE = 50;

const REASON_LABEL: Record<WasteReason, MessageKey> = {
  broken: 'batches.waste.reason.broken',
  expired: 'batches.waste.reason.expired',
  temperature: 'batches.waste.reason.temperature',
  drawn_not_given: 'batches.waste.reason.drawn_not_given',
  other: 'batches.waste.reason.somethingElse',
};

type WasteField = 'count' | 'reason' | 'note';

/** Doses of one batch logged as wasted, with the reason (and what happened, for `other`). */
function WasteForm({
  batch,
  onDone,
  onCancel,
}: {
  batch: BatchView;
  onDone: (batch: BatchView, count: number) => void;
  onCancel: () => void;
}) {
  const { api } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const [count, setCount] = useState('1');
  const [reason, setReason] = useState<WasteReason | ''>('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Partial<Record<WasteField, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const most = Math.min(MAX_WASTED_AT_ONCE, batch.remaining);

  const check = (): Partial<Record<WasteField, string>> => {
    const found: Partial<Record<WasteField, string>> = {};
    const n = /^\d+$/.test(count.trim()) ? Number(count) : Number.NaN;
    if (!(n >= 1 && n <= most)) found.count = t('batches.waste.count.range', { most });
    if (reason === '') found.reason = t('batches.waste.reason.missing');
    if (reason === 'other' && note.trim().length < 3) found.note = t('manager.error.NOTE_REQUIRED');
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = check();
    setProblems(found);
    setFailure(null);
    const first = (['count', 'reason', 'note'] as const).find((f) => found[f]);
    if (first || reason === '') {
      if (first) document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const wasted = Number(count);
      const updated = await api.call('wasteDoses', {
        params: { centreId: centre.id, batchId: batch.id },
        body: { count: wasted, reason, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      onDone(updated, wasted);
    } catch (error) {
      const field = errorField(error);
      if (field === 'count' || field === 'reason' || field === 'note') {
        setProblems({ [field]: describeManagerError(error, t, fmt) });
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="batch-panel" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('batches.waste.title', { number: batch.number })}</h3>
      {failure ? <ManagerError error={failure} /> : null}
      <Field id={`${id}-count`} label={t('batches.waste.count')} error={problems.count ?? null}>
        {(c) => (
          <input
            {...c}
            type="number"
            inputMode="numeric"
            min={1}
            max={most}
            value={count}
            onChange={(e) => setCount(e.target.value)}
          />
        )}
      </Field>
      <Field id={`${id}-reason`} label={t('batches.waste.reason')} error={problems.reason ?? null}>
        {(c) => (
          <select {...c} value={reason} onChange={(e) => setReason(e.target.value as WasteReason | '')}>
            <option value="">{t('batches.waste.reason.choose')}</option>
            {WASTE_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(REASON_LABEL[r])}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={`${id}-note`}
        label={t('batches.waste.note')}
        hint={t('batches.waste.note.hint')}
        error={problems.note ?? null}
      >
        {(c) => <input {...c} value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} />}
      </Field>
      <div className="action-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? t('manager.saving') : t('batches.waste.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('manager.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The manager closes a batch: what is left in it is logged as wasted, after one more tap to confirm. */
function CloseConfirm({
  batch,
  onDone,
  onCancel,
}: {
  batch: BatchView;
  onDone: (batch: BatchView) => void;
  onCancel: () => void;
}) {
  const { api } = useApp();
  const { centre } = useDesk();
  const { t } = useI18n();
  const id = useId();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const close = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      onDone(await api.call('closeBatch', { params: { centreId: centre.id, batchId: batch.id } }));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="batch-panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('batches.close.title', { number: batch.number })}</h3>
      <p>{t.plural('batches.close.text', batch.remaining)}</p>
      {failure ? <ManagerError error={failure} /> : null}
      <div className="action-row">
        <button type="button" className="button button-danger" onClick={close} aria-disabled={busy || undefined}>
          {busy ? t('manager.saving') : t('batches.close.confirm')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('batches.close.keep')}
        </button>
      </div>
    </section>
  );
}

/**
 * One batch: the product, lot, last day of use and doses left; logging wasted doses (anyone at the
 * desk) and closing it (the manager) open below it.
 */
export function BatchesCard({
  batch,
  manager,
  onChanged,
}: {
  batch: BatchView;
  manager: boolean;
  onChanged: (batch: BatchView, done: string) => void;
}) {
  const { vaccines } = useApp();
  const { t, fmt } = useI18n();
  const [open, setOpen] = useState<'waste' | 'close' | null>(null);
  const active = batch.status === 'active';
  const product = vaccineName(vaccines, batch.vaccineId);
  return (
    <li className={`batch${batch.expired ? ' batch-expired' : ''}`}>
      <div className="batch-head">
        <span className="batch-product">{product}</span>
        <span className="batch-lot">{t('batches.lot', { number: batch.number })}</span>
        {active && batch.expired ? <span className="badge badge-warning">{t('batches.expired')}</span> : null}
        {!active ? <span className="badge">{t('batches.depleted')}</span> : null}
      </div>
      <dl className="batch-facts">
        <div>
          <dt>{t('batches.expiry')}</dt>
          <dd>{fmt.date(batch.expiry)}</dd>
        </div>
        <div>
          <dt>{t('batches.left')}</dt>
          <dd>
            <span className="batch-left">{batch.remaining}</span> {t('batches.ofDelivered', { doses: batch.doses })}
          </dd>
        </div>
        <div>
          <dt>{t('batches.wasted')}</dt>
          <dd>{batch.wasted}</dd>
        </div>
      </dl>
      {active && open === null ? (
        <div className="action-row">
          <button type="button" className="button button-secondary" onClick={() => setOpen('waste')}>
            {t('batches.waste.open')}
            <span className="visually-hidden"> {t('batches.lot', { number: batch.number })}</span>
          </button>
          {manager ? (
            <button type="button" className="button button-secondary" onClick={() => setOpen('close')}>
              {t('batches.close.open')}
              <span className="visually-hidden"> {t('batches.lot', { number: batch.number })}</span>
            </button>
          ) : null}
        </div>
      ) : null}
      {open === 'waste' ? (
        <WasteForm
          batch={batch}
          onCancel={() => setOpen(null)}
          onDone={(updated, count) => {
            setOpen(null);
            onChanged(updated, t.plural('batches.waste.done', count, { number: batch.number }));
          }}
        />
      ) : null}
      {open === 'close' ? (
        <CloseConfirm
          batch={batch}
          onCancel={() => setOpen(null)}
          onDone={(updated) => {
            setOpen(null);
            onChanged(updated, t('batches.close.done', { number: batch.number }));
          }}
        />
      ) : null}
    </li>
  );
}
