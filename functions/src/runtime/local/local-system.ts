import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  CentreDirectory,
  type Clock,
  DEFAULT_SETTINGS,
  DEFAULT_SMS_SETTINGS,
  type Deps,
  type FunctionName,
  publishDueSlots,
  type Settings,
  type SmsDeps,
  type SmsSettings,
  VACCINES,
} from '@ereg/shared';
import {
  AvailabilityProjector,
  availabilityNeedsRebuild,
  rebuildAvailability,
} from '../../adapters/sqlite/availability-projector.ts';
import { startCheckpointer } from '../../adapters/sqlite/checkpointer.ts';
import { LocalSms } from '../../adapters/sqlite/local-sms.ts';
import { OutboxDispatcher } from '../../adapters/sqlite/outbox-dispatcher.ts';
import { prepareDatabase } from '../../adapters/sqlite/schema.ts';
import { SqliteAnalytics } from '../../adapters/sqlite/sqlite-analytics.ts';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.ts';
import { SqliteTaskQueue, TaskRunner } from '../../adapters/sqlite/sqlite-task-queue.ts';
import { randomIds, systemClock } from '../../adapters/system/clock-and-ids.ts';
import { isValidTwilioSignature } from '../../adapters/twilio/twilio-signature.ts';
import { loadDemoData } from '../../demo/load-demo-data.ts';
import { DevIdentity, loadOrCreateDevKeys } from '../../dev/dev-identity.ts';
import { DevPeople } from '../../dev/dev-people.ts';
import type { LocalSmsSurface } from '../../dev/dev-sms.ts';
import { buildHttpFunctions } from '../../http/functions.ts';
import type { HttpFunction } from '../../http/http-types.ts';
import { buildSmsWebhooks } from '../../http/sms-functions.ts';
import { loadOrCreateSmsToken, runLocalSmsTask, SmsPlanningForwarder } from './local-sms-wiring.ts';

export interface LocalSystemOptions {
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  clock?: Clock;
  settings?: Partial<Settings>;
  /** Demo data to load on first start; null for an empty system. */
  demo?: { seed: number; centres: number; citizens: number } | null;
  sessionSeconds?: number;
  log?: (line: string) => void;
  /**
   * Extend every centre's slots to the horizon before answering ('await', the default), or after,
   * without delaying start-up ('background'; `published` settles when done).
   */
  publish?: 'await' | 'background';
  /** How long search may reuse what it read (availability, first slots, answers); 0 for never. */
  searchCacheMs?: number;
  smsSettings?: Partial<SmsSettings>;
}

export interface LocalSystem {
  deps: Deps;
  db: DatabaseSync;
  store: SqliteStore;
  identity: DevIdentity;
  people: DevPeople;
  centres: CentreDirectory;
  functions: Record<FunctionName, HttpFunction>;
  dispatcher: OutboxDispatcher;
  /** Text messages: the ledger's use cases, the local phone, the task queue and runner, Twilio-style webhooks. */
  sms: LocalSmsSurface & { tasks: SqliteTaskQueue };
  /** Settles when the start-up publication of slots is done. */
  published: Promise<void>;
  close(): Promise<void>;
}

/**
 * The composition root of the embedded default: SQLite store, development identity provider,
 * outbox dispatcher feeding SQL analytics, and every HTTP function, built once.
 */
export async function createLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.dbPath !== ':memory:') mkdirSync(dirname(options.dbPath), { recursive: true });
  const db = new DatabaseSync(options.dbPath);
  prepareDatabase(db);
  const clock = options.clock ?? systemClock;
  if (availabilityNeedsRebuild(db)) {
    log('Building the availability read model from the slots (once)…');
    rebuildAvailability(db);
  }
  const store = new SqliteStore(db);
  const identity = new DevIdentity(loadOrCreateDevKeys(db), clock, options.sessionSeconds);
  const people = new DevPeople(db);
  // A generated data set records how far ahead its slots go; publishing further would take minutes.
  const horizon = db.prepare("SELECT value FROM meta WHERE key = 'settings.slotHorizonDays'").get() as
    | { value: string }
    | undefined;
  const deps: Deps = {
    store,
    clock,
    ids: randomIds,
    identity,
    vaccines: VACCINES,
    settings: {
      ...DEFAULT_SETTINGS,
      ...(horizon ? { slotHorizonDays: Number(horizon.value) } : {}),
      ...options.settings,
    },
  };
  if (options.demo) await loadDemoData(deps, db, people, options.demo, log);
  const publishing = publishDueSlots(deps).then((published) => {
    if (published.created > 0) log(`Published ${published.created} new slots across ${published.centres} centres.`);
  });
  if (options.publish !== 'background') await publishing;
  else publishing.catch((error: unknown) => log(`Publishing slots failed: ${String(error)}`));
  const centres = new CentreDirectory(store, clock, 10_000, options.searchCacheMs ?? 2000);
  const checkpointer = options.dbPath === ':memory:' ? null : startCheckpointer(db, options.dbPath, log);
  const tasks = new SqliteTaskQueue(store, clock);
  const phone = new LocalSms(store, clock);
  const smsDeps: SmsDeps = {
    ...deps,
    tasks,
    sms: phone,
    smsSettings: { ...DEFAULT_SMS_SETTINGS, ...options.smsSettings },
    centres,
  };
  const runner = new TaskRunner(store, clock, (task) => runLocalSmsTask(smsDeps, task.payload), { log });
  const authToken = loadOrCreateSmsToken(db);
  const webhooks = buildSmsWebhooks(
    smsDeps,
    {
      // Locally the public URL is wherever the server was reached.
      publicUrl: (request) => `http://${request.headers.host ?? '127.0.0.1'}/api/sms`,
      verify: (url, params, signature) => isValidTwilioSignature(authToken, url, params, signature),
    },
    log,
  );
  let closing: Promise<void> | null = null;
  const dispatcher = new OutboxDispatcher(
    store,
    [new AvailabilityProjector(db), new SqliteAnalytics(db), new SmsPlanningForwarder(tasks, clock)],
    (line) => log(line),
  );
  return {
    deps,
    db,
    store,
    identity,
    people,
    centres,
    functions: buildHttpFunctions(deps, centres, { log }),
    dispatcher,
    sms: { deps: smsDeps, phone, runner, webhooks, authToken, tasks },
    published: publishing.catch(() => {}),
    close() {
      // Idempotent: a test (or a signal handler) may close twice.
      closing ??= (async () => {
        await publishing.catch(() => {});
        await dispatcher.stop();
        await runner.stop();
        await store.flush();
        await checkpointer?.stop();
        db.close();
      })();
      return closing;
    },
  };
}
