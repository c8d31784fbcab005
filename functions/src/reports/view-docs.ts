import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderViews, readViewFiles, type ViewFile, WAREHOUSE_TABLES } from './view-files.ts';

/** docs/reports.md, whose view reference is made from the views' headers. */
export const REPORTS_DOC = join(import.meta.dirname, '..', '..', '..', 'docs', 'reports.md');
const START = '<!-- views: made by `npm run docs:views` from the headers of functions/src/reports/sql/*.sql -->';
const END = '<!-- end of views -->';

/** The reference of every view: what it holds, how it is kept on one machine, and each column. */
export function renderViewReference(views: readonly ViewFile[]): string {
  return views
    .map((view) => {
      const key = view.columns[0]?.name;
      const kept = !view.refresh
        ? 'On one machine a view, like in BigQuery.'
        : key === 'day'
          ? `On one machine a table, refreshed day by day from \`${view.refresh.source}.${view.refresh.column}\`.`
          : `On one machine a table, whose rows of a \`${key}\` are made again from the rows of \`${view.refresh.source}\` with it.`;
      const published =
        view.suppressedBelow === null
          ? ''
          : ` **For publication:** every count under ${view.suppressedBelow} is withheld (null).`;
      const reads = view.references.map((r) => `\`ereg.${r}\``).join(', ');
      const rows = view.columns.map((c) => `| \`${c.name}\` | ${c.description.replaceAll('|', '\\|')} |`);
      return [
        `### \`ereg.${view.name}\``,
        '',
        `${view.description} Reads ${reads}. ${kept}${published}`,
        '',
        '| column | what it holds |',
        '| --- | --- |',
        ...rows,
      ].join('\n');
    })
    .join('\n\n');
}

/** The document with its view reference made again from the files. */
export function withViewReference(doc: string, views: readonly ViewFile[]): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/reports.md: the markers ${START} and ${END} are missing`);
  return `${doc.slice(0, start + START.length)}\n\n${renderViewReference(views)}\n\n${doc.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const views = orderViews(readViewFiles(), WAREHOUSE_TABLES);
  writeFileSync(REPORTS_DOC, withViewReference(readFileSync(REPORTS_DOC, 'utf8'), views));
  console.log(`docs/reports.md: the reference of ${views.length} views made again.`);
}
