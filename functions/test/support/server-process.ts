import { NO_RATE_LIMITS } from '@ereg/shared';
import { LocalSystem } from '../../src/runtime/local/local-system.ts';
import { createLocalServer, listen } from '../../src/runtime/local/server.ts';
import { FakeClock } from './builders.ts';

// A second (or third) server process on an existing database file, for multi-process tests.
const dbPath = process.env.DB_PATH;
const now = process.env.FAKE_NOW;
if (!dbPath || !now) throw new Error('DB_PATH and FAKE_NOW are required');
// The storms send thousands of requests from one address on a stopped clock: no rate limits.
const system = await LocalSystem.start({
  dbPath,
  clock: new FakeClock(now),
  demo: null,
  log: () => {},
  rateLimits: NO_RATE_LIMITS,
});
const server = createLocalServer(system);
const url = await listen(server, 0, '127.0.0.1');
process.stdout.write(`LISTENING ${url}\n`);
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void system.stop().then(() => process.exit(0));
});
