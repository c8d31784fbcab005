import { useApp, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { DEFAULT_RADIUS, type SearchParams } from '../lib/search-params.ts';

/**
 * The search as one line (where, from when, which vaccine, how far) in place of its form, which a
 * button shows again: on a phone, the results then start near the top of the screen.
 */
export function SearchSummary(props: {
  params: SearchParams;
  /** Whether the form is shown; its id, for the button to point to. */
  expanded: boolean;
  formId: string;
  onToggle: () => void;
}) {
  const { params, expanded, formId, onToggle } = props;
  const { vaccines } = useApp();
  const { t, fmt } = useI18n();
  const parts = [
    params.postalCode
      ? t('search.summary.postalCode', { postalCode: params.postalCode })
      : t('search.summary.location'),
    params.from ? t('search.summary.from', { date: fmt.date(params.from) }) : t('search.summary.today'),
    params.vaccineId ? vaccineName(vaccines, params.vaccineId) : t('search.summary.anyVaccine'),
    t('search.radius.option', { km: params.radiusKm ?? DEFAULT_RADIUS }),
  ];
  return (
    <div className={expanded ? 'search-summary search-summary-open' : 'search-summary'}>
      <p data-testid="search-summary">
        <strong>{t('search.summary.label')}</strong> {parts.join(' · ')}
      </p>
      <button
        type="button"
        className="button"
        aria-expanded={expanded}
        {...(expanded ? { 'aria-controls': formId } : {})}
        onClick={onToggle}
      >
        {t('search.summary.change')}
        <span className="chevron" aria-hidden="true">
          {expanded ? '▴' : '▾'}
        </span>
      </button>
    </div>
  );
}
