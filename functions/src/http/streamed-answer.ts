import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { LogSink } from './error-response.ts';
import type { StreamedBody } from './http-types.ts';

/**
 * Writes a streamed body chunk by chunk (chunked transfer), waiting for the socket to drain when the
 * client reads slower than the body is produced, and stops producing when the client goes away. A
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
      if (!res.write(chunk)) {
        await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
    }
    res.end();
  } catch (error) {
    log?.(
      `${route}: the streamed answer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
