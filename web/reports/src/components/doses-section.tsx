import type { ReportSummary } from '@ereg/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import type { ChartHandle, ChartSpec } from '../lib/chart-spec.ts';
import { LINE_COLOUR, layerColour } from '../lib/palette.ts';
import { type DoseLayer, doseLayers, dosesTable, type Words } from '../lib/report-tables.ts';
import { TableTools } from './data-table.tsx';
import type { FigureKind } from './missing.tsx';

/** A narrow screen's chart is lower, so that it and its key fit a phone's screen together. */
const heightFor = (width: number) => (width < 480 ? 220 : 300);

/**
 * The doses per day: a chart of bars stacked by product and dose with the 7-day average as a dashed
 * line, its key, and what it shows in a sentence (the chart is a picture; the sentence and the table
 * say it in words); then its table and CSV. A period without a dose says so instead of an empty chart.
 */
export function DosesSection({
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
  const layers = useMemo(() => doseLayers(report, words), [report, words]);
  const table = useMemo(() => dosesTable(report, layers, words), [report, layers, words]);
  const totals = report.dailyTotals;
  const given = totals.filter((d) => d.doses !== null && d.doses > 0);
  const withheld = totals.some((d) => d.doses === null);
  const busiest = given.reduce<(typeof totals)[number] | null>(
    (top, d) => (top === null || (d.doses ?? 0) > (top.doses ?? 0) ? d : top),
    null,
  );
  const lastAverage = totals.at(-1)?.average7 ?? null;
  const summary = busiest
    ? [
        t('doses.summary', {
          from: figures.day(report.filter.from),
          to: figures.day(report.filter.to),
          total: figures.count(given.reduce((sum, d) => sum + (d.doses ?? 0), 0)),
          maxDay: figures.day(busiest.day),
          max: figures.count(busiest.doses ?? 0),
        }),
        lastAverage === null ? null : t('doses.summary.average', { average: figures.decimal(lastAverage) }),
        withheld && report.suppressedBelow !== null
          ? t('doses.summary.withheld', { count: report.suppressedBelow })
          : null,
      ]
        .filter(Boolean)
        .join(' ')
    : null;

  return (
    <section className="report-section" aria-labelledby="doses-title">
      <h2 id="doses-title">{t('doses.title')}</h2>
      {summary ? (
        <figure className="chart-figure" aria-labelledby="doses-figure-title" aria-describedby="doses-summary">
          <figcaption>
            <p id="doses-figure-title" className="figure-title">
              {t('doses.figure')}
            </p>
            <p id="doses-summary" className="chart-summary">
              {summary}
            </p>
          </figcaption>
          <ChartKey layers={layers} />
          <DosesChart report={report} layers={layers} words={words} />
        </figure>
      ) : (
        <p className="report-empty">{t('doses.empty')}</p>
      )}
      <TableTools
        table={table}
        file={{ stem: t('doses.file'), from: report.filter.from, to: report.filter.to }}
        reason={reason}
      />
    </section>
  );
}

/** What each colour of the chart is: a swatch (drawn, so no style is needed) and its name. */
function ChartKey({ layers }: { layers: readonly DoseLayer[] }) {
  const { t } = useI18n();
  return (
    <ul className="chart-key">
      {layers.map((layer, i) => (
        <li key={`${layer.vaccineId}#${layer.dose}`}>
          <svg className="swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <rect width="16" height="16" fill={layerColour(i)} />
          </svg>
          {layer.label}
        </li>
      ))}
      <li>
        <svg className="swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <line x1="0" y1="8" x2="16" y2="8" stroke={LINE_COLOUR} strokeWidth="3" strokeDasharray="5 3" />
        </svg>
        {t('doses.average')}
      </li>
    </ul>
  );
}

/** The chart itself, drawn into its box and redrawn to its width; hidden from assistive technology. */
function DosesChart({ report, layers, words }: { report: ReportSummary; layers: readonly DoseLayer[]; words: Words }) {
  const { drawChart } = useApp();
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const { figures } = words;
  const spec = useMemo<Omit<ChartSpec, 'width' | 'height'>>(
    () => ({
      days: report.dailyTotals.map((d) => d.day),
      layers: layers.map((layer, i) => ({ label: layer.label, colour: layerColour(i), values: layer.values })),
      line: { label: t('doses.average'), colour: LINE_COLOUR, values: report.dailyTotals.map((d) => d.average7) },
      dayLabel: figures.shortDay,
      valueLabel: figures.count,
    }),
    [report, layers, figures, t],
  );

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let chart: ChartHandle | null = null;
    let gone = false;
    const width = () => element.clientWidth || 640;
    let drawnAt = width();
    drawChart(element, { ...spec, width: drawnAt, height: heightFor(drawnAt) }).then(
      (drawn) => {
        if (gone) drawn.destroy();
        else chart = drawn;
      },
      () => {
        if (!gone) setFailed(true);
      },
    );
    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver(() => {
            if (width() === drawnAt) return;
            drawnAt = width();
            chart?.resize(drawnAt);
          })
        : null;
    observer?.observe(element);
    return () => {
      gone = true;
      observer?.disconnect();
      chart?.destroy();
    };
  }, [drawChart, spec]);

  return failed ? (
    <p className="report-empty">{t('doses.chartFailed')}</p>
  ) : (
    <div className="chart" ref={box} aria-hidden="true" />
  );
}
