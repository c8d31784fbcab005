import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { PAGE_HEADERS } from '../../http/security-headers.ts';
import { acceptedEncodings } from './compression.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const SUFFIX = { br: '.br', gzip: '.gz' } as const;

/**
 * The index.html of the app a path belongs to: the nearest folder on the way up from the path that has
 * one (`centre/day` → `centre/index.html`, the centres' app; `search` → `index.html`), or null.
 */
function appIndexOf(root: string, relative: string): string | null {
  const folders = relative.split(sep).filter(Boolean);
  for (let depth = folders.length; depth >= 0; depth--) {
    const index = join(root, ...folders.slice(0, depth), 'index.html');
    if (existsSync(index) && statSync(index).isFile()) return index;
  }
  return null;
}

/**
 * Serves built single-page apps from a folder: its files as they are (hashed assets cached for a
 * year), and for any other path without a file extension the `index.html` of the app it belongs to
 * (an app in a subfolder, such as `centre/`, answers for the paths under it), so the apps' own routes
 * load them. A file the build compressed (`.br`, `.gz` beside it) goes compressed to a client that accepts it.
 * Answers false when it has nothing to serve (no such file, or the app is not built).
 */
export function serveStatic(
  root: string,
  pathname: string,
  method: string,
  res: ServerResponse,
  acceptEncoding?: string | string[],
): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    return false;
  }
  if (relative.split(sep).includes('..')) return false;
  let file: string | null = join(root, relative);
  if (!relative || !existsSync(file) || !statSync(file).isFile()) {
    if (extname(relative)) return false;
    file = appIndexOf(root, relative);
    if (!file) return false;
  }
  const encoding = acceptedEncodings(acceptEncoding).find((e) => existsSync(`${file}${SUFFIX[e]}`));
  const body = readFileSync(encoding ? `${file}${SUFFIX[encoding]}` : file);
  const immutable = relative.split(sep).slice(0, -1).includes('assets');
  res.writeHead(200, {
    ...PAGE_HEADERS,
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(encoding ? { 'content-encoding': encoding } : {}),
    ...(existsSync(`${file}.gz`) ? { vary: 'Accept-Encoding' } : {}),
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}
