import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_FUNCTION_NAMES, FUNCTION_NAMES, SMS_FUNCTION_NAMES } from '@ereg/shared';
import { getTestServer } from '@google-cloud/functions-framework/testing';

/*
 * A stand-in for Cloud Functions: loads the deployed entry module (functions/src/index.ts) in a plain
 * Node process, configured only by the environment, and serves each function the module registered
 * with the functions-framework on its own loopback port. Not in Jest: the Google client libraries
 * load ESM-only modules that Jest's CommonJS loader refuses.
 */
await import('../../src/index.ts');
const servers: Server[] = [];
const urls: Record<string, string> = {};
for (const name of [...FUNCTION_NAMES, ...SMS_FUNCTION_NAMES, ...EVENT_FUNCTION_NAMES]) {
  const server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
process.stdout.write(`READY ${JSON.stringify(urls)}\n`);
process.on('SIGTERM', () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  process.exit(0);
});
