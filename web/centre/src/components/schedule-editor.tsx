import type { CentreSchedule, RouteResponse, Weekday } from '@ereg/shared';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { useApp, useDesk } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { todayIn } from '../lib/day.ts';
import { describeManagerError } from '../lib/manager-errors.ts';
import {
  checkScheduleForm,
  type FormProblem,
  formOf,
  MAX_CAPACITY,
  MAX_RANGES_PER_DAY,
  newRowKey,
  type ScheduleForm,
  SLOT_MINUTES,
  sameSchedule,
  scheduleFieldPath,
  scheduleOf,
  WEEK,
} from '../lib/schedule-form.ts';
import { ManagerError } from './manager-error.tsx';
import type { CancelledVisit } from './schedule-cancelled-list.tsx';
import { ScheduleHours } from './schedule-hours.tsx';
import { SchedulePreview } from './schedule-preview.tsx';

type Preview = RouteResponse<'previewSchedule'>;
export type ScheduleSaved = RouteResponse<'putSchedule'>;

const PROBLEM_TEXT: Record<FormProblem, MessageKey> = {
  required: 'schedule.problem.required',
  order: 'schedule.problem.order',
  overlap: 'schedule.problem.overlap',
  slotLength: 'schedule.problem.slotLength',
  capacity: 'schedule.problem.capacity',
  noCapacity: 'schedule.problem.noCapacity',
};

/** A Monday (5 January 2026): the weekdays' names are read from the days after it. */
const MONDAY = Date.UTC(2026, 0, 5, 12);

/** The weekday's name in the language ("poniedziałek", "Monday", "понеділок"). */
export function weekdayName(day: Weekday, locale: string): string {
  const date = new Date(MONDAY + WEEK.indexOf(day) * 86_400_000);
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(date);
}

/** The id of a form field by its API path, so that a problem can move focus to it. */
const fieldIdOf = (path: string) => `schedule-${path.replaceAll('.', '-')}`;

/**
 * The centre's schedule as a form: opening hours per weekday, slot length and places per product,
 * closed dates and extra hours. "Preview" asks the API what the change would do; saving is offered
 * only for the previewed form, and a change that cancels visits only once the manager has ticked that
 * they agree (the ids are sent as `confirmCancellations`; without them the API cancels nothing).
 */
export function ScheduleEditor({
  saved,
  notice,
  onSaved,
}: {
  saved: CentreSchedule;
  /** What the last save did, shown where the manager saved it. */
  notice: string | null;
  onSaved: (result: ScheduleSaved) => void;
}) {
  const { api, vaccines, now } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const previewTitle = useRef<HTMLHeadingElement>(null);
  const previewButton = useRef<HTMLButtonElement>(null);
  const [form, setForm] = useState<ScheduleForm>(() =>
    formOf(
      saved,
      vaccines.map((v) => v.id),
    ),
  );
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const [failure, setFailure] = useState<unknown>(null);
  const [previewing, setPreviewing] = useState(false);
  const [preview, setPreview] = useState<{ schedule: CentreSchedule; data: Preview } | null>(null);
  const today = todayIn(centre.timeZone, now());

  // Saved: the form starts again from the saved schedule, and focus comes back to where the save is reported.
  const savedOnMount = useRef(notice !== null);
  useEffect(() => {
    if (savedOnMount.current) previewButton.current?.focus();
  }, []);

  const products = useMemo(
    () => [...new Set([...vaccines.map((v) => v.id), ...Object.keys(form.capacity)])],
    [vaccines, form.capacity],
  );
  const productName = (productId: string) => vaccines.find((v) => v.id === productId)?.name ?? productId;
  const current = useMemo(() => scheduleOf(form), [form]);
  const stale = preview !== null && !sameSchedule(preview.schedule, current);

  const errorOf = (path: string) => problems.get(path) ?? null;
  const edit = (change: (form: ScheduleForm) => ScheduleForm) => {
    setForm(change);
    setProblems(new Map());
  };
  const focusField = (path: string) => {
    const groups = [...(formRef.current?.querySelectorAll<HTMLElement>('[data-path]') ?? [])];
    const found = document.getElementById(fieldIdOf(path)) ?? groups.find((g) => g.dataset.path === path);
    found?.focus();
  };

  const setDay = (day: Weekday, rows: ScheduleForm['days'][Weekday]) =>
    edit((f) => ({ ...f, days: { ...f.days, [day]: rows } }));

  const askPreview = async (event: FormEvent) => {
    event.preventDefault();
    if (previewing) return;
    const found = checkScheduleForm(form);
    setFailure(null);
    if (found.size > 0) {
      setProblems(new Map([...found].map(([path, problem]) => [path, t(PROBLEM_TEXT[problem])])));
      focusField([...found.keys()][0] ?? '');
      return;
    }
    setPreviewing(true);
    try {
      const schedule = scheduleOf(form);
      const data = await api.call('previewSchedule', { params: { centreId: centre.id }, body: schedule });
      setPreview({ schedule, data });
      requestAnimationFrame(() => previewTitle.current?.focus());
    } catch (error) {
      const path = error instanceof ApiError ? scheduleFieldPath(error.field) : null;
      if (path) {
        setProblems(new Map([[path, describeManagerError(error, t, fmt)]]));
        focusField(path);
      }
      setFailure(error);
    } finally {
      setPreviewing(false);
    }
  };

  /** Bookings made since the preview would be cancelled too: the API names them, the manager confirms again. */
  const moreCancellations = (more: CancelledVisit[]) =>
    setPreview((shown) => {
      if (!shown) return shown;
      const known = new Set(shown.data.cancellations.map((c) => c.appointmentId));
      const added = more.filter((c) => !known.has(c.appointmentId));
      return { ...shown, data: { ...shown.data, cancellations: [...shown.data.cancellations, ...added] } };
    });

  return (
    <>
      <form ref={formRef} className="schedule-form" onSubmit={askPreview} noValidate aria-label={t('schedule.form')}>
        <section aria-labelledby={`${id}-weekly`}>
          <h2 id={`${id}-weekly`}>{t('schedule.weekly')}</h2>
          <p className="hint">{t('schedule.weekly.hint')}</p>
          {WEEK.map((day) => {
            const name = weekdayName(day, t.locale);
            const rows = form.days[day];
            return (
              <fieldset key={day} className="schedule-day">
                <legend>{name}</legend>
                {rows.length === 0 ? <p className="closed-day">{t('schedule.closed')}</p> : null}
                {rows.map((row, i) => (
                  <ScheduleHours
                    key={row.key}
                    id={`weekly.days.${day}.${i}`}
                    row={row}
                    of={name}
                    errorOf={errorOf}
                    onChange={(changed) =>
                      setDay(
                        day,
                        rows.map((r) => (r.key === row.key ? changed : r)),
                      )
                    }
                    onRemove={() =>
                      setDay(
                        day,
                        rows.filter((r) => r.key !== row.key),
                      )
                    }
                  />
                ))}
                {errorOf(`weekly.days.${day}`) ? <p className="field-error">{errorOf(`weekly.days.${day}`)}</p> : null}
                {rows.length < MAX_RANGES_PER_DAY ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      const last = rows.at(-1);
                      const from = last?.to && last.to < '20:00' ? last.to : '08:00';
                      setDay(day, [...rows, { key: newRowKey(), from, to: from < '16:00' ? '16:00' : '20:00' }]);
                    }}
                  >
                    {t('schedule.hours.add', { day: name })}
                  </button>
                ) : null}
              </fieldset>
            );
          })}
        </section>

        <section aria-labelledby={`${id}-slots`}>
          <h2 id={`${id}-slots`}>{t('schedule.slots')}</h2>
          <Field
            id={fieldIdOf('weekly.slotMinutes')}
            label={t('schedule.slotMinutes')}
            hint={t('schedule.slotMinutes.hint', { min: SLOT_MINUTES.min, max: SLOT_MINUTES.max })}
            error={errorOf('weekly.slotMinutes')}
          >
            {(c) => (
              <input
                {...c}
                type="number"
                inputMode="numeric"
                min={SLOT_MINUTES.min}
                max={SLOT_MINUTES.max}
                value={form.slotMinutes}
                onChange={(e) => {
                  const slotMinutes = e.target.value;
                  edit((f) => ({ ...f, slotMinutes }));
                }}
              />
            )}
          </Field>
          <fieldset className="schedule-capacity" data-path="weekly.capacity" tabIndex={-1}>
            <legend>{t('schedule.capacity')}</legend>
            <p className="hint">{t('schedule.capacity.hint')}</p>
            {errorOf('weekly.capacity') ? <p className="field-error">{errorOf('weekly.capacity')}</p> : null}
            {products.map((productId) => (
              <Field
                key={productId}
                id={fieldIdOf(`weekly.capacity.${productId}`)}
                label={productName(productId)}
                error={errorOf(`weekly.capacity.${productId}`)}
              >
                {(c) => (
                  <input
                    {...c}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={MAX_CAPACITY}
                    value={form.capacity[productId] ?? '0'}
                    onChange={(e) => {
                      const places = e.target.value;
                      edit((f) => ({ ...f, capacity: { ...f.capacity, [productId]: places } }));
                    }}
                  />
                )}
              </Field>
            ))}
          </fieldset>
        </section>

        <section aria-labelledby={`${id}-closed`}>
          <h2 id={`${id}-closed`}>{t('schedule.closedDates')}</h2>
          <p className="hint">{t('schedule.closedDates.hint')}</p>
          {form.closedDates.length === 0 ? <p className="closed-day">{t('schedule.closedDates.none')}</p> : null}
          {form.closedDates.map((row, i) => (
            <div className="date-row" key={row.key}>
              <Field id={fieldIdOf(`closedDates.${i}`)} label={t('schedule.date')} error={errorOf(`closedDates.${i}`)}>
                {(c) => (
                  <input
                    {...c}
                    type="date"
                    value={row.date}
                    onChange={(e) => {
                      const date = e.target.value;
                      edit((f) => ({
                        ...f,
                        closedDates: f.closedDates.map((r) => (r.key === row.key ? { ...r, date } : r)),
                      }));
                    }}
                  />
                )}
              </Field>
              <button
                type="button"
                className="button button-secondary hours-remove"
                aria-label={t('schedule.closedDates.remove', { date: row.date ? fmt.date(row.date) : '…' })}
                onClick={() => edit((f) => ({ ...f, closedDates: f.closedDates.filter((r) => r.key !== row.key) }))}
              >
                <span aria-hidden="true">✕</span>
              </button>
            </div>
          ))}
          <button
            type="button"
            className="link-button"
            onClick={() => edit((f) => ({ ...f, closedDates: [...f.closedDates, { key: newRowKey(), date: today }] }))}
          >
            {t('schedule.closedDates.add')}
          </button>
        </section>

        <section aria-labelledby={`${id}-extra`}>
          <h2 id={`${id}-extra`}>{t('schedule.extraHours')}</h2>
          <p className="hint">{t('schedule.extraHours.hint')}</p>
          {form.extraHours.length === 0 ? <p className="closed-day">{t('schedule.extraHours.none')}</p> : null}
          {form.extraHours.map((row, i) => {
            const path = `extraHours.${i}`;
            const change = (changed: Partial<typeof row>) =>
              edit((f) => ({
                ...f,
                extraHours: f.extraHours.map((r) => (r.key === row.key ? { ...r, ...changed } : r)),
              }));
            return (
              <fieldset className="schedule-extra" key={row.key}>
                <legend>{row.date ? fmt.date(row.date) : t('schedule.extraHours.new')}</legend>
                <Field id={fieldIdOf(`${path}.date`)} label={t('schedule.date')} error={errorOf(`${path}.date`)}>
                  {(c) => (
                    <input {...c} type="date" value={row.date} onChange={(e) => change({ date: e.target.value })} />
                  )}
                </Field>
                <ScheduleHours
                  id={path}
                  row={row}
                  of={row.date ? fmt.date(row.date) : t('schedule.extraHours.new')}
                  errorOf={errorOf}
                  onChange={(changed) => change({ from: changed.from, to: changed.to })}
                  onRemove={() => edit((f) => ({ ...f, extraHours: f.extraHours.filter((r) => r.key !== row.key) }))}
                />
              </fieldset>
            );
          })}
          <button
            type="button"
            className="link-button"
            onClick={() =>
              edit((f) => ({
                ...f,
                extraHours: [...f.extraHours, { key: newRowKey(), date: today, from: '16:00', to: '18:00' }],
              }))
            }
          >
            {t('schedule.extraHours.add')}
          </button>
          {form.closedFrom.length > 0 ? (
            <>
              <h3>{t('schedule.closedFrom')}</h3>
              <ul className="plain-list">
                {form.closedFrom.map((c) => (
                  <li key={`${c.date}-${c.from}`}>
                    {t('schedule.closedFrom.item', { date: fmt.date(c.date), from: c.from })}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>

        {failure ? <ManagerError error={failure} /> : null}
        <div className="action-row">
          <button
            ref={previewButton}
            type="submit"
            className="button button-primary"
            aria-disabled={previewing || undefined}
          >
            {previewing ? t('schedule.previewing') : t('schedule.preview')}
          </button>
        </div>
        <Status>
          {previewing ? t('schedule.previewing') : notice ? <span className="close-done">{notice}</span> : null}
        </Status>
      </form>

      {preview ? (
        <SchedulePreview
          preview={preview.data}
          saved={saved}
          edited={preview.schedule}
          stale={stale}
          titleRef={previewTitle}
          onMoreCancellations={moreCancellations}
          onSaved={(result) => {
            setPreview(null);
            onSaved(result);
          }}
        />
      ) : null}
    </>
  );
}
