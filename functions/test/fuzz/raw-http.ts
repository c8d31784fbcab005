import { Agent, request } from 'node:http';

/** A request exactly as it goes on the wire: the path is sent as written (broken encodings included). */
export interface RawRequest {
  method: string;
  /** Path and query, already encoded (or deliberately mis-encoded). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export type Outcome =
  | { kind: 'answer'; status: number; contentType: string | undefined; body: Buffer; ms: number }
  | { kind: 'timeout'; ms: number }
  | { kind: 'no-answer'; code: string; ms: number };

/**
 * Sends raw requests to one server over a pool of kept-alive connections. Every request ends in an
 * outcome: the answer, a timeout (the server kept it too long), or the connection failing before any
 * answer came.
 */
export function rawClient(baseUrl: string, options: { sockets: number; timeoutMs: number }) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.sockets });
  function send(raw: RawRequest): Promise<Outcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const headers: Record<string, string> = { ...raw.headers };
      if (raw.body !== undefined) headers['content-length'] = String(raw.body.length);
      const req = request({ agent, hostname, port, method: raw.method, path: raw.path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          settle({
            kind: 'answer',
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks),
            ms: elapsed(),
          }),
        );
        res.on('error', (error: NodeJS.ErrnoException) =>
          settle({ kind: 'no-answer', code: error.code ?? error.message, ms: elapsed() }),
        );
      });
      const timer = setTimeout(() => {
        settle({ kind: 'timeout', ms: elapsed() });
        req.destroy();
      }, options.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) =>
        settle({ kind: 'no-answer', code: error.code ?? error.message, ms: elapsed() }),
      );
      req.end(raw.body);
    });
  }
  return { send, close: () => agent.destroy() };
}

/** Runs `work` over `items` with at most `limit` in flight; answers the results in the items' order. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
