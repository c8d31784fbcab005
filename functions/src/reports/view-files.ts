import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referencesOf } from './dialect.ts';

/** Where the views' SQL lives, one GoogleSQL file per view (`<name>.sql` is the view `ereg.<name>`). */
export const VIEWS_DIR = join(import.meta.dirname, 'sql');

/** The tables the views read, which the warehouse holds as tables (the rest of the names are views). */
export const WAREHOUSE_TABLES = ['events', 'centres', 'vaccines', 'population', 'availability_snapshots'] as const;
export type WarehouseTable = (typeof WAREHOUSE_TABLES)[number];

/**
 * Views kept up to date from their source on one machine: the rows of a day depend only on the
 * source's rows of that day (`source.column`), so new rows recompute only the days they touch.
 */
export interface Refresh {
  source: WarehouseTable;
  /** The source's column whose value is the view's `day`. */
  column: string;
}

export interface ViewFile {
  name: string;
  /** The file's first comment line. */
  description: string;
  /** Each output column and what it holds, in order. */
  columns: Array<{ name: string; description: string }>;
  /** The GoogleSQL text, comments included. */
  query: string;
  /** The tables and views it reads (`ereg.<name>`), in order of first use. */
  references: string[];
  /** Set for a view kept as a table on one machine, refreshed by day (`-- refreshed by: events.visit_date`). */
  refresh: Refresh | null;
  /** The smallest count published (`-- suppressed below: 10`), for views meant for publication (`public_…`). */
  suppressedBelow: number | null;
}

const HEADER = /^--\s?(.*)$/;
const COLUMN = /^([a-z_][a-z0-9_]*): (.+)$/;
const REFRESHED_BY = /^refreshed by: ([a-z_]+)\.([a-z_]+)$/;
const SUPPRESSED = /^suppressed below: (\d+)$/;

/** Reads one view's file and its header; a malformed header is an error naming the file and line. */
export function parseViewFile(name: string, query: string): ViewFile {
  const where = `${name}.sql`;
  const header: string[] = [];
  for (const line of query.split('\n')) {
    const match = HEADER.exec(line);
    if (!match) break;
    header.push((match[1] ?? '').trim());
  }
  const [description, ...rest] = header;
  if (!description) throw new Error(`${where}: the first line must be a comment describing the view`);
  let refresh: Refresh | null = null;
  let suppressedBelow: number | null = null;
  const columns: ViewFile['columns'] = [];
  for (const line of rest) {
    const refreshed = REFRESHED_BY.exec(line);
    const suppressed = SUPPRESSED.exec(line);
    const column = COLUMN.exec(line);
    if (refreshed) {
      const source = refreshed[1] as WarehouseTable;
      if (!WAREHOUSE_TABLES.includes(source))
        throw new Error(`${where}: refreshed by a table the warehouse lacks: ${line}`);
      refresh = { source, column: refreshed[2] as string };
    } else if (suppressed) {
      suppressedBelow = Number(suppressed[1]);
    } else if (column) {
      columns.push({ name: column[1] as string, description: column[2] as string });
    } else {
      throw new Error(
        `${where}: a header line is «<column>: <what it holds>», «refreshed by: …» or «suppressed below: …», not «${line}»`,
      );
    }
  }
  if (name.startsWith('public_') && suppressedBelow === null) {
    throw new Error(`${where}: a view for publication says «-- suppressed below: <n>»`);
  }
  if (refresh && columns[0]?.name !== 'day') {
    throw new Error(`${where}: a view refreshed by day has «day» as its first column`);
  }
  return { name, description, columns, query, references: referencesOf(query, where), refresh, suppressedBelow };
}

/** Every view of a folder, in an order where each comes after the views it reads. */
export function readViewFiles(dir = VIEWS_DIR): ViewFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => parseViewFile(f.slice(0, -'.sql'.length), readFileSync(join(dir, f), 'utf8')));
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const file of files) {
    for (const ref of file.references) {
      if (!byName.has(ref) && !(WAREHOUSE_TABLES as readonly string[]).includes(ref)) {
        throw new Error(`${file.name}.sql reads \`ereg.${ref}\`, which is neither a table nor a view`);
      }
    }
  }
  const ordered: ViewFile[] = [];
  const visiting = new Set<string>();
  const visit = (file: ViewFile) => {
    if (ordered.includes(file)) return;
    if (visiting.has(file.name)) throw new Error(`${file.name}.sql reads itself through other views`);
    visiting.add(file.name);
    for (const ref of file.references) {
      const view = byName.get(ref);
      if (view) visit(view);
    }
    ordered.push(file);
  };
  for (const file of files) visit(file);
  return ordered;
}
