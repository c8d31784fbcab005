import { codeOf, type ViewFile } from './view-files.ts';

/** How a view's rows add up: the columns it groups by, and the sums over each group's rows. */
export interface Additive {
  keys: string[];
  sums: string[];
}

const AGGREGATE = /\b(COUNT|COUNTIF|SUM|MIN|MAX|AVG|ANY_VALUE|ARRAY_AGG|STRING_AGG|LOGICAL_AND|LOGICAL_OR)\s*\(/i;
const NOT_ADDITIVE = /\b(DISTINCT|HAVING|OVER|JOIN|UNION|WITH|LIMIT|QUALIFY|WINDOW|ORDER|EXCEPT|INTERSECT)\b/i;

/** The text with every parenthesised part blanked (parentheses kept), so that what is left is the top level. */
function topLevel(code: string): string {
  let depth = 0;
  let out = '';
  for (const c of code) {
    if (c === ')') depth -= 1;
    out += depth > 0 && c !== '\n' ? ' ' : c;
    if (c === '(') depth += 1;
  }
  return out;
}

/** Splits `code` at the top-level commas (found in `top`, its top level). */
function splitItems(code: string, top: string): string[] {
  const items: string[] = [];
  let from = 0;
  for (let i = 0; i < top.length; i++) {
    if (top[i] === ',') {
      items.push(code.slice(from, i));
      from = i + 1;
    }
  }
  items.push(code.slice(from));
  return items.map((item) => item.trim());
}

/**
 * How a view kept as a table adds up, when its rows of a day can be brought up to date by adding
 * the new rows' sums instead of reading the whole day again; null when they cannot. That is so when
 * the view is one SELECT over its source alone — no join, subquery, DISTINCT, window, HAVING or
 * UNION — grouping by exactly its other columns, each remaining column a COUNT, COUNTIF or SUM over
 * the group: a group's value over old and new rows is then the sum of its values over each.
 */
export function additiveOf(view: ViewFile): Additive | null {
  if (!view.refresh || view.references.join() !== view.refresh.source) return null;
  const code = codeOf(view.query).replace(/`[^`]*`/g, (quoted) => ' '.repeat(quoted.length));
  const top = topLevel(code);
  if ((top.match(/\bSELECT\b/gi) ?? []).length !== 1 || (code.match(/\bSELECT\b/gi) ?? []).length !== 1) return null;
  if (NOT_ADDITIVE.test(code)) return null;
  const select = /\bSELECT\b/i.exec(top);
  const from = /\bFROM\b/i.exec(top);
  const groupBy = /\bGROUP\s+BY\b/i.exec(top);
  if (!select || !from || !groupBy || from.index > groupBy.index) return null;
  const listStart = select.index + select[0].length;
  const items = splitItems(code.slice(listStart, from.index), top.slice(listStart, from.index));
  const keys: string[] = [];
  const sums: string[] = [];
  for (const item of items) {
    const named = /^([\s\S]*?)\s+AS\s+([A-Za-z_]\w*)$/i.exec(item);
    const expression = (named?.[1] ?? item).trim();
    const name = named?.[2] ?? (/^[A-Za-z_]\w*$/.test(item) ? item : null);
    if (!name) return null;
    if (/^(COUNT|COUNTIF|SUM)\s*\(\s*\)$/i.test(topLevel(expression))) sums.push(name);
    else if (AGGREGATE.test(expression)) return null;
    else keys.push(name);
  }
  const grouped = code
    .slice(groupBy.index + groupBy[0].length)
    .split(',')
    .map((g) => g.trim());
  const sameKeys = grouped.length === keys.length && keys.every((k) => grouped.includes(k));
  if (!sameKeys || sums.length === 0 || keys[0] !== view.columns[0]?.name) return null;
  return { keys, sums };
}
