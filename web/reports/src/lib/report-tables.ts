import type { ReportSummary, Vaccine } from '@ereg/shared';
import type { Translator } from '../../../shared/src/i18n.ts';
import { vaccineName } from '../../../shared/src/vaccine-name.ts';
import type { MessageKey } from '../i18n/pl.ts';
import type { Figures } from './format.ts';

/*
 * Each chart's figures as a table: what the page shows as its table view and what its CSV holds,
 * built from the same rows so that the two never disagree.
 */

/** A cell: its value as data (a number, a date, a name; null where the figure was withheld) and as shown. */
export interface Cell {
  value: string | number | null;
  /** The value as the page writes it; null where it was withheld (the page says so). */
  text: string | null;
}

export interface Column {
  label: string;
  /** A figure (right-aligned), rather than a name or a date. */
  numeric: boolean;
  /** Only in the CSV (a code for joining other data), not on the page. */
  csvOnly?: boolean;
  /** A figure made from counts (a rate, an average) rather than a count. */
  derived?: boolean;
}

export interface Table {
  /** What the table is of, for its caption and its file. */
  title: string;
  columns: Column[];
  rows: Array<{ key: string; cells: Cell[] }>;
}

export interface Words {
  t: Translator<MessageKey>;
  figures: Figures;
  vaccines: readonly Vaccine[];
}

const cell = (value: number | null, show: (v: number) => string): Cell => ({
  value,
  text: value === null ? null : show(value),
});

/** The voivodeships' table: one row each, in the register's order, with the uptake and the doses. */
export function uptakeTable(report: ReportSummary, { t, figures }: Words): Table {
  return {
    title: t('uptake.table'),
    columns: [
      { label: t('col.voivodeship'), numeric: false },
      { label: t('col.teryt'), numeric: false, csvOnly: true },
      { label: t('col.population'), numeric: true },
      { label: t('col.peopleVaccinated'), numeric: true },
      { label: t('col.peopleFullyVaccinated'), numeric: true },
      { label: t('col.vaccinatedPer100'), numeric: true, derived: true },
      { label: t('col.fullyVaccinatedPer100'), numeric: true, derived: true },
      { label: t('col.dosesInPeriod'), numeric: true },
    ],
    rows: report.voivodeships.map((v) => {
      const name = t(`voivodeship.${v.voivodeship}` as MessageKey);
      return {
        key: v.voivodeship,
        cells: [
          { value: name, text: name },
          { value: v.voivodeship, text: v.voivodeship },
          cell(v.population, figures.count),
          cell(v.peopleVaccinated, figures.count),
          cell(v.peopleFullyVaccinated, figures.count),
          cell(v.vaccinatedPer100, figures.per100),
          cell(v.fullyVaccinatedPer100, figures.per100),
          cell(v.dosesInPeriod, figures.count),
        ],
      };
    }),
  };
}

/** A product and dose of the daily doses, as the chart layers them and the table gives them a column. */
export interface DoseLayer {
  vaccineId: string;
  dose: number;
  label: string;
  /** One value per day of `days` (0 on a day without a dose; null where withheld). */
  values: Array<number | null>;
}

/** The daily doses by product and dose, one layer each (by product name, then dose), over every day. */
export function doseLayers(report: ReportSummary, { t, vaccines }: Pick<Words, 't' | 'vaccines'>): DoseLayer[] {
  const days = report.dailyTotals.map((d) => d.day);
  const index = new Map(days.map((day, i) => [day, i]));
  const layers = new Map<string, DoseLayer>();
  for (const row of report.dosesPerDay) {
    const key = `${row.vaccineId}#${row.dose}`;
    let layer = layers.get(key);
    if (!layer) {
      const vaccine = vaccineName(vaccines, row.vaccineId);
      layer = {
        vaccineId: row.vaccineId,
        dose: row.dose,
        label: t('doses.layer', { vaccine, dose: row.dose }),
        values: days.map(() => 0),
      };
      layers.set(key, layer);
    }
    const at = index.get(row.day);
    if (at !== undefined) layer.values[at] = row.doses;
  }
  const name = (l: DoseLayer) => vaccineName(vaccines, l.vaccineId);
  return [...layers.values()].sort((a, b) => name(a).localeCompare(name(b)) || a.dose - b.dose);
}

/** The daily doses' table: one row a day, a column per product and dose, the day's total and the 7-day average. */
export function dosesTable(report: ReportSummary, layers: readonly DoseLayer[], { t, figures }: Words): Table {
  return {
    title: t('doses.table'),
    columns: [
      { label: t('col.day'), numeric: false },
      ...layers.map((l) => ({ label: l.label, numeric: true })),
      { label: t('col.total'), numeric: true },
      { label: t('col.average7'), numeric: true, derived: true },
    ],
    rows: report.dailyTotals.map((d, i) => ({
      key: d.day,
      cells: [
        { value: d.day, text: figures.day(d.day) },
        ...layers.map((l) => cell(l.values[i] ?? null, figures.count)),
        cell(d.doses, figures.count),
        cell(d.average7, figures.decimal),
      ],
    })),
  };
}
