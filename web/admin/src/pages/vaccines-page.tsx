import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import type { AdminVaccine, AffectedVisit } from '../api.ts';
import { useApp } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loaded } from '../components/loaded.tsx';
import { ScrollTable } from '../components/scroll-table.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { instantText } from '../lib/words.ts';

const NUMBERS = ['doses', 'minIntervalDays', 'maxIntervalDays', 'recommendedIntervalDays', 'minAgeYears'] as const;
type NumberKey = (typeof NUMBERS)[number];
const LABELS: Record<NumberKey, MessageKey> = {
  doses: 'vaccines.doses',
  minIntervalDays: 'vaccines.minInterval',
  maxIntervalDays: 'vaccines.maxInterval',
  recommendedIntervalDays: 'vaccines.recommended',
  minAgeYears: 'vaccines.minAge',
};

/** Editing one product: its figures, then its impact on booked visits, then saving it acknowledged. */
function EditVaccine({
  vaccine,
  all,
  onSaved,
  onCancel,
}: {
  vaccine: AdminVaccine;
  all: AdminVaccine[];
  onSaved: (name: string) => void;
  onCancel: () => void;
}) {
  const { admin } = useApp();
  const { t, language } = useI18n();
  const [figures, setFigures] = useState<Record<NumberKey, string>>(
    () => Object.fromEntries(NUMBERS.map((k) => [k, String(vaccine[k] ?? '')])) as Record<NumberKey, string>,
  );
  const [booster, setBooster] = useState(vaccine.usableAsBooster);
  const [withdrawn, setWithdrawn] = useState(vaccine.withdrawn ?? false);
  const [mayFollow, setMayFollow] = useState<string[]>(vaccine.mayFollow ?? []);
  const [impact, setImpact] = useState<{ affected: AffectedVisit[]; total: number } | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [invalid, setInvalid] = useState<NumberKey[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const changed = (next: () => void) => {
    next();
    setImpact(null);
    setAcknowledged(false);
  };
  const edited = (): AdminVaccine | null => {
    const bad = NUMBERS.filter(
      (k) => !/^\d{1,4}$/.test(figures[k].trim()) && !(k === 'recommendedIntervalDays' && figures[k].trim() === ''),
    );
    setInvalid(bad);
    if (bad.length > 0) return null;
    const value = (k: NumberKey) => Number(figures[k].trim());
    return {
      ...vaccine,
      doses: value('doses'),
      minIntervalDays: value('minIntervalDays'),
      maxIntervalDays: value('maxIntervalDays'),
      minAgeYears: value('minAgeYears'),
      ...(figures.recommendedIntervalDays.trim() ? { recommendedIntervalDays: value('recommendedIntervalDays') } : {}),
      usableAsBooster: booster,
      mayFollow,
      withdrawn,
    };
  };
  const check = (event: FormEvent) => {
    event.preventDefault();
    const next = edited();
    if (!next) return;
    setBusy(true);
    setError(null);
    admin.vaccineImpact(next).then(
      (answer) => {
        setBusy(false);
        setImpact(answer);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };
  const save = () => {
    const next = edited();
    if (!next || !impact) return;
    setBusy(true);
    setError(null);
    admin.saveVaccine(next, impact.total).then(
      () => onSaved(vaccine.name),
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };
  return (
    <form className="panel" onSubmit={check} aria-labelledby="vaccine-editing" noValidate>
      <h2 id="vaccine-editing">{t('vaccines.editing', { name: vaccine.name })}</h2>
      <div className="field-row">
        {NUMBERS.map((k) => (
          <Field
            key={k}
            id={`vaccine-${k}`}
            label={t(LABELS[k])}
            error={invalid.includes(k) ? t('vaccines.numberInvalid') : null}
          >
            {(control) => (
              <input
                {...control}
                inputMode="numeric"
                size={5}
                value={figures[k]}
                onChange={(e) => changed(() => setFigures((f) => ({ ...f, [k]: e.target.value })))}
              />
            )}
          </Field>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" checked={booster} onChange={(e) => changed(() => setBooster(e.target.checked))} />{' '}
        {t('vaccines.usableAsBooster')}
      </label>
      <label className="check">
        <input type="checkbox" checked={withdrawn} onChange={(e) => changed(() => setWithdrawn(e.target.checked))} />{' '}
        {t('vaccines.withdrawn')}
      </label>
      <fieldset>
        <legend>{t('vaccines.mayFollow')}</legend>
        {all
          .filter((v) => v.id !== vaccine.id)
          .map((v) => (
            <label key={v.id} className="check">
              <input
                type="checkbox"
                checked={mayFollow.includes(v.id)}
                onChange={(e) =>
                  changed(() => setMayFollow((m) => (e.target.checked ? [...m, v.id] : m.filter((id) => id !== v.id))))
                }
              />{' '}
              {v.name}
            </label>
          ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy && !impact ? t('vaccines.checking') : t('vaccines.checkImpact')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
      {impact ? (
        <section aria-labelledby="vaccine-impact">
          <h3 id="vaccine-impact">
            {impact.total === 0 ? t('vaccines.impactNone') : t('vaccines.impact', { total: impact.total })}
          </h3>
          {impact.affected.length > 0 ? (
            <ScrollTable labelledBy="vaccine-impact">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('vaccines.visit')}</th>
                    <th scope="col">{t('vaccines.centre')}</th>
                    <th scope="col">{t('vaccines.start')}</th>
                    <th scope="col">{t('vaccines.dose')}</th>
                    <th scope="col">{t('vaccines.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.affected.map((a) => (
                    <tr key={a.appointmentId}>
                      <th scope="row">{a.bookingReference ?? a.appointmentId}</th>
                      <td>{a.centreName}</td>
                      <td>{instantText(a.start, language)}</td>
                      <td>{a.dose}</td>
                      <td>{t(`problem.${a.problem}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          ) : null}
          {impact.total > 0 ? (
            <label className="check">
              <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />{' '}
              {t('vaccines.acknowledge', { total: impact.total })}
            </label>
          ) : null}
          <button
            type="button"
            className="button button-primary"
            disabled={busy || (impact.total > 0 && !acknowledged)}
            onClick={save}
          >
            {t('vaccines.save')}
          </button>
        </section>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </form>
  );
}

/** The vaccine catalogue: every product, and editing one with its impact on visits already booked. */
export function VaccinesPage() {
  const { admin } = useApp();
  const { t } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const vaccines = useLoad('admin-vaccines', () => admin.vaccines());
  return (
    <Page title={t('vaccines.title')}>
      {notice ? <Status>{notice}</Status> : null}
      <Loaded load={vaccines}>
        {(data) =>
          data.vaccines.length === 0 ? (
            <p>{t('vaccines.empty')}</p>
          ) : (
            <>
              <ScrollTable labelledBy="vaccines-table">
                <table>
                  <caption id="vaccines-table">{t('vaccines.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('vaccines.name')}</th>
                      <th scope="col">{t('vaccines.doses')}</th>
                      <th scope="col">{t('vaccines.interval')}</th>
                      <th scope="col">{t('vaccines.minAge')}</th>
                      <th scope="col">{t('vaccines.booster')}</th>
                      <th scope="col">{t('vaccines.state')}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t('ann.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.vaccines.map((v) => (
                      <tr key={v.id}>
                        <th scope="row">{v.name}</th>
                        <td>{v.doses}</td>
                        <td>
                          {v.minIntervalDays}–{v.maxIntervalDays}
                        </td>
                        <td>{v.minAgeYears}</td>
                        <td>{v.usableAsBooster ? '✓' : t('none')}</td>
                        <td>{v.withdrawn ? t('vaccines.withdrawnState') : t('vaccines.available')}</td>
                        <td>
                          <button type="button" className="button" onClick={() => setEditing(v.id)}>
                            {t('vaccines.edit', { name: v.name })}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
              {editing
                ? (() => {
                    const vaccine = data.vaccines.find((v) => v.id === editing);
                    return vaccine ? (
                      <EditVaccine
                        key={vaccine.id}
                        vaccine={vaccine}
                        all={data.vaccines}
                        onCancel={() => setEditing(null)}
                        onSaved={(name) => {
                          setEditing(null);
                          setNotice(t('vaccines.saved', { name }));
                          vaccines.reload();
                        }}
                      />
                    ) : null;
                  })()
                : null}
            </>
          )
        }
      </Loaded>
    </Page>
  );
}
