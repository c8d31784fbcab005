import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logger } from '../../observability/logger.ts';
import { loadLocalConfig } from './config.ts';
import { LocalSystem } from './local-system.ts';
import { createLocalServer, listen } from './server.ts';

/** `npm start`: the whole system on one machine, with demo data on first start. */
async function main(): Promise<void> {
  const config = loadLocalConfig();
  const started = performance.now();
  const dbPath = join(config.DATA_DIR, 'ereg.sqlite');
  const system = await LocalSystem.start({
    dbPath,
    demo: { seed: config.DEMO_SEED, centres: config.DEMO_CENTRES, citizens: config.DEMO_CITIZENS },
    sessionSeconds: config.SESSION_SECONDS,
    publish: 'background',
    rateLimits: config.RATE_LIMITS,
    metrics: { enabled: config.METRICS === 'on' },
  });
  // The site: the patients' app at `/`, the centres' app and the hotline console in their `centre/` and `agent/` folders (scripts/build-web.mjs).
  const webRoot = fileURLToPath(new URL('../../../../web/patient/dist', import.meta.url));
  const server = createLocalServer(system, { webRoot, trustedProxies: config.TRUST_PROXY_HOPS });
  const url = await listen(server, config.PORT, config.HOST);
  console.log(
    `e-Registration is running at ${url}  (data: ${dbPath}, ready in ${Math.round(performance.now() - started)} ms)`,
  );
  console.log(`  Open ${url} to book a vaccination (the patients' app); developer links: ${url}/dev`);
  console.log(`  Centres:  ${url}/centre/  (the vaccination centres' app: sign in as a centre's staff member)`);
  console.log(`  Hotline:  ${url}/agent/  (the hotline console: sign in as an agent or a supervisor)`);
  console.log(`  Admin:    ${url}/admin/  (the ministry's administration: sign in as an administrator)`);
  console.log(`  API:      ${url}/api/openapi.json`);
  console.log(`  SMS:      ${url}/sms  (the outbox, and a phone to book by text message)`);
  console.log(
    `  Log in:   curl -s -X POST ${url}/dev-idp/assertion -H 'content-type: application/json' -d '{"pesel":"<PESEL>"}'`,
  );
  const stop = () => {
    server.close();
    system
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  logger.error('The local server could not start.', { error });
  process.exit(1);
});
