import { type FormEvent, useLayoutEffect, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { type DateFieldProblem, formatDateField, parseDateField } from '../../../shared/src/date-field.ts';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { normalisePostalCode } from '../lib/postal-code.ts';
import { addDays, DEFAULT_RADIUS, RADII, type SearchParams, searchQueryString } from '../lib/search-params.ts';

type FromProblem = DateFieldProblem | 'past';

/** Coordinates to about 100 m: enough to find the nearest centres, no more precise than needed. */
const rounded = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Where (a postal code, or the device's location) and optionally which vaccine, from when and how far.
 * The postal code is checked as it is left and on submit, the date on submit, so a mistake shows by the
 * field. The date is typed as the app's language writes it (not as the browser's locale would).
 */
export function SearchForm(props: {
  /** The form's id (a button that shows and hides it points to it). */
  id?: string;
  initial: SearchParams;
  today: string;
  /** A visit being moved keeps its vaccine: the choice is shown, not offered. */
  fixedVaccineId?: string;
  onSearch: (params: SearchParams) => void;
}) {
  const { id, initial, today, fixedVaccineId, onSearch } = props;
  const { vaccines, geolocation } = useApp();
  const { t, language } = useI18n();
  const [postalCode, setPostalCode] = useState(initial.postalCode ?? '');
  const [place, setPlace] = useState<{ lat: number; lon: number } | null>(
    initial.postalCode === undefined && initial.lat !== undefined && initial.lon !== undefined
      ? { lat: initial.lat, lon: initial.lon }
      : null,
  );
  const [vaccineId, setVaccineId] = useState(fixedVaccineId ?? initial.vaccineId ?? '');
  const [from, setFrom] = useState(initial.from ? formatDateField(initial.from, language) : '');
  const [radiusKm, setRadiusKm] = useState(String(initial.radiusKm ?? DEFAULT_RADIUS));
  const [postalError, setPostalError] = useState<string | null>(null);
  const [fromError, setFromError] = useState<FromProblem | null>(null);
  const [locating, setLocating] = useState<'idle' | 'busy' | 'denied' | 'failed'>('idle');
  // When the search in the address changes (Back, a suggestion followed), the form shows it; the form
  // stays mounted, so focus stays where it was (on the Search button after a search).
  const shownKey = `${searchQueryString(initial)}|${fixedVaccineId ?? ''}`;
  const [shown, setShown] = useState(shownKey);
  if (shown !== shownKey) {
    setShown(shownKey);
    setPostalCode(initial.postalCode ?? '');
    setPlace(
      initial.postalCode === undefined && initial.lat !== undefined && initial.lon !== undefined
        ? { lat: initial.lat, lon: initial.lon }
        : null,
    );
    setVaccineId(fixedVaccineId ?? initial.vaccineId ?? '');
    setFrom(initial.from ? formatDateField(initial.from, language) : '');
    setRadiusKm(String(initial.radiusKm ?? DEFAULT_RADIUS));
    setPostalError(null);
    setFromError(null);
  }
  // Another language rewrites a date typed in the form in its own way (20.01.2026 → 20/01/2026).
  const [writtenIn, setWrittenIn] = useState(language);
  if (writtenIn !== language) {
    setWrittenIn(language);
    const typed = parseDateField(from);
    if ('date' in typed) setFrom(formatDateField(typed.date, language));
  }
  const postalInput = useRef<HTMLInputElement>(null);
  // A field refused on submit takes focus at once, and comes wholly into view (label, error and all) once
  // its error is shown: the error, above the control, may have pushed it below the screen's edge.
  const refused = useRef<HTMLInputElement | null>(null);
  useLayoutEffect(() => {
    const field = refused.current;
    if (!field) return;
    refused.current = null;
    (field.closest('.field') ?? field).scrollIntoView?.({ block: 'nearest' });
  });
  const refuse = (field: HTMLInputElement | null) => {
    refused.current = field;
    field?.focus();
  };
  const fromInput = useRef<HTMLInputElement>(null);

  const checkPostal = (value: string): string | null => {
    if (value.trim() === '') return t('search.postalCode.required');
    return normalisePostalCode(value) ? null : t('search.postalCode.invalid');
  };
  const checkFrom = (value: string): FromProblem | null => {
    if (value.trim() === '') return null;
    const typed = parseDateField(value);
    if ('problem' in typed) return typed.problem;
    return typed.date < today ? 'past' : null;
  };
  const fromDate = (value: string): string | undefined => {
    const typed = parseDateField(value);
    return 'date' in typed ? typed.date : undefined;
  };
  const pattern = t('date.pattern');
  const example = formatDateField(addDays(today, 7), language);
  const fromMessage = (problem: FromProblem): string => {
    switch (problem) {
      case 'format':
        return t('search.from.invalid', { pattern, example });
      case 'noSuchDay':
        return t('search.from.noSuchDay');
      case 'past':
        return t('search.from.past');
    }
  };

  const rest = (): Omit<SearchParams, 'postalCode' | 'lat' | 'lon'> => ({
    ...(vaccineId ? { vaccineId } : {}),
    ...(fromDate(from) ? { from: fromDate(from) } : {}),
    ...(initial.to ? { to: initial.to } : {}),
    radiusKm: Number(radiusKm),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const dateProblem = checkFrom(from);
    setFromError(dateProblem);
    if (place && postalCode.trim() === '') {
      if (dateProblem) return refuse(fromInput.current);
      onSearch({ ...place, ...rest() });
      return;
    }
    const postalProblem = checkPostal(postalCode);
    setPostalError(postalProblem);
    if (postalProblem) return refuse(postalInput.current);
    if (dateProblem) return refuse(fromInput.current);
    const normalised = normalisePostalCode(postalCode) as string;
    setPostalCode(normalised);
    setPlace(null);
    onSearch({ postalCode: normalised, ...rest() });
  };

  const locate = () => {
    if (!geolocation || locating === 'busy') return;
    setLocating('busy');
    geolocation.getCurrentPosition(
      (position) => {
        const here = { lat: rounded(position.coords.latitude), lon: rounded(position.coords.longitude) };
        setLocating('idle');
        setPlace(here);
        setPostalCode('');
        setPostalError(null);
        const dateProblem = checkFrom(from);
        setFromError(dateProblem);
        if (!dateProblem) onSearch({ ...here, ...rest() });
      },
      (failure) => setLocating(failure.code === 1 ? 'denied' : 'failed'),
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 600_000 },
    );
  };

  const fixedVaccine = fixedVaccineId ? (vaccines.find((v) => v.id === fixedVaccineId)?.name ?? fixedVaccineId) : null;

  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not yet known to every browser people use (nor to jsdom); the role gives the same landmark
    <form
      id={id}
      className="search-form"
      role="search"
      aria-label={t('search.form.label')}
      noValidate
      onSubmit={submit}
    >
      <Field id="postal-code" label={t('search.postalCode')} hint={t('search.postalCode.hint')} error={postalError}>
        {(control) => (
          <input
            {...control}
            ref={postalInput}
            type="text"
            inputMode="numeric"
            autoComplete="postal-code"
            maxLength={6}
            size={8}
            value={postalCode}
            onChange={(event) => {
              setPostalCode(event.target.value);
              if (postalError && !checkPostal(event.target.value)) setPostalError(null);
            }}
            onBlur={() => {
              if (postalCode.trim() !== '') setPostalError(checkPostal(postalCode));
            }}
          />
        )}
      </Field>

      {geolocation ? (
        <div className="locate">
          <p className="or">{t('search.or')}</p>
          <button type="button" className="button" aria-disabled={locating === 'busy'} onClick={locate}>
            {t('search.useLocation')}
          </button>
          <Status>
            {locating === 'busy' ? t('search.location.busy') : null}
            {place && locating === 'idle' && postalCode.trim() === '' ? t('search.location.using') : null}
          </Status>
          {locating === 'denied' || locating === 'failed' ? (
            <p className="field-error" role="alert">
              {t(locating === 'denied' ? 'search.location.denied' : 'search.location.failed')}
            </p>
          ) : null}
        </div>
      ) : null}

      <div className="search-options">
        {fixedVaccine ? (
          <p className="fixed-vaccine">{t('search.vaccine.fixed', { vaccine: fixedVaccine })}</p>
        ) : (
          <Field id="vaccine" label={t('search.vaccine')}>
            {(control) => (
              <select {...control} value={vaccineId} onChange={(event) => setVaccineId(event.target.value)}>
                <option value="">{t('search.vaccine.any')}</option>
                {vaccines.map((vaccine) => (
                  <option key={vaccine.id} value={vaccine.id}>
                    {vaccine.name} ({t.plural('search.vaccine.doses', vaccine.doses)})
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}

        <Field
          id="from"
          label={t('search.from')}
          hint={t('search.from.hint', { pattern, example })}
          error={fromError ? fromMessage(fromError) : null}
        >
          {(control) => (
            // Text, not type="date": the browser's date field shows its own locale's format, not the app's language.
            // The decimal keypad of a phone has the digits and a separator.
            <input
              {...control}
              ref={fromInput}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              maxLength={14}
              size={12}
              value={from}
              onChange={(event) => {
                setFrom(event.target.value);
                if (fromError && !checkFrom(event.target.value)) setFromError(null);
              }}
              // Left, a date reads back as the language writes it (5,2,2026 → 05.02.2026). A mistake is said on
              // submit: an error shown as the field is left would push the Search button down under the pointer.
              onBlur={() => {
                const date = fromDate(from);
                if (date) setFrom(formatDateField(date, language));
              }}
            />
          )}
        </Field>

        <Field id="radius" label={t('search.radius')}>
          {(control) => (
            <select {...control} value={radiusKm} onChange={(event) => setRadiusKm(event.target.value)}>
              {RADII.map((km) => (
                <option key={km} value={String(km)}>
                  {t('search.radius.option', { km })}
                </option>
              ))}
              {RADII.includes(Number(radiusKm) as (typeof RADII)[number]) ? null : (
                <option value={radiusKm}>{t('search.radius.option', { km: radiusKm })}</option>
              )}
            </select>
          )}
        </Field>
      </div>

      <button type="submit" className="button button-primary">
        {t('search.submit')}
      </button>
    </form>
  );
}
