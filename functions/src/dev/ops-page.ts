import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type Histogram, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { pageCsp } from '../http/security-headers.ts';
import { METRIC_NAMES } from '../observability/metrics.ts';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:64rem;margin:1.5rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ccc;padding:.3rem;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.tiles{display:flex;flex-wrap:wrap;gap:.8rem}.tile{border:1px solid #ccc;border-radius:.5rem;padding:.5rem .8rem;min-width:9rem}
.tile b{display:block;font-size:1.4rem}`;

/** The page's policy: its own inline style, by hash, and nothing else inline. */
export const OPS_PAGE_CSP = pageCsp({ styles: [STYLE] });

/** How often the page asks for itself again. */
const REFRESH_SECONDS = 5;
/** The window rates and percentiles are taken over, once the page has been watched that long. */
const WINDOW_MS = 60_000;

interface Point {
  attributes: Attributes;
  value: number | Histogram;
}

/** One collection: each metric's points by name, and when it was taken. */
interface Snapshot {
  at: number;
  points: Map<string, Point[]>;
}

function snapshotOf(collected: ResourceMetrics, at: number): Snapshot {
  const points = new Map<string, Point[]>();
  for (const scope of collected.scopeMetrics) {
    for (const metric of scope.metrics) {
      const list = points.get(metric.descriptor.name) ?? [];
      for (const p of metric.dataPoints) {
        // Counters and gauges hold a number; histograms their buckets (exponential ones are not used).
        if (metric.dataPointType !== DataPointType.EXPONENTIAL_HISTOGRAM) {
          list.push({ attributes: p.attributes, value: p.value as number | Histogram });
        }
      }
      points.set(metric.descriptor.name, list);
    }
  }
  return { at, points };
}

const keyOf = (attributes: Attributes, names: readonly string[]) =>
  names.map((n) => String(attributes[n] ?? '')).join(' ');

/** A counter's total per attribute key, in a snapshot. */
function sums(snapshot: Snapshot | undefined, name: string, by: readonly string[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const p of snapshot?.points.get(name) ?? []) {
    if (typeof p.value !== 'number') continue;
    const key = keyOf(p.attributes, by);
    totals.set(key, (totals.get(key) ?? 0) + p.value);
  }
  return totals;
}

/** A histogram's buckets per attribute key, in a snapshot. */
function histograms(snapshot: Snapshot | undefined, name: string, by: readonly string[]): Map<string, Histogram> {
  const merged = new Map<string, Histogram>();
  for (const p of snapshot?.points.get(name) ?? []) {
    if (typeof p.value === 'number') continue;
    const key = keyOf(p.attributes, by);
    const into = merged.get(key);
    if (!into) {
      merged.set(key, { ...p.value, buckets: { ...p.value.buckets, counts: [...p.value.buckets.counts] } });
      continue;
    }
    into.count += p.value.count;
    p.value.buckets.counts.forEach((c, i) => {
      into.buckets.counts[i] = (into.buckets.counts[i] ?? 0) + c;
    });
  }
  return merged;
}

/** The q-th quantile of what a histogram counted, interpolated inside its bucket; null when empty. */
export function quantile(boundaries: readonly number[], counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (const [i, count] of counts.entries()) {
    if (count === 0 || seen + count < rank) {
      seen += count;
      continue;
    }
    const low = i === 0 ? 0 : (boundaries[i - 1] as number);
    const high = boundaries[i] ?? low * 2;
    return low + ((high - low) * (rank - seen)) / count;
  }
  return boundaries.at(-1) ?? null;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const fmt = (n: number | null, digits = 0) => (n === null ? '—' : n.toFixed(digits));

function table(headings: readonly string[], rows: ReadonlyArray<readonly string[]>, empty: string): string {
  if (rows.length === 0) return `<p>${escapeHtml(empty)}</p>`;
  const head = headings.map((h, i) => `<th${i > 0 ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="n"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * The operations page: what the metrics say now, rates and latencies over the last minute (since the
 * page was first opened, until it has been watched a minute). Keeps the collections it compares.
 */
export class OpsPage {
  private readonly history: Snapshot[] = [];

  render(collected: ResourceMetrics, now = Date.now()): string {
    const current = snapshotOf(collected, now);
    this.history.push(current);
    while (this.history.length > 2 && (this.history[1] as Snapshot).at <= now - WINDOW_MS) this.history.shift();
    const base = this.history.length > 1 ? this.history[0] : undefined;
    const minutes = base ? (now - base.at) / 60_000 : 0;
    const delta = (name: string, by: readonly string[]) => {
      const after = sums(current, name, by);
      const before = sums(base, name, by);
      return [...after].map(([key, v]) => [key, v, v - (before.get(key) ?? 0)] as const);
    };
    const perMinute = (d: number) => (minutes > 0 ? fmt(d / minutes, 1) : '—');
    const total = (name: string) => [...sums(current, name, []).values()].reduce((a, b) => a + b, 0);
    const gauge = (name: string, by: readonly string[]) => [...sums(current, name, by)];

    const bookings = delta(METRIC_NAMES.bookings, ['channel']);
    const bookedInWindow = bookings.reduce((a, [, , d]) => a + d, 0);
    const lag = total(METRIC_NAMES.outboxLag);

    const latency = [...histograms(current, METRIC_NAMES.httpDuration, ['function', 'route'])]
      .map(([key, h]) => {
        const before = histograms(base, METRIC_NAMES.httpDuration, ['function', 'route']).get(key);
        const counts = h.buckets.counts.map((c, i) => c - (before?.buckets.counts[i] ?? 0));
        const n = counts.reduce((a, b) => a + b, 0);
        const p = (q: number) => fmt(quantile(h.buckets.boundaries, counts, q), 1);
        return { key, n, row: [key, String(n), p(0.5), p(0.95)] };
      })
      .filter((r) => r.n > 0)
      .sort((a, b) => b.n - a.n)
      .map((r) => r.row);

    const window = base ? `the last ${Math.round((now - base.at) / 1000)} s` : 'since the server started';
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>e-Registration (local) — operations</title>
<style>${STYLE}</style>
</head><body>
<h1>Operations</h1>
<p>What this server's metrics say, read again every ${REFRESH_SECONDS} s; rates and latencies over ${escapeHtml(window)}.
The same figures as Prometheus text: <a href="/metrics">/metrics</a>. Back to <a href="/dev">developer links</a>.</p>
<div class="tiles">
<div class="tile">Bookings per minute<b>${perMinute(bookedInWindow)}</b></div>
<div class="tile">Bookings in all<b>${total(METRIC_NAMES.bookings)}</b></div>
<div class="tile">Refused bookings<b>${total(METRIC_NAMES.bookingRefusals)}</b></div>
<div class="tile">Outbox lag (s)<b>${fmt(lag, 1)}</b></div>
<div class="tile">Rate-limit refusals<b>${total(METRIC_NAMES.rateLimitRefusals)}</b></div>
</div>
<h2>Bookings and cancellations by channel</h2>
${table(
  ['channel', 'booked in all', 'per minute', 'cancelled in all'],
  bookings.map(([channel, all, d]) => [
    channel,
    String(all),
    perMinute(d),
    String(sums(current, METRIC_NAMES.cancellations, ['channel']).get(channel) ?? 0),
  ]),
  'No bookings yet.',
)}
<h2>Refused bookings</h2>
${table(
  ['code', 'in all', 'per minute'],
  delta(METRIC_NAMES.bookingRefusals, ['code']).map(([code, all, d]) => [code, String(all), perMinute(d)]),
  'No refusals yet.',
)}
<h2>Latency per function and route (ms)</h2>
${table(['function and route', 'requests', 'p50', 'p95'], latency, `No requests in ${window}.`)}
<h2>Queues</h2>
${table(
  ['task queue', 'due and not done'],
  gauge(METRIC_NAMES.taskQueueDepth, ['queue']).map(([q, n]) => [q, String(n)]),
  'No task queue reported.',
)}
${table(
  ['waiting room', 'waiting'],
  gauge(METRIC_NAMES.waitingRoomWaiting, ['room']).map(([r, n]) => [r, String(n)]),
  'Nobody is waiting in a waiting room.',
)}
<h2>Text messages</h2>
${table(
  ['outcome', 'in all'],
  gauge(METRIC_NAMES.smsMessages, ['outcome']).map(([o, n]) => [o, String(n)]),
  'No text message has an outcome yet.',
)}
<h2>Rate limits</h2>
${table(
  ['limit', 'refused in all'],
  gauge(METRIC_NAMES.rateLimitRefusals, ['limit']).map(([l, n]) => [l, String(n)]),
  'No request refused by a limit.',
)}
<h2>Store</h2>
${table(
  ['store', 'units of work', 'gave up (contended)'],
  [...histograms(current, METRIC_NAMES.transactionAttempts, ['store'])].map(([s, h]) => [
    s,
    String(h.count),
    String(sums(current, METRIC_NAMES.transactionContended, ['store']).get(s) ?? 0),
  ]),
  'No unit of work yet.',
)}
</body></html>`;
  }
}
