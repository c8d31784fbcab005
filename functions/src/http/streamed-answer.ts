import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { writeLog } from '../observability/logger.ts';
import type { LogSink } from './error-response.ts';
import type { ApiResponse } from './http-types.ts';
import { StreamedBody } from './http-types.ts';
import { answerHeaders } from './security-headers.ts';

/** Whether an answer's body is written as it is produced. */
export function isStreamed(response: ApiResponse): response is ApiResponse & { body: StreamedBody } {
  return response.body instanceof StreamedBody;
}

/** Resolves when the client has taken what was written, or has gone. */
function drained(res: ServerResponse): Promise<void> {
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
 * Writes a streamed answer on either host (the functions-framework's response is a ServerResponse):
 * chunked, one piece at a time, waiting while the client's buffer is full. A failure after the headers
 * cuts the connection, so the client cannot take a part for the whole; a client that leaves stops the
 * reading.
 */
export async function writeStreamed(
  res: ServerResponse,
  response: ApiResponse & { body: StreamedBody },
  route: string,
  log?: LogSink,
): Promise<void> {
  res.writeHead(response.status, answerHeaders(response));
  try {
    for await (const chunk of response.body.chunks) {
      if (res.destroyed) return;
      // The event loop gets a turn after every piece, even one the socket took at once: a body produced
      // from synchronous reads would otherwise hold every other connection unread, and node:http answers
      // one whose headers wait longer than `headersTimeout` with a 408.
      if (!res.write(chunk)) await drained(res);
      else await nextTurn();
    }
    res.end();
  } catch (error) {
    writeLog('ERROR', `${route}: the streamed answer failed after it began.`, { route, error }, log);
    res.destroy();
  }
}
