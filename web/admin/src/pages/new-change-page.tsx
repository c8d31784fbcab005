import { type FormEvent, useMemo, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useRouter } from '../../../shared/src/router.tsx';
import type { RuleDraft, RuleKind } from '../api.ts';
import { useApp } from '../app-context.ts';
import { DateTimeFields } from '../components/date-time-fields.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { PreviewPanel } from '../components/preview-panel.tsx';
import { useI18n } from '../i18n/index.ts';
import { instantOf, parseDateField, parseTimeField } from '../lib/date-time.ts';
import { PATHS } from '../lib/paths.ts';
import { expandBirthYearPlan, MAX_DRAFTS } from '../lib/plan.ts';
import { VOIVODESHIPS } from '../lib/voivodeships.ts';
import { ruleOpens, ruleWhere, ruleWho } from '../lib/words.ts';

const YEAR = /^\d{4}$/;
const WHOLE = /^\d{1,3}$/;

interface Form {
  kind: RuleKind;
  year: string;
  age: string;
  onDate: string;
  group: string;
  region: string;
  date: string;
  time: string;
  plan: boolean;
  untilYear: string;
}

type Problems = Partial<Record<'year' | 'age' | 'onDate' | 'group' | 'date' | 'time' | 'untilYear', string>>;

/** The drafts the form describes, or the problems of each field that keeps it from describing any. */
export function draftsOf(
  form: Form,
  t: ReturnType<typeof useI18n>['t'],
): { drafts: RuleDraft[] } | { problems: Problems } {
  const problems: Problems = {};
  const date = parseDateField(form.date);
  const time = parseTimeField(form.time);
  if (!date) problems.date = t('date.invalid');
  if (!time) problems.time = t('time.invalid');
  const year = Number(form.year.trim());
  if (form.kind === 'birthYear' && !YEAR.test(form.year.trim())) problems.year = t('draft.invalidYear');
  if (form.kind === 'ageOnDate' && !WHOLE.test(form.age.trim())) problems.age = t('draft.invalidAge');
  const onDate = parseDateField(form.onDate);
  if (form.kind === 'ageOnDate' && !onDate) problems.onDate = t('date.invalid');
  if (form.kind === 'group' && !form.group.trim()) problems.group = t('required');
  const planned = form.kind === 'birthYear' && form.plan;
  const until = Number(form.untilYear.trim());
  if (planned) {
    if (!YEAR.test(form.untilYear.trim())) problems.untilYear = t('draft.invalidYear');
    else if (until > year) problems.untilYear = t('draft.planReversed');
    else if (year - until + 1 > MAX_DRAFTS) problems.untilYear = t('draft.planTooLong', { max: MAX_DRAFTS });
  }
  if (Object.keys(problems).length > 0 || !date || !time) return { problems };
  const region = form.region ? { region: form.region } : {};
  if (planned) return { drafts: expandBirthYearPlan({ fromYear: year, toYear: until, date, time, ...region }) };
  const opensAt = instantOf(date, time);
  const who: RuleDraft =
    form.kind === 'birthYear'
      ? { kind: 'birthYear', bornInOrBefore: year, opensAt }
      : form.kind === 'ageOnDate'
        ? { kind: 'ageOnDate', minAge: Number(form.age.trim()), onDate: onDate as string, opensAt }
        : { kind: 'group', group: form.group.trim(), opensAt };
  return { drafts: [{ ...who, ...region }] };
}

/** Drafting a change: the rule (or a plan of one birth year per day), its impact as it is typed, proposing it. */
export function NewChangePage() {
  const { admin } = useApp();
  const i18n = useI18n();
  const { t } = i18n;
  const router = useRouter();
  const [form, setForm] = useState<Form>({
    kind: 'birthYear',
    year: '',
    age: '',
    onDate: '',
    group: '',
    region: '',
    date: '',
    time: '08:00',
    plan: false,
    untilYear: '',
  });
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const result = useMemo(() => draftsOf(form, t), [form, t]);
  const drafts = 'drafts' in result ? result.drafts : null;
  const problems = submitted && 'problems' in result ? result.problems : {};

  const propose = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!drafts) return;
    setBusy(true);
    setError(null);
    admin.proposeOpening(drafts, note.trim()).then(
      ({ change }) => router.navigate(PATHS.change(change.id)),
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };

  return (
    <Page title={t('draft.title')}>
      <div className="with-aside">
        <form onSubmit={propose} noValidate>
          <Field id="draft-kind" label={t('draft.kind')}>
            {(control) => (
              <select {...control} value={form.kind} onChange={(e) => set('kind', e.target.value as RuleKind)}>
                <option value="birthYear">{t('draft.kind.birthYear')}</option>
                <option value="ageOnDate">{t('draft.kind.ageOnDate')}</option>
                <option value="group">{t('draft.kind.group')}</option>
              </select>
            )}
          </Field>
          {form.kind === 'birthYear' ? (
            <Field id="draft-year" label={t('draft.year')} error={problems.year ?? null}>
              {(control) => (
                <input
                  {...control}
                  inputMode="numeric"
                  size={5}
                  value={form.year}
                  onChange={(e) => set('year', e.target.value)}
                />
              )}
            </Field>
          ) : null}
          {form.kind === 'ageOnDate' ? (
            <div className="field-row">
              <Field id="draft-age" label={t('draft.age')} error={problems.age ?? null}>
                {(control) => (
                  <input
                    {...control}
                    inputMode="numeric"
                    size={4}
                    value={form.age}
                    onChange={(e) => set('age', e.target.value)}
                  />
                )}
              </Field>
              <Field id="draft-on-date" label={t('draft.onDate')} hint={t('date.hint')} error={problems.onDate ?? null}>
                {(control) => (
                  <input
                    {...control}
                    inputMode="numeric"
                    size={11}
                    value={form.onDate}
                    onChange={(e) => set('onDate', e.target.value)}
                  />
                )}
              </Field>
            </div>
          ) : null}
          {form.kind === 'group' ? (
            <Field id="draft-group" label={t('draft.group')} error={problems.group ?? null}>
              {(control) => <input {...control} value={form.group} onChange={(e) => set('group', e.target.value)} />}
            </Field>
          ) : null}
          <Field id="draft-region" label={t('draft.region')}>
            {(control) => (
              <select {...control} value={form.region} onChange={(e) => set('region', e.target.value)}>
                <option value="">{t('region.all')}</option>
                {VOIVODESHIPS.map((v) => (
                  <option key={v.slug} value={v.slug}>
                    {v[i18n.language]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <DateTimeFields
            id="draft-opens"
            dateLabel={t('draft.date')}
            timeLabel={t('draft.time')}
            date={form.date}
            time={form.time}
            onDate={(text) => set('date', text)}
            onTime={(text) => set('time', text)}
            dateError={problems.date ?? null}
            timeError={problems.time ?? null}
          />
          {form.kind === 'birthYear' ? (
            <fieldset>
              <legend>{t('draft.plan')}</legend>
              <label className="check">
                <input type="checkbox" checked={form.plan} onChange={(e) => set('plan', e.target.checked)} />{' '}
                {t('draft.plan')}
              </label>
              {form.plan ? (
                <Field
                  id="draft-until"
                  label={t('draft.planUntil')}
                  hint={t('draft.planHint')}
                  error={problems.untilYear ?? null}
                >
                  {(control) => (
                    <input
                      {...control}
                      inputMode="numeric"
                      size={5}
                      value={form.untilYear}
                      onChange={(e) => set('untilYear', e.target.value)}
                    />
                  )}
                </Field>
              ) : null}
            </fieldset>
          ) : null}
          {drafts ? (
            <section aria-labelledby="draft-list">
              <h2 id="draft-list">{t('draft.list')}</h2>
              <ol className="drafts">
                {drafts.map((draft) => (
                  <li key={`${draft.opensAt}-${ruleWho(draft, i18n)}`}>
                    {ruleWho(draft, i18n)} · {ruleOpens(draft, i18n)} · {ruleWhere(draft, i18n)}
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
          <Field id="draft-note" label={t('draft.note')}>
            {(control) => <textarea {...control} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          {error ? <ErrorMessage error={error} /> : null}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('draft.proposing') : t('draft.propose')}
          </button>
        </form>
        <PreviewPanel drafts={drafts} />
      </div>
    </Page>
  );
}
