import { join } from 'node:path';
import type { CloudSystem } from './cloud/cloud-system.ts';
import type { CloudConfig } from './cloud/config.ts';
import { loadLocalConfig } from './local/config.ts';
import { LocalSystem } from './local/local-system.ts';

/** Which composition root the functions-framework entry points run on (`EREG_RUNTIME`, default cloud). */
export function runtimeName(env: Record<string, string | undefined> = process.env): 'cloud' | 'local' {
  const name = env.EREG_RUNTIME ?? 'cloud';
  if (name === 'cloud' || name === 'local') return name;
  throw new Error(`EREG_RUNTIME must be "cloud" or "local", not ${JSON.stringify(name)}.`);
}

let local: Promise<LocalSystem> | null = null;
let cloud: Promise<CloudSystem> | null = null;

/**
 * The embedded default behind the functions-framework (`EREG_RUNTIME=local`): the SQLite store in
 * DATA_DIR, started once per process with its dispatcher and task runner, as `npm start` runs it.
 */
export function localRuntime(): Promise<LocalSystem> {
  local ??= (async () => {
    const config = loadLocalConfig();
    return LocalSystem.start({
      dbPath: join(config.DATA_DIR, 'ereg.sqlite'),
      demo: null,
      sessionSeconds: config.SESSION_SECONDS,
      rateLimits: config.RATE_LIMITS,
    });
  })();
  return local;
}

/**
 * The Google Cloud runtime, built once per instance (module scope) so warm instances reuse its
 * clients. The Google client libraries load on first use, so the local runtime never loads them.
 */
export function cloudRuntime(config: CloudConfig): Promise<CloudSystem> {
  cloud ??= import('./cloud/cloud-system.ts').then(({ createCloudSystem }) => createCloudSystem(config));
  return cloud;
}
