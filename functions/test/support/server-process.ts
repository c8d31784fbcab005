import { LocalSystem } from '../../src/runtime/local/local-system.ts';
import { createLocalServer, listen } from '../../src/runtime/local/server.ts';
import { FakeClock } from './builders.ts';

// A second (or third) server process on an existing database file, for multi-process tests.
const dbPath = process.env.DB_PATH;
const now = process.env.FAKE_NOW;
if (!dbPath || !now) throw new Error('DB_PATH and FAKE_NOW are required');
const system = await LocalSystem.start({ dbPath, clock: new FakeClock(now), demo: null, log: () => {} });
const server = createLocalServer(system);
const url = await listen(server, 0, '127.0.0.1');
process.stdout.write(`LISTENING ${url}\n`);
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void system.stop().then(() => process.exit(0));
});
