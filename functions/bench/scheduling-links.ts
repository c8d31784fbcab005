import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, killAllChildren, procStatusBytes, startServer } from './processes.ts';

const usage = `Usage: npm run bench:scheduling-links -- --data-dir DIR [--concurrency N]

Starts the local server on the data set in DIR (use a copy: the server migrates it) and fetches the
SMART Scheduling Links manifest and every file it lists, as an aggregator would. Reports the total
time, bytes and resources per type, the slowest file, and the server's peak resident memory.`;

const repoRoot = resolve(import.meta.dirname, '../..');

interface Output {
  type: string;
  url: string;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values['data-dir']) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const dataDir = resolve(values['data-dir']);
  const concurrency = Number(values.concurrency ?? 2);
  const logDir = join(repoRoot, '.data', 'bench-logs');
  mkdirSync(logDir, { recursive: true });
  const server = await startServer({
    repoRoot,
    dataDir,
    logPath: join(logDir, 'scheduling-links-server.log'),
    startTimeoutMs: 30 * 60_000,
    env: { RATE_LIMITS: 'off' },
  });
  console.error(`server up in ${(server.startupMs / 1000).toFixed(1)} s`);
  try {
    const cpuBefore = cpuSeconds(server.pid) ?? 0;
    const started = performance.now();
    const manifest = (await (await fetch(`${server.url}/api/search/$bulk-publish`)).json()) as { output: Output[] };
    const queue = [...manifest.output];
    const resources = new Map<string, number>();
    let bytes = 0;
    let slowest = { url: '', seconds: 0 };
    const worker = async () => {
      for (let output = queue.shift(); output; output = queue.shift()) {
        const fileStarted = performance.now();
        const response = await fetch(output.url);
        if (!response.ok || !response.body) throw new Error(`${output.url}: ${response.status}`);
        let lines = 0;
        for await (const chunk of response.body) {
          bytes += chunk.length;
          for (const byte of chunk as Uint8Array) if (byte === 10) lines++;
        }
        resources.set(output.type, (resources.get(output.type) ?? 0) + lines);
        const fileSeconds = (performance.now() - fileStarted) / 1000;
        if (fileSeconds > slowest.seconds) slowest = { url: output.url.replace(server.url, ''), seconds: fileSeconds };
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    const peak = procStatusBytes(server.pid, 'VmHWM');
    const report = {
      files: manifest.output.length,
      seconds: Number(seconds.toFixed(2)),
      megabytes: Number((bytes / 1e6).toFixed(1)),
      resources: Object.fromEntries(resources),
      slowestFile: { path: slowest.url, seconds: Number(slowest.seconds.toFixed(2)) },
      serverCpuSeconds: Number(((cpuSeconds(server.pid) ?? 0) - cpuBefore).toFixed(1)),
      serverPeakRssMb: peak === null ? null : Math.round(peak / 1e6),
      concurrency,
    };
    console.log(JSON.stringify(report, null, 2));
    return 0;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    killAllChildren();
    process.exit(1);
  },
);
