import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LogSink } from './error-response.ts';
import type { StreamedBody } from './http-types.ts';

/** Resolves when the response can take more (`drain`) or never will (`close`), leaving no listener behind. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes a streamed body chunk by chunk (chunked transfer), waiting for the socket to drain when the
 * client reads slower than the body is produced, and stops producing when the client goes away. After
 * each chunk the event loop gets a turn even when the socket took it at once: a body produced from
 * synchronous reads would otherwise hold every other connection unread, and node:http answers one whose
 * headers wait longer than `headersTimeout` with a 408. A
 * failure after the status has gone out can only cut the answer short: the connection is destroyed so
 * the client sees an incomplete body, never a complete-looking one. Never rejects.
 */
export async function writeStreamed(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: StreamedBody,
  route: string,
  log?: LogSink,
): Promise<void> {
  res.writeHead(status, headers);
  try {
    for await (const chunk of body) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await writable(res);
      else await nextTurn();
    }
    res.end();
  } catch (error) {
    log?.(
      `${route}: the streamed answer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
