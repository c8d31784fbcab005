import type { ReportFilter, ReportSummary } from '@ereg/shared';
import { useMemo } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { useLocation } from '../../../shared/src/router.tsx';
import { useApp } from '../app-context.ts';
import { DosesSection } from '../components/doses-section.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { FiltersForm } from '../components/filters-form.tsx';
import { useMissingReason } from '../components/missing.tsx';
import { Tiles } from '../components/tiles.tsx';
import { UptakeSection } from '../components/uptake-section.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { AGE_BAND_KEYS } from '../lib/age-bands.ts';
import { fieldOf } from '../lib/error-messages.ts';
import { filterOf, queryOf } from '../lib/filter.ts';
import { figuresIn } from '../lib/format.ts';
import type { Audience } from '../lib/paths.ts';
import type { Words } from '../lib/report-tables.ts';
import { loadReport } from '../lib/reports-api.ts';
import { useLiveReport } from '../lib/use-live-report.ts';

/** What the public is told is withheld before the first answer says it (the public views' threshold). */
const PUBLIC_THRESHOLD = 10;

/**
 * The dashboard (analysts' and administrators' whole figures) or the public summary (the same, with
 * every count under ten withheld): the filter from the address, when the figures are from, the
 * headline tiles, the voivodeships and the doses per day; kept current every minute.
 */
export function ReportPage({ audience }: { audience: Audience }) {
  const services = useApp();
  const { t, language } = useI18n();
  const { search } = useLocation();
  const query = search.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter follows the address's query; `now` only fills dates it leaves out.
  const filter = useMemo(() => filterOf(new URLSearchParams(query), services.now()), [query]);
  const key = `${audience}?${queryOf(filter)}`;
  const live = useLiveReport(key, () => loadReport(services.api, audience, filter), services);
  const figures = useMemo(() => figuresIn(language), [language]);
  const words = useMemo<Words>(() => ({ t, figures, vaccines: services.vaccines }), [t, figures, services.vaccines]);
  const report = live.data;
  const reason = useMissingReason(audience, report ? report.suppressedBelow : null);
  const refused = report ? null : fieldOf(live.error);

  return (
    <Page title={t(audience === 'public' ? 'public.title' : 'dashboard.title')}>
      {audience === 'public' ? (
        <p className="report-notice">
          {t('public.suppressed', { count: report?.suppressedBelow ?? PUBLIC_THRESHOLD })}
        </p>
      ) : null}
      <FiltersForm key={key} audience={audience} filter={filter} refused={refused} />
      <p className="report-shown">{t('report.shown', { what: describeFilter(filter, words) })}</p>
      {report ? (
        <>
          <Freshness report={report} live={live} figures={words.figures} />
          <Tiles report={report} figures={figures} reason={reason} />
          <UptakeSection report={report} words={words} reason={reason} />
          <DosesSection report={report} words={words} reason={reason} />
        </>
      ) : live.error ? (
        <>
          <ErrorMessage error={live.error} />
          <button type="button" className="button" onClick={live.refresh}>
            {t('retry')}
          </button>
        </>
      ) : (
        <Status>{t('report.loading')}</Status>
      )}
    </Page>
  );
}

/** The filter in words: where, who, which product and which days. */
function describeFilter(filter: ReportFilter, { t, figures, vaccines }: Words): string {
  const band = AGE_BAND_KEYS.find((b) => b.band === filter.ageBand);
  return [
    filter.voivodeship ? t(`voivodeship.${filter.voivodeship}` as MessageKey) : t('report.country'),
    band ? t(band.key) : (filter.ageBand ?? t('report.allAges')),
    filter.vaccineId
      ? (vaccines.find((v) => v.id === filter.vaccineId)?.name ?? filter.vaccineId)
      : t('report.allVaccines'),
    t('report.dates', { from: figures.day(filter.from), to: figures.day(filter.to) }),
  ].join(', ');
}

/**
 * When the figures are from, that they refresh every minute, and a button to refresh now; a refresh
 * that failed is said, with the figures shown kept.
 */
function Freshness({
  report,
  live,
  figures,
}: {
  report: ReportSummary;
  live: { busy: boolean; error: unknown; refresh: () => void };
  figures: Words['figures'];
}) {
  const { t } = useI18n();
  const asOf = figures.moment(report.asOf);
  return (
    <div className="report-freshness">
      <p>
        <strong>{t('report.asOf', { time: asOf })}</strong> {t('report.everyMinute')}
      </p>
      <button
        type="button"
        className="button"
        aria-disabled={live.busy || undefined}
        onClick={() => live.busy || live.refresh()}
      >
        {live.busy ? t('report.refreshing') : t('report.refresh')}
      </button>
      {live.error ? (
        <div className="report-stale">
          <ErrorMessage error={live.error} />
          <p>{t('report.refreshFailed', { time: asOf })}</p>
        </div>
      ) : null}
    </div>
  );
}
