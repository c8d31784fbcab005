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

/**
 * A body written piece by piece as it is produced (an export of many lines), never held whole: the
 * hosts send it chunked, waiting for the client to take each piece. An error after the first piece
 * can no longer change the status; the host then cuts the connection, so the client sees the answer
 * is incomplete.
 */
export class StreamedBody {
  readonly chunks: AsyncIterable<string>;
  constructor(chunks: AsyncIterable<string>) {
    this.chunks = chunks;
  }
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The route that answered, as its pattern (`POST /appointments`), for the metrics; absent when none matched. */
  route?: string;
}

/** One deployed HTTP function. */
export type HttpFunction = (request: ApiRequest) => Promise<ApiResponse>;
