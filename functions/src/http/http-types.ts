/** The small request shape every handler is written against, so that two hosts can serve it. */
export interface ApiRequest {
  method: string;
  /** Path inside the function, starting with `/`. */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The client's address as the host established it (the socket's peer, or a trusted proxy's word). */
  clientIp?: string | undefined;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One deployed HTTP function. */
export type HttpFunction = (request: ApiRequest) => Promise<ApiResponse>;

/** An answer body written as it is produced (an NDJSON file), rather than built whole first. */
export type StreamedBody = AsyncIterable<string>;

/** Whether an answer's body is streamed. */
export function isStreamed(body: unknown): body is StreamedBody {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}
