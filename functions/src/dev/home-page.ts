import { pageCsp } from '../http/security-headers.ts';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:0 .2rem}`;

/** The page's policy: its own inline style, by hash, and nothing else inline. */
export const HOME_PAGE_CSP = pageCsp({ styles: [STYLE] });

/** The local start page: where everything is, until the web apps take over. */
export const HOME_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>e-Registration (local) — developer links</title>
<style>${STYLE}</style>
</head><body>
<h1>e-Registration for mass vaccination — local system</h1>
<p>Everything runs on this machine: the API, the development identity provider and the SQLite store.</p>
<ul>
<li><a href="/">The patients' app</a>: log in as a demo citizen, find a slot, book</li>
<li><a href="/api/openapi.json">OpenAPI document</a> of the API</li>
<li><a href="/healthz">Health check</a>; <a href="/healthz/limits">requests refused by each limit</a></li>
<li><a href="/dev-idp/people?limit=20">Demo citizens</a> the development identity provider can log in</li>
<li><a href="/api/search?postalCode=00-950&amp;limit=5">Search near Warsaw (00-950)</a></li>
<li><a href="/sms">SMS outbox and a phone</a>: every text message the system would send; book by text message</li>
<li><a href="/dev/ops">Operations</a>: bookings per minute, refusals, latency, queues; <a href="/metrics">the metrics</a> as Prometheus text</li>
</ul>
<p>See README.md for a walk-through with curl.</p>
</body></html>`;
