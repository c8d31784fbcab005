import { join } from 'node:path';
import { loadLocalConfig } from './local/config.ts';
import { createLocalSystem, type LocalSystem } from './local/local-system.ts';

let system: Promise<LocalSystem> | null = null;

/**
 * The dependencies behind the functions-framework entry points, built once per instance (module
 * scope) so warm instances reuse them. This build wires the embedded store from DATA_DIR.
 */
export function functionsRuntime(): Promise<LocalSystem> {
  system ??= (async () => {
    const config = loadLocalConfig();
    return createLocalSystem({
      dbPath: join(config.DATA_DIR, 'ereg.sqlite'),
      demo: null,
      sessionSeconds: config.SESSION_SECONDS,
    });
  })();
  return system;
}
