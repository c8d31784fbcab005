#!/usr/bin/env node
// The JavaScript a first visit to a built web app downloads before it can run: the module scripts of
// its index.html, the chunks they import statically (found through Vite's manifest, or by reading the
// chunks' import statements when there is none) and any modulepreload links. Lazily imported chunks
// are not counted. Sizes are gzip at zlib's default level, each file on its own, as a server sends them.
//
//   node web/scripts/web-size.mjs [dist-dir] [--json] [--max-kb N] [--base /centre/]
//
// dist-dir defaults to web/patient/dist. --max-kb exits with 1 when the total exceeds N kB (1 kB = 1000 B).
// --base is the path the app is served from (Vite's `base`; `/` unless given).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

/** `src`/`href` values of the tags in index.html that load JavaScript at once. */
function initialScripts(html) {
  const found = [];
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    if (!/\btype\s*=\s*["']?module/i.test(tag)) continue;
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (src) found.push(src);
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    if (!/\brel\s*=\s*["']?modulepreload/i.test(tag)) continue;
    const href = /\bhref\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (href) found.push(href);
  }
  return found;
}

/** A URL of index.html as a file path inside dist (the app is served from `base`). */
function toFile(dist, url, base = '/') {
  if (/^[a-z]+:\/\//i.test(url)) throw new Error(`index.html loads JavaScript from another origin: ${url}`);
  const path = url.startsWith(base) ? url.slice(base.length) : url.replace(/^\//, '');
  return join(dist, path.split(/[?#]/)[0]);
}

/** Static imports of a built chunk: `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`. */
function staticImportsOf(code) {
  const found = new Set();
  const pattern = /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.m?js)["']/g;
  for (const match of code.matchAll(pattern)) found.add(match[1]);
  return [...found];
}

/** Every file of the initial load, from the entries outwards. */
function initialFiles(dist, base) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = initialScripts(html).map((url) => toFile(dist, url, base));
  if (entries.length === 0) throw new Error(`${join(dist, 'index.html')} loads no module script.`);
  const manifestPath = join(dist, '.vite', 'manifest.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
  const byFile = new Map();
  if (manifest) for (const chunk of Object.values(manifest)) byFile.set(join(dist, chunk.file), chunk);

  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    if (!existsSync(file)) throw new Error(`index.html needs ${relative(dist, file)}, which is not in ${dist}.`);
    seen.add(file);
    const chunk = byFile.get(file);
    if (chunk) {
      for (const key of chunk.imports ?? []) visit(join(dist, manifest[key].file));
    } else {
      const code = readFileSync(file, 'utf8');
      for (const specifier of staticImportsOf(code)) {
        if (specifier.startsWith('.')) visit(join(dirname(file), specifier));
        else if (specifier.startsWith('/')) visit(toFile(dist, specifier, base));
      }
    }
  };
  for (const entry of entries) visit(entry);
  return [...seen];
}

/** Sizes of the initial JavaScript of a build: each file's bytes and gzipped bytes, and the totals. */
export function measure(dist, base = '/') {
  const files = initialFiles(dist, base).map((file) => {
    const content = readFileSync(file);
    return {
      file: posix.normalize(relative(dist, file).split('\\').join('/')),
      bytes: content.length,
      gzip: gzipSync(content).length,
    };
  });
  return {
    dist,
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzip: files.reduce((sum, f) => sum + f.gzip, 0),
  };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;

function main(argv) {
  const json = argv.includes('--json');
  const maxAt = argv.indexOf('--max-kb');
  const max = maxAt >= 0 ? Number(argv[maxAt + 1]) : null;
  const baseAt = argv.indexOf('--base');
  const base = baseAt >= 0 ? (argv[baseAt + 1] ?? '/') : '/';
  const values = new Set([maxAt, baseAt].filter((i) => i >= 0).map((i) => i + 1));
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && !values.has(i));
  const dist = resolve(positional[0] ?? join(here, '..', 'patient', 'dist'));
  if (!existsSync(join(dist, 'index.html'))) {
    console.error(`No build in ${dist}: run  npx vite build --config web/patient/vite.config.ts  first.`);
    return 2;
  }
  const result = measure(dist, base.endsWith('/') ? base : `${base}/`);
  if (json) console.log(JSON.stringify(result));
  else {
    for (const f of result.files)
      console.log(`${f.file.padEnd(40)} ${kB(f.bytes).padStart(11)}  gzip ${kB(f.gzip).padStart(10)}`);
    console.log(`initial JavaScript: ${kB(result.bytes)}, gzip ${kB(result.gzip)}${max ? ` (budget ${max} kB)` : ''}`);
  }
  if (max !== null && result.gzip > max * 1000) {
    console.error(`The initial JavaScript (${kB(result.gzip)} gzipped) exceeds the budget of ${max} kB.`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
