import { useId, useState } from 'react';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { csvFileName, toCsv } from '../lib/csv.ts';
import type { Table } from '../lib/report-tables.ts';
import { type FigureKind, Missing } from './missing.tsx';

/**
 * A chart's figures as a table: a caption, the columns' names, a row header per row; figures
 * right-aligned, a withheld one as "—" with why. It scrolls sideways on a phone (and takes the focus
 * for it, so a keyboard scrolls it too).
 */
export function DataTable({ table, reason }: { table: Table; reason: (kind: FigureKind) => string }) {
  const caption = useId();
  const shown = table.columns.map((column, index) => ({ column, index })).filter(({ column }) => !column.csvOnly);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take the focus, so that a keyboard scrolls it.
    <section className="table-scroll" aria-labelledby={caption} tabIndex={0}>
      <table className="data-table">
        <caption id={caption}>{table.title}</caption>
        <thead>
          <tr>
            {shown.map(({ column, index }) => (
              <th key={index} scope="col" className={column.numeric ? 'numeric' : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.key}>
              {shown.map(({ column, index }) => {
                const cell = row.cells[index];
                const content = cell?.text ?? <Missing reason={reason(column.derived ? 'derived' : 'count')} />;
                return index === 0 ? (
                  <th key={index} scope="row">
                    {content}
                  </th>
                ) : (
                  <td key={index} className={column.numeric ? 'numeric' : undefined}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * Under a chart: its table shown or hidden on asking, and its figures as a CSV file made here from the
 * same rows (`<stem>-<from>-<to>.csv`).
 */
export function TableTools({
  table,
  file,
  reason,
}: {
  table: Table;
  file: { stem: string; from: string; to: string };
  reason: (kind: FigureKind) => string;
}) {
  const { download } = useApp();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const region = useId();
  return (
    <>
      <div className="table-tools">
        <button
          type="button"
          className="button"
          aria-expanded={open}
          aria-controls={region}
          aria-label={t(open ? 'table.hideOf' : 'table.showOf', { name: table.title })}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t('table.hide') : t('table.show')}
        </button>
        <button
          type="button"
          className="button"
          aria-label={t('csv.downloadOf', { name: table.title })}
          onClick={() => download(csvFileName(file.stem, file.from, file.to), 'text/csv;charset=utf-8', toCsv(table))}
        >
          {t('csv.download')}
        </button>
      </div>
      <div id={region}>{open ? <DataTable table={table} reason={reason} /> : null}</div>
    </>
  );
}
