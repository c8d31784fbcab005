import { createTestSystem, serve } from '../support/test-system.ts';

/*
 * The server under fuzz, in its own process so that its memory is its own: the test system on a
 * prepared database file, served on a loopback port. Started with --expose-gc; on the message
 * `memory` it collects garbage and answers its memory use.
 */
const dbPath = process.env.DB_PATH;
const now = process.env.FAKE_NOW;
if (!dbPath || !now || !process.send) throw new Error('DB_PATH, FAKE_NOW and an IPC channel are required');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('Start the fuzz server with --expose-gc');

const system = await createTestSystem({ now, dbPath });
const http = await serve(system);
process.send({ type: 'listening', url: http.url });
process.on('message', (message: { type: string }) => {
  if (message.type === 'memory') {
    for (let i = 0; i < 3; i++) gc();
    process.send?.({ type: 'memory', usage: process.memoryUsage() });
  } else if (message.type === 'stop') {
    void http
      .close()
      .then(() => system.close())
      .then(() => process.exit(0));
  }
});
