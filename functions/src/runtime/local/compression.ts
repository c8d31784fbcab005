import { gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** Answers smaller than this go as they are: compressing them saves less than it costs. */
export const COMPRESS_FROM_BYTES = 1024;

/**
 * The encodings an `Accept-Encoding` header allows, among Brotli and gzip (`*` allows both; `q=0`
 * refuses one), in the order this server prefers them.
 */
export function acceptedEncodings(header: string | string[] | undefined): Encoding[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const weights = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const allowed = (name: Encoding) => (weights.get(name) ?? weights.get('*') ?? 0) > 0;
  return (['br', 'gzip'] as const).filter(allowed);
}

/** A JSON answer as gzip when the client takes it and the answer is worth it; otherwise null. */
export function compressAnswer(payload: string, acceptEncoding: string | string[] | undefined): Buffer | null {
  if (Buffer.byteLength(payload) < COMPRESS_FROM_BYTES) return null;
  // gzip at a middle level: Brotli's better ratio costs more time than an answer made per request may take.
  return acceptedEncodings(acceptEncoding).includes('gzip') ? gzipSync(payload, { level: 6 }) : null;
}
