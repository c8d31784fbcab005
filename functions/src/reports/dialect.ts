/**
 * The views' SQL is written once, in BigQuery's GoogleSQL, and run on SQLite on one machine through
 * this translation. It knows a small, fixed part of GoogleSQL — each construct below, and nothing
 * else: a function or an operator it does not know is refused with the file and the name, so a view
 * cannot use something whose meaning the two engines do not share.
 *
 * | GoogleSQL | SQLite |
 * | --- | --- |
 * | `` `ereg.name` `` | what `tables` says (a table, a view or a subquery) |
 * | `JSON_VALUE(json, '$.path')` | `json_extract(json, '$.path')` as text (`'true'`, `'2'`), NULL for an object or array |
 * | `TO_JSON_STRING(JSON_QUERY(json, '$.path'))` | `json(json_extract(json, '$.path'))`: an array or object as compact JSON text |
 * | `UNION DISTINCT`, `UNION ALL` | `UNION`, `UNION ALL` |
 * | `SAFE_DIVIDE(a, b)` | `CAST(a AS REAL) / NULLIF(b, 0)` |
 * | `DIV(a, b)` | `a / b` on integers |
 * | `COUNTIF(c)` | `SUM(CASE WHEN c THEN 1 ELSE 0 END)` |
 * | `IF(c, a, b)` | `CASE WHEN c THEN a ELSE b END` |
 * | `DATE_DIFF(a, b, DAY)` | `CAST(julianday(a) - julianday(b) AS INTEGER)` |
 * | `DATE_ADD(d, INTERVAL n DAY)`, `DATE_SUB` | `date(d, printf('%+d days', ±n))` |
 * | `DATE_TRUNC(d, ISOWEEK)`, `DATE_TRUNC(d, MONTH)` | `date(d, 'weekday 0', '-6 days')`, `date(d, 'start of month')` |
 * | `FORMAT_DATE('%G-W%V' or '%Y-%m-%d' or '%Y', d)` | `strftime(format, d)` |
 * | `EXTRACT(YEAR or ISOWEEK FROM d)` | `CAST(strftime('%Y' or '%V', d) AS INTEGER)` |
 * | `CAST(x AS INT64 / FLOAT64 / STRING)` | `CAST(x AS INTEGER / REAL / TEXT)` |
 * | `DATE '2021-01-01'`, `TIMESTAMP '2021-01-01'` | `'2021-01-01'` (dates and instants are ISO text) |
 * | `@name` | `@name` (a bound parameter in both) |
 *
 * Functions that mean the same in both pass as they are: COUNT, SUM, MIN, MAX, AVG, COALESCE,
 * NULLIF, IFNULL, ROUND, ABS, ROW_NUMBER, GREATEST (`max`), LEAST (`min`). The division operator `/`
 * is refused (integers divide differently): use SAFE_DIVIDE or DIV.
 */

/** How a dataset-qualified name (`ereg.events`) reads on SQLite. */
export type TableResolver = (name: string) => string;

export class DialectError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'DialectError';
  }
}

type TokenKind = 'word' | 'string' | 'quoted' | 'number' | 'param' | 'punct' | 'space';
interface Token {
  kind: TokenKind;
  text: string;
}

const PATTERNS: Array<[TokenKind, RegExp]> = [
  ['space', /^(\s+|--[^\n]*)/],
  ['string', /^'(?:[^'\\]|\\.|'')*'/],
  ['quoted', /^`[^`]+`/],
  ['number', /^\d+(\.\d+)?/],
  ['param', /^@[A-Za-z_][A-Za-z0-9_]*/],
  ['word', /^[A-Za-z_][A-Za-z0-9_]*/],
  ['punct', /^(<=|>=|<>|!=|\|\||[(),.;=<>+\-*/])/],
];

export function tokenize(sql: string, where: string): Token[] {
  const tokens: Token[] = [];
  let rest = sql;
  while (rest.length > 0) {
    const match = PATTERNS.map(([kind, re]) => ({ kind, m: re.exec(rest) })).find((p) => p.m);
    if (!match?.m) throw new DialectError(where, `cannot read the SQL at «${rest.slice(0, 20)}»`);
    tokens.push({ kind: match.kind, text: match.m[0] });
    rest = rest.slice(match.m[0].length);
  }
  return tokens;
}

/** Words followed by `(` that are not function calls. */
const KEYWORDS = new Set(
  [
    'AS',
    'IN',
    'EXISTS',
    'OVER',
    'USING',
    'VALUES',
    'AND',
    'OR',
    'NOT',
    'ON',
    'WHEN',
    'THEN',
    'ELSE',
    'FROM',
    'WHERE',
    'SELECT',
    'JOIN',
    'BY',
    'WITH',
    'HAVING',
  ].map((w) => w.toUpperCase()),
);

const SAME: Record<string, string> = {
  COUNT: 'COUNT',
  SUM: 'SUM',
  MIN: 'MIN',
  MAX: 'MAX',
  AVG: 'AVG',
  COALESCE: 'COALESCE',
  NULLIF: 'NULLIF',
  IFNULL: 'IFNULL',
  ROUND: 'ROUND',
  ABS: 'ABS',
  ROW_NUMBER: 'ROW_NUMBER',
  GREATEST: 'max',
  LEAST: 'min',
};

const CAST_TYPES: Record<string, string> = { INT64: 'INTEGER', FLOAT64: 'REAL', STRING: 'TEXT' };
const DATE_FORMATS = new Set(["'%G-W%V'", "'%Y-%m-%d'", "'%Y'"]);
const EXTRACT_PARTS: Record<string, string> = { YEAR: "'%Y'", ISOWEEK: "'%V'" };

/** The text of tokens, spaces kept. */
const textOf = (tokens: Token[]) => tokens.map((t) => t.text).join('');
const solid = (tokens: Token[]) => tokens.filter((t) => t.kind !== 'space');

/** The tokens of a call's arguments, split at its top-level commas; `end` is the index of its `)`. */
function callArguments(tokens: Token[], open: number, where: string): { args: Token[][]; end: number } {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.text === '(') depth++;
    if (token.text === ')') {
      if (depth === 0) return { args: args.length === 1 && solid(args[0] as Token[]).length === 0 ? [] : args, end: i };
      depth--;
    }
    if (token.text === ',' && depth === 0) args.push([]);
    else (args[args.length - 1] as Token[]).push(token);
  }
  throw new DialectError(where, 'a parenthesis is not closed');
}

/** Translates a GoogleSQL view text to SQLite; `where` names the file in errors. */
export function toSqlite(sql: string, tables: TableResolver, where: string): string {
  return translate(tokenize(sql, where), tables, where);
}

function translate(tokens: Token[], tables: TableResolver, where: string): string {
  let out = '';
  const word = (i: number) => (tokens[i]?.kind === 'word' ? (tokens[i] as Token).text.toUpperCase() : '');
  const nextSolid = (i: number) => {
    let j = i + 1;
    while (tokens[j]?.kind === 'space') j++;
    return j;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === 'quoted') {
      const name = token.text.slice(1, -1);
      if (!/^ereg\.[a-z_][a-z0-9_]*$/.test(name)) {
        throw new DialectError(where, `${token.text}: name tables and views as \`ereg.<name>\``);
      }
      out += tables(name.slice('ereg.'.length));
      continue;
    }
    if (token.kind === 'punct' && token.text === '/') {
      throw new DialectError(where, 'the division operator `/` divides integers differently: use SAFE_DIVIDE or DIV');
    }
    if (token.kind !== 'word') {
      out += token.text;
      continue;
    }
    const upper = token.text.toUpperCase();
    const after = nextSolid(i);
    // DATE '2021-01-01' and TIMESTAMP '…' literals: ISO text on SQLite.
    if ((upper === 'DATE' || upper === 'TIMESTAMP') && tokens[after]?.kind === 'string') {
      out += (tokens[after] as Token).text;
      i = after;
      continue;
    }
    // GoogleSQL says UNION DISTINCT or UNION ALL; SQLite's UNION is the first.
    if (upper === 'UNION') {
      const kind = word(after);
      if (kind === 'DISTINCT') {
        out += token.text;
        i = after;
        continue;
      }
      if (kind !== 'ALL') throw new DialectError(where, 'say UNION DISTINCT or UNION ALL');
    }
    if (tokens[after]?.text !== '(' || KEYWORDS.has(upper)) {
      if (upper === 'INTERVAL' || upper === 'ISOWEEK' || upper === 'QUALIFY' || upper === 'UNNEST') {
        throw new DialectError(where, `${token.text} is known only inside the functions listed in dialect.ts`);
      }
      out += token.text;
      continue;
    }
    const { args, end } = callArguments(tokens, after, where);
    const arg = (n: number) => {
      const a = args[n];
      if (!a) throw new DialectError(where, `${upper} needs at least ${n + 1} arguments`);
      return translate(a, tables, where);
    };
    const only = (n: number) => {
      if (args.length !== n) throw new DialectError(where, `${upper} takes ${n} arguments, not ${args.length}`);
    };
    const bare = (n: number) => textOf(solid(args[n] ?? [])).toUpperCase();
    let sqlite: string;
    switch (upper) {
      case 'JSON_VALUE':
        // GoogleSQL gives a scalar as a STRING (true as 'true', 2 as '2') and an object or array as NULL.
        only(2);
        sqlite =
          `(CASE json_type(${arg(0)}, ${arg(1)}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ` +
          `WHEN 'object' THEN NULL WHEN 'array' THEN NULL ELSE CAST(json_extract(${arg(0)}, ${arg(1)}) AS TEXT) END)`;
        break;
      case 'TO_JSON_STRING': {
        // Known only around JSON_QUERY of an array or object: its compact JSON text in both engines.
        only(1);
        const inner = solid(args[0] ?? []);
        if (inner[0]?.text.toUpperCase() !== 'JSON_QUERY' || inner[1]?.text !== '(') {
          throw new DialectError(where, 'TO_JSON_STRING is known only as TO_JSON_STRING(JSON_QUERY(json, path))');
        }
        const query = callArguments(inner, 1, where);
        if (query.args.length !== 2 || query.end !== inner.length - 1) {
          throw new DialectError(where, 'JSON_QUERY takes 2 arguments');
        }
        const [json, path] = query.args.map((a) => translate(a, tables, where));
        sqlite = `json(json_extract(${json}, ${path}))`;
        break;
      }
      case 'SAFE_DIVIDE':
        only(2);
        sqlite = `(CAST(${arg(0)} AS REAL) / NULLIF(${arg(1)}, 0))`;
        break;
      case 'DIV':
        only(2);
        sqlite = `(CAST(${arg(0)} AS INTEGER) / CAST(${arg(1)} AS INTEGER))`;
        break;
      case 'COUNTIF':
        only(1);
        sqlite = `SUM(CASE WHEN ${arg(0)} THEN 1 ELSE 0 END)`;
        break;
      case 'IF':
        only(3);
        sqlite = `(CASE WHEN ${arg(0)} THEN ${arg(1)} ELSE ${arg(2)} END)`;
        break;
      case 'DATE_DIFF':
        only(3);
        if (bare(2) !== 'DAY') throw new DialectError(where, 'DATE_DIFF counts in DAY only');
        sqlite = `CAST(julianday(${arg(0)}) - julianday(${arg(1)}) AS INTEGER)`;
        break;
      case 'DATE_ADD':
      case 'DATE_SUB': {
        only(2);
        const interval = solid(args[1] ?? []);
        if (interval[0]?.text.toUpperCase() !== 'INTERVAL' || interval.at(-1)?.text.toUpperCase() !== 'DAY') {
          throw new DialectError(where, `${upper} takes INTERVAL <n> DAY`);
        }
        const n = translate(interval.slice(1, -1), tables, where);
        sqlite = `date(${arg(0)}, printf('%+d days', ${upper === 'DATE_SUB' ? '-' : ''}(${n})))`;
        break;
      }
      case 'DATE_TRUNC':
        only(2);
        if (bare(1) === 'ISOWEEK') sqlite = `date(${arg(0)}, 'weekday 0', '-6 days')`;
        else if (bare(1) === 'MONTH') sqlite = `date(${arg(0)}, 'start of month')`;
        else throw new DialectError(where, 'DATE_TRUNC takes ISOWEEK or MONTH');
        break;
      case 'FORMAT_DATE':
        only(2);
        if (!DATE_FORMATS.has(textOf(solid(args[0] ?? [])))) {
          throw new DialectError(where, `FORMAT_DATE takes one of ${[...DATE_FORMATS].join(', ')}`);
        }
        sqlite = `strftime(${arg(0)}, ${arg(1)})`;
        break;
      case 'EXTRACT': {
        only(1);
        const parts = solid(args[0] ?? []);
        const part = EXTRACT_PARTS[parts[0]?.text.toUpperCase() ?? ''];
        if (!part || parts[1]?.text.toUpperCase() !== 'FROM') {
          throw new DialectError(where, `EXTRACT takes ${Object.keys(EXTRACT_PARTS).join(' or ')} FROM <date>`);
        }
        sqlite = `CAST(strftime(${part}, ${translate(parts.slice(2), tables, where)}) AS INTEGER)`;
        break;
      }
      case 'CAST': {
        only(1);
        const parts = args[0] ?? [];
        const as = parts.findLastIndex((t) => t.kind === 'word' && t.text.toUpperCase() === 'AS');
        const type = solid(parts.slice(as + 1))
          .map((t) => t.text.toUpperCase())
          .join(' ');
        const target = CAST_TYPES[type];
        if (as < 0 || !target) {
          throw new DialectError(
            where,
            `CAST takes AS ${Object.keys(CAST_TYPES).join(', ')} (not ${type || 'nothing'})`,
          );
        }
        sqlite = `CAST(${translate(parts.slice(0, as), tables, where)} AS ${target})`;
        break;
      }
      default: {
        const same = SAME[upper];
        if (!same) {
          throw new DialectError(
            where,
            `${token.text}() is not one of the functions both engines share (see dialect.ts)`,
          );
        }
        sqlite = `${same}(${args.map((_, n) => arg(n)).join(',')})`;
      }
    }
    out += sqlite;
    i = end;
  }
  return out;
}
