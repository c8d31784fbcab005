import type { ReportSummary } from '@ereg/shared';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.ts';
import type { Figures } from '../lib/format.ts';
import { type FigureKind, Missing } from './missing.tsx';

/**
 * The headline figures: doses today and since the start, people fully vaccinated (and their share of
 * the population), the no-show rate this week and the median days to the first free slot. A figure
 * not given reads "—", and why, in words.
 */
export function Tiles({
  report,
  figures,
  reason,
}: {
  report: ReportSummary;
  figures: Figures;
  reason: (kind: FigureKind) => string;
}) {
  const { t } = useI18n();
  const { tiles } = report;
  const value = (figure: number | null, kind: FigureKind, show: (v: number) => string): ReactNode =>
    figure === null ? <Missing reason={reason(kind)} visible /> : show(figure);
  return (
    <section aria-labelledby="tiles-title">
      <h2 id="tiles-title" className="visually-hidden">
        {t('tiles.title')}
      </h2>
      <dl className="tiles">
        <div className="tile">
          <dt>{t('tile.dosesToday')}</dt>
          <dd className="tile-value">{value(tiles.dosesToday, 'count', figures.count)}</dd>
        </div>
        <div className="tile">
          <dt>{t('tile.dosesTotal')}</dt>
          <dd className="tile-value">{value(tiles.dosesTotal, 'count', figures.count)}</dd>
        </div>
        <div className="tile">
          <dt>{t('tile.fullyVaccinated')}</dt>
          <dd className="tile-value">{value(tiles.peopleFullyVaccinated, 'count', figures.count)}</dd>
          {/* A share of a count withheld is withheld with it: the count's reason says so once. */}
          {tiles.peopleFullyVaccinated === null ? null : (
            <dd className="tile-note">
              {tiles.fullyVaccinatedPer100 === null ? (
                <Missing reason={reason('derived')} visible />
              ) : (
                t('tile.fullyVaccinated.share', { percent: figures.share(tiles.fullyVaccinatedPer100 / 100) })
              )}
            </dd>
          )}
        </div>
        <div className="tile">
          <dt>{t('tile.noShows')}</dt>
          <dd className="tile-value">{value(tiles.noShowRateThisWeek, 'derived', figures.share)}</dd>
          <dd className="tile-note">{t('tile.noShows.note')}</dd>
        </div>
        <div className="tile">
          <dt>{t('tile.firstFree')}</dt>
          <dd className="tile-value">
            {value(tiles.medianDaysToFirstFree, 'derived', (days) =>
              t.plural('days', days, { count: figures.decimal(days) }),
            )}
          </dd>
          <dd className="tile-note">{t('tile.firstFree.note')}</dd>
        </div>
      </dl>
    </section>
  );
}
