import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The dataset every table and view lives in. SQL files name it; the deployment adds the project. */
export const DATASET_ID = 'ereg';

/** Where the views' SQL lives, one GoogleSQL file per view (`<name>.sql` is the view `ereg.<name>`). */
export const VIEWS_DIR = join(import.meta.dirname, 'sql');

/** The tables the views read, which the warehouse holds as tables (every other name is a view). */
export const WAREHOUSE_TABLES = ['events', 'centres', 'vaccines', 'population', 'availability_snapshots'] as const;
export type WarehouseTable = (typeof WAREHOUSE_TABLES)[number];

/** A view whose name starts with this is meant for publication, so it must suppress small groups. */
export const PUBLIC_PREFIX = 'public_';

/** The smallest group a publishable view may show: fewer people than this could be recognised. */
export const PUBLIC_SUPPRESSION_MIN = 10;

/** One output column of a view, as the file's header documents it. */
export interface ViewColumnDoc {
  name: string;
  description: string;
}

/** A view as its file `<name>.sql` declares it. */
export interface ViewFile {
  /** The view's name: the file's name without `.sql`. */
  name: string;
  /** The file's path, for messages. */
  file: string;
  /** The header's first line. */
  description: string;
  /** The header's `-- <column>: <description>` lines, in order. */
  columns: ViewColumnDoc[];
  /** The header's `-- suppressed below: <n>`: groups of fewer than n are not shown; null when absent. */
  suppressedBelow: number | null;
  /**
   * The header's `-- refreshed by: <table>.<column>`: where the view is kept as a table on one machine,
   * the rows of a key (its first column: a day, or the column's own value) come from the rows of that
   * table with that key in that column. BigQuery keeps it a view.
   */
  refresh: { source: WarehouseTable; column: string } | null;
  /** The file's SQL, comments included, without a trailing semicolon. */
  query: string;
  /** The tables and views the query reads (`ereg.<name>` in backticks), each once, in order of first mention. */
  references: string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REFERENCE = new RegExp(`^${DATASET_ID}\\.([A-Za-z_][A-Za-z0-9_]*)$`);
const UNQUOTED_REFERENCE = new RegExp(`\\b${DATASET_ID}\\s*\\.\\s*[A-Za-z_]`);
const SUPPRESSION = /^suppressed below:\s*(\d+)$/;
const REFRESH = /^refreshed by:\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;
const COLUMN = /^([A-Za-z_][A-Za-z0-9_]*):\s*(\S.*)$/;

type SpanKind = 'code' | 'comment' | 'string' | 'quoted';
interface Span {
  kind: SpanKind;
  start: number;
  end: number;
}

/** Where a quoted run that opens at `start` with `quote` ends (just past it); backslashes escape. */
function quotedEnd(sql: string, start: number, quote: string): number {
  let i = start + quote.length;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql.startsWith(quote, i)) return i + quote.length;
    else i += 1;
  }
  return sql.length;
}

/**
 * Splits GoogleSQL into code, comments (`--`, `#`, `/* … *\/`), string literals and quoted
 * identifiers, so that a table name is looked for only where BigQuery would read one.
 */
function scan(sql: string): Span[] {
  const spans: Span[] = [];
  const push = (kind: SpanKind, start: number, end: number) => {
    if (end > start) spans.push({ kind, start, end });
  };
  let code = 0;
  let i = 0;
  while (i < sql.length) {
    let found: { kind: SpanKind; end: number } | null = null;
    if (sql.startsWith('--', i) || sql[i] === '#') {
      const newline = sql.indexOf('\n', i);
      found = { kind: 'comment', end: newline < 0 ? sql.length : newline };
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      found = { kind: 'comment', end: close < 0 ? sql.length : close + 2 };
    } else if (sql[i] === '`') {
      found = { kind: 'quoted', end: quotedEnd(sql, i, '`') };
    } else if (sql[i] === "'" || sql[i] === '"') {
      const triple = (sql[i] as string).repeat(3);
      found = { kind: 'string', end: quotedEnd(sql, i, sql.startsWith(triple, i) ? triple : (sql[i] as string)) };
    }
    if (found) {
      push('code', code, i);
      push(found.kind, i, found.end);
      i = code = found.end;
    } else {
      i += 1;
    }
  }
  push('code', code, sql.length);
  return spans;
}

/** The warehouse name a quoted identifier refers to, or null when it is not `ereg.<name>`; throws on a half-qualified one. */
function referenceOf(quoted: string, file: string): string | null {
  const inner = quoted.slice(1, -1);
  const name = REFERENCE.exec(inner)?.[1];
  if (name) return name;
  if (inner === DATASET_ID || inner.startsWith(`${DATASET_ID}.`) || inner.includes(`.${DATASET_ID}.`)) {
    throw new Error(
      `${file}: ${quoted} is not how a table or view is named here; write \`${DATASET_ID}.<name>\` in one pair of ` +
        'backticks, without a project (the deployment adds the project it deploys to)',
    );
  }
  return null;
}

/** The tables and views a query reads, each once in order of first mention. */
function referencesOf(query: string, file: string): string[] {
  const names: string[] = [];
  for (const span of scan(query)) {
    const text = query.slice(span.start, span.end);
    if (span.kind === 'code' && UNQUOTED_REFERENCE.test(text)) {
      const [match] = text.match(new RegExp(`\\b${DATASET_ID}\\s*\\.\\s*\\w+`)) ?? [text];
      throw new Error(`${file}: ${match} must be written in backticks, as \`${match.replace(/\s/g, '')}\``);
    }
    if (span.kind !== 'quoted') continue;
    const name = referenceOf(text, file);
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The header: the comment lines the file begins with. */
function parseHeader(
  sql: string,
  file: string,
): Pick<ViewFile, 'description' | 'columns' | 'suppressedBelow' | 'refresh'> {
  const lines: string[] = [];
  for (const line of sql.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('--')) break;
    lines.push(trimmed.replace(/^--\s?/, '').trim());
  }
  const [description, ...rest] = lines;
  if (!description) {
    throw new Error(`${file}: the file must begin with a comment line describing the view (-- <description>)`);
  }
  const columns: ViewColumnDoc[] = [];
  let suppressedBelow: number | null = null;
  let refresh: ViewFile['refresh'] = null;
  for (const line of rest) {
    const suppression = SUPPRESSION.exec(line);
    const refreshed = REFRESH.exec(line);
    const column = COLUMN.exec(line);
    if (suppression) {
      suppressedBelow = Number(suppression[1]);
    } else if (refreshed) {
      refresh = { source: (refreshed[1] ?? '') as WarehouseTable, column: refreshed[2] ?? '' };
    } else if (column) {
      const [, name = '', text = ''] = column;
      if (columns.some((c) => c.name === name)) throw new Error(`${file}: column ${name} is described twice`);
      columns.push({ name, description: text.trim() });
    } else {
      throw new Error(
        `${file}: the header line "-- ${line}" is none of "-- <column>: <description>", "-- suppressed below: <n>" ` +
          'and "-- refreshed by: <table>.<column>" (end the header with a blank line before other comments)',
      );
    }
  }
  if (columns.length === 0) {
    throw new Error(`${file}: the header must describe each output column (-- <column>: <description>)`);
  }
  if (refresh && !(WAREHOUSE_TABLES as readonly string[]).includes(refresh.source)) {
    throw new Error(
      `${file}: refreshed by ${refresh.source}, which is not a table of the warehouse (${WAREHOUSE_TABLES.join(', ')})`,
    );
  }
  // The first column is the key whose rows a refresh makes again: a day, or the source's own key.
  if (refresh && columns[0]?.name !== 'day' && columns[0]?.name !== refresh.column) {
    throw new Error(
      `${file}: a view refreshed by ${refresh.source}.${refresh.column} has «day» or «${refresh.column}» as its first column`,
    );
  }
  return { description, columns, suppressedBelow, refresh };
}

/** Reads one view file; throws, naming the file, when it breaks a rule of readViewFiles. */
export function parseViewFile(file: string, sql: string): ViewFile {
  const base = file.split(/[\\/]/).pop() ?? file;
  const name = base.replace(/\.sql$/, '');
  if (!IDENTIFIER.test(name)) {
    throw new Error(`${file}: a view's name is its file's name, and ${name} is not one (letters, digits and _)`);
  }
  const header = parseHeader(sql, file);
  if (name.startsWith(PUBLIC_PREFIX) && (header.suppressedBelow ?? 0) < PUBLIC_SUPPRESSION_MIN) {
    throw new Error(
      `${file}: a ${PUBLIC_PREFIX} view is for publication and must carry the header line ` +
        `"-- suppressed below: ${PUBLIC_SUPPRESSION_MIN}" (groups of fewer people are not shown)` +
        (header.suppressedBelow === null ? '' : `; it says ${header.suppressedBelow}`),
    );
  }
  const query = sql.trimEnd().replace(/;$/, '').trimEnd();
  if (scan(query).every((span) => span.kind === 'comment' || query.slice(span.start, span.end).trim() === '')) {
    throw new Error(`${file}: there is no query after the header`);
  }
  return { name, file, ...header, query, references: referencesOf(query, file) };
}

/**
 * Reads every `<name>.sql` of `dir` (none when it does not exist), by name. Each begins with
 * `-- <description>`, then `-- <column>: <description>` per output column, `-- suppressed below: <n>`
 * (required, at 10 or more, in a `public_` file) and `-- refreshed by: <table>.<column>`; the header ends
 * at the first line that is not a comment.
 * Tables and views are written `` `ereg.<name>` ``. Throws, naming the file, when one breaks these rules.
 */
export function readViewFiles(dir: string = VIEWS_DIR): ViewFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => entry.endsWith('.sql'))
    .sort()
    .map((entry) => parseViewFile(join(dir, entry), readFileSync(join(dir, entry), 'utf8')));
}

/**
 * The views in an order to create them in, each after every view it reads. Throws, naming the file,
 * when a view reads a name that is neither one of `tables` nor another view, takes a table's name,
 * or reads itself through others.
 */
export function orderViews(views: readonly ViewFile[], tables: readonly string[]): ViewFile[] {
  const byName = new Map(views.map((view) => [view.name, view]));
  for (const view of views) {
    if (tables.includes(view.name)) {
      throw new Error(`${view.file}: ${DATASET_ID}.${view.name} is a table; a view needs a name of its own`);
    }
    for (const reference of view.references) {
      if (!tables.includes(reference) && !byName.has(reference)) {
        throw new Error(
          `${view.file}: \`${DATASET_ID}.${reference}\` is neither a table of the warehouse (${tables.join(', ')}) ` +
            'nor another view of the folder',
        );
      }
    }
  }
  const ordered: ViewFile[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (view: ViewFile, path: string[]) => {
    if (state.get(view.name) === 'done') return;
    if (state.get(view.name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(view.name)), view.name];
      throw new Error(`${view.file}: the views read each other in a circle (${cycle.join(' → ')})`);
    }
    state.set(view.name, 'visiting');
    for (const reference of view.references) {
      const read = byName.get(reference);
      if (read) visit(read, [...path, view.name]);
    }
    state.set(view.name, 'done');
    ordered.push(view);
  };
  for (const view of views) visit(view, []);
  return ordered;
}

/** The query's SQL without its comments and string literals (each blanked out), where names and clauses are read. */
export function codeOf(query: string): string {
  return scan(query)
    .map((span) => {
      const text = query.slice(span.start, span.end);
      return span.kind === 'comment' || span.kind === 'string' ? text.replace(/[^\n]/g, ' ') : text;
    })
    .join('');
}

/** The query with every `` `ereg.<name>` `` read as `` `<project>.ereg.<name>` ``; comments and strings are left alone. */
export function qualifyQuery(query: string, project: string): string {
  return scan(query)
    .map((span) => {
      const text = query.slice(span.start, span.end);
      const name = span.kind === 'quoted' ? REFERENCE.exec(text.slice(1, -1))?.[1] : undefined;
      return name ? `\`${project}.${DATASET_ID}.${name}\`` : text;
    })
    .join('');
}
