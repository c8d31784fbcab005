import type { ReportFilter } from '@ereg/shared';
import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Link, useRouter } from '../../../shared/src/router.tsx';
import { useApp } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { AGE_BAND_KEYS } from '../lib/age-bands.ts';
import { checkDates, type FilterProblem, queryOf } from '../lib/filter.ts';
import { type Audience, pathOf } from '../lib/paths.ts';
import { VOIVODESHIP_CODES } from '../lib/voivodeships.ts';

const PROBLEM_WORDS: Record<FilterProblem, MessageKey> = {
  required: 'filters.required',
  invalid: 'filters.invalid',
  beforeFrom: 'filters.beforeFrom',
  tooLong: 'filters.tooLong',
};

/**
 * The filter: a voivodeship, an age group, a product and the dates. Showing it puts it in the address
 * (so the view can be shared by its link, and Back returns to the one before); dates missing or the end
 * before the start are said at their field first. `refused`: the field the API refused, marked invalid.
 */
export function FiltersForm({
  audience,
  filter,
  refused,
}: {
  audience: Audience;
  filter: ReportFilter;
  refused: string | null;
}) {
  const { vaccines } = useApp();
  const router = useRouter();
  const { t, language } = useI18n();
  const [from, setFrom] = useState(filter.from);
  const [to, setTo] = useState(filter.to);
  const [voivodeship, setVoivodeship] = useState(filter.voivodeship ?? '');
  const [ageBand, setAgeBand] = useState(filter.ageBand ?? '');
  const [vaccineId, setVaccineId] = useState(filter.vaccineId ?? '');
  const [problems, setProblems] = useState<ReturnType<typeof checkDates>>({});

  const voivodeships = VOIVODESHIP_CODES.map((code) => ({
    code,
    name: t(`voivodeship.${code}` as MessageKey),
  })).sort((a, b) => a.name.localeCompare(b.name, language));
  const products = vaccines.map((v) => ({ id: v.id, name: v.name }));
  // A product the address names that the catalogue does not (yet) list stays chosen, by its id.
  if (vaccineId && !products.some((p) => p.id === vaccineId)) products.push({ id: vaccineId, name: vaccineId });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = checkDates(from, to);
    setProblems(found);
    const first = found.from ? 'filter-from' : found.to ? 'filter-to' : null;
    if (first) {
      document.getElementById(first)?.focus();
      return;
    }
    const query = queryOf({
      from,
      to,
      voivodeship: voivodeship || null,
      ageBand: ageBand || null,
      vaccineId: vaccineId || null,
    });
    router.navigate(pathOf(audience, query));
  };

  const problem = (field: 'from' | 'to') => {
    const found = problems[field];
    if (found) return t(PROBLEM_WORDS[found]);
    return refused === field ? t('error.input') : null;
  };
  const refusal = (field: string) => (refused === field ? t('error.input') : null);

  return (
    <form className="filters" noValidate onSubmit={submit} aria-labelledby="filters-title">
      <h2 id="filters-title" className="visually-hidden">
        {t('filters.title')}
      </h2>
      <div className="filters-fields">
        <Field id="filter-voivodeship" label={t('field.voivodeship')} error={refusal('voivodeship')}>
          {(control) => (
            <select {...control} value={voivodeship} onChange={(e) => setVoivodeship(e.target.value)}>
              <option value="">{t('filters.voivodeship.all')}</option>
              {voivodeships.map((v) => (
                <option key={v.code} value={v.code}>
                  {v.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="filter-age" label={t('field.ageBand')} error={refusal('ageBand')}>
          {(control) => (
            <select {...control} value={ageBand} onChange={(e) => setAgeBand(e.target.value)}>
              <option value="">{t('filters.ageBand.all')}</option>
              {AGE_BAND_KEYS.map(({ band, key }) => (
                <option key={band} value={band}>
                  {t(key)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="filter-vaccine" label={t('field.vaccineId')} error={refusal('vaccineId')}>
          {(control) => (
            <select {...control} value={vaccineId} onChange={(e) => setVaccineId(e.target.value)}>
              <option value="">{t('filters.vaccine.all')}</option>
              {products.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="filter-from" label={t('field.from')} error={problem('from')}>
          {(control) => <input {...control} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field id="filter-to" label={t('field.to')} error={problem('to')}>
          {(control) => <input {...control} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}
        </Field>
      </div>
      <div className="filters-actions">
        <button type="submit" className="button button-primary">
          {t('filters.apply')}
        </button>
        <Link className="button" href={pathOf(audience)}>
          {t('filters.clear')}
        </Link>
      </div>
    </form>
  );
}
