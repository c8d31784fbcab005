import type { ReportSummary } from '@ereg/shared';
import { useMemo } from 'react';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import type { Figures } from '../lib/format.ts';
import { uptakeTable, type Words } from '../lib/report-tables.ts';
import { scaleFor } from '../lib/scale.ts';
import { breakable, VOIVODESHIP_GRID } from '../lib/voivodeships.ts';
import { TableTools } from './data-table.tsx';
import { type FigureKind, Missing } from './missing.tsx';

/**
 * The voivodeships: a cartogram of the uptake (a tile each, roughly where it lies, coloured by the
 * people fully vaccinated per 100 inhabitants, each naming its figure in words), its key, and the table
 * of every figure per voivodeship with its CSV.
 */
export function UptakeSection({
  report,
  words,
  reason,
}: {
  report: ReportSummary;
  words: Words;
  reason: (kind: FigureKind) => string;
}) {
  const { t } = useI18n();
  const { figures } = words;
  const byCode = new Map(report.voivodeships.map((v) => [v.voivodeship, v]));
  const scale = scaleFor(report.voivodeships.map((v) => v.fullyVaccinatedPer100));
  const table = useMemo(() => uptakeTable(report, words), [report, words]);
  return (
    <section className="report-section" aria-labelledby="uptake-title">
      <h2 id="uptake-title">{t('uptake.title')}</h2>
      <figure className="cartogram-figure" aria-labelledby="cartogram-caption">
        <figcaption id="cartogram-caption" className="figure-title">
          {t('uptake.map')}
        </figcaption>
        <div className="cartogram-and-key">
          <ul className="cartogram" aria-labelledby="cartogram-caption">
            {VOIVODESHIP_GRID.map(({ teryt, row, column }) => {
              const figure = byCode.get(teryt)?.fullyVaccinatedPer100 ?? null;
              const level = scale.classOf(figure);
              const selected = report.filter.voivodeship === teryt;
              return (
                <li
                  key={teryt}
                  className={`cartogram-tile row-${row} column-${column} level-${level ?? 'none'}${selected ? ' cartogram-selected' : ''}`}
                >
                  <span className="cartogram-name">{breakable(t(`voivodeship.${teryt}` as MessageKey))}</span>
                  <span className="cartogram-value">
                    {figure === null ? (
                      <Missing reason={reason('derived')} />
                    ) : (
                      t('uptake.map.figure', { value: figures.per100(figure) })
                    )}
                  </span>
                  {selected ? <span className="visually-hidden">({t('uptake.selected')})</span> : null}
                </li>
              );
            })}
          </ul>
          <Key bounds={scale.bounds} figures={figures} />
        </div>
      </figure>
      <TableTools
        table={table}
        file={{ stem: t('uptake.file'), from: report.filter.from, to: report.filter.to }}
        reason={reason}
      />
    </section>
  );
}

/** The cartogram's key: a swatch and its range for each class, then the swatch of a figure not given. */
function Key({ bounds, figures }: { bounds: readonly number[]; figures: Figures }) {
  const { t } = useI18n();
  return (
    <div className="cartogram-key">
      <p id="cartogram-key-title" className="cartogram-key-title">
        {t('uptake.legend')}
      </p>
      <ul aria-labelledby="cartogram-key-title">
        {bounds.slice(0, -1).map((low, i) => (
          <li key={low}>
            <span className={`swatch level-${i}`} aria-hidden="true" />
            {figures.per100(low)} – {figures.per100(bounds[i + 1] ?? low)}
          </li>
        ))}
        <li>
          <span className="swatch level-none" aria-hidden="true" />
          {t('uptake.legend.none')}
        </li>
      </ul>
    </div>
  );
}
