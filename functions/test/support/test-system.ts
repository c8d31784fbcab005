import type { Server } from 'node:http';
import {
  addDays,
  type Centre,
  type EligibilityRule,
  isCentrePrincipal,
  localToday,
  login,
  makeEvent,
  NO_RATE_LIMITS,
  type Principal,
  publishSlots,
  type RateLimitPolicy,
  type Settings,
  type SmsSettings,
} from '@ereg/shared';
import { LocalSystem } from '../../src/runtime/local/local-system.ts';
import { createLocalServer, listen, type ServedSystem } from '../../src/runtime/local/server.ts';
import { aBirthYearRule, aCentre, aCitizen, FakeClock } from './builders.ts';

export interface TestSystem extends LocalSystem {
  clock: FakeClock;
  /** Adds centres and publishes their slots. */
  addCentre(centre?: Partial<Centre>): Promise<Centre>;
  addRule(rule?: EligibilityRule): Promise<void>;
  /** Logs a new citizen in; answers the patient id and session token. */
  newPatient(options?: Parameters<typeof aCitizen>[0]): Promise<{ patientId: string; token: string; pesel: string }>;
  tokenFor(principal: Principal): Promise<string>;
  countAppointments(): Promise<number>;
  /** Stops the system: the name the suites share with the Firestore test system. */
  close(): Promise<void>;
}

/**
 * A whole local system on a fresh database, standing at a fixed moment (a Monday morning in winter).
 * Nothing runs on its own: a test delivers events with `dispatcher.drain()` and runs due tasks with
 * `sms.runner.runDue()`, so what it asserts does not depend on timing. Its clock stands still, so
 * it runs with no rate limits unless given some (`rateLimits`).
 */
export async function createTestSystem(
  options: {
    now?: string;
    dbPath?: string;
    searchCacheMs?: number;
    rateLimits?: RateLimitPolicy;
    /** Runs the background parts after all (a test of them), at these intervals. */
    background?: { closeDaysMs: number; sampleLookupsMs?: number };
    smsSettings?: Partial<SmsSettings>;
    settings?: Partial<Settings>;
    /** Takes the system's log lines (JSON); none are kept unless given. */
    log?: (line: string) => void;
  } = {},
): Promise<TestSystem> {
  const clock = new FakeClock(options.now ?? '2026-01-12T07:00:00.000Z');
  const system = await LocalSystem.start({
    dbPath: options.dbPath ?? ':memory:',
    clock,
    demo: null,
    log: options.log ?? (() => {}),
    searchCacheMs: options.searchCacheMs ?? 0,
    background: options.background !== undefined,
    ...(options.background
      ? {
          pollMs: {
            closeDays: options.background.closeDaysMs,
            sampleLookups: options.background.sampleLookupsMs ?? options.background.closeDaysMs,
          },
        }
      : {}),
    rateLimits: options.rateLimits ?? NO_RATE_LIMITS,
    // The gauges read the store at every collection: what a test changed shows at once.
    metrics: { gaugeCacheMs: 0 },
    ...(options.smsSettings ? { smsSettings: options.smsSettings } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  return Object.assign(system, {
    clock,
    async addCentre(overrides: Partial<Centre> = {}) {
      const centre = aCentre(overrides);
      const actor = { role: 'system', id: 'test' } as const;
      await system.store.runInTransaction(async (tx) => {
        tx.putCentre(centre);
        tx.addEvent(
          makeEvent(system.deps.ids.next('evt'), 'centre.onboarded', clock.now(), actor, centre.id, {
            centreId: centre.id,
            name: centre.name,
            voivodeship: centre.address.voivodeship,
            staff: 0,
          }),
        );
      });
      const today = localToday(clock.now(), centre.timeZone);
      await publishSlots(
        system.deps,
        centre,
        today,
        addDays(today, system.deps.settings.slotHorizonDays),
        actor,
        'test',
      );
      await system.dispatcher.drain();
      return centre;
    },
    async addRule(rule: EligibilityRule = aBirthYearRule(1970)) {
      await system.store.runInTransaction(async (tx) => {
        tx.putEligibilityRule(rule);
      });
    },
    async newPatient(citizenOptions: Parameters<typeof aCitizen>[0] = {}) {
      const citizen = aCitizen(citizenOptions);
      const assertion = await system.identity.issueAssertion(citizen);
      const result = await login(system.deps, assertion);
      return { patientId: result.patient.id, token: result.session.token, pesel: citizen.pesel };
    },
    async tokenFor(principal: Principal) {
      // A centre member's session holds only while the store has them at its centre in that role.
      if (isCentrePrincipal(principal)) {
        await system.store.runInTransaction(async (tx) => {
          tx.putStaff({
            id: principal.staffId,
            name: principal.staffId,
            email: `${principal.staffId}@example.test`,
            centreId: principal.centreId,
            role: principal.role,
          });
        });
      }
      return (await system.identity.issueSession(principal)).token;
    },
    async countAppointments() {
      return (system.db.prepare('SELECT count(*) AS n FROM appointments').get() as { n: number }).n;
    },
    close: () => system.stop(),
  });
}

/** Serves a system over HTTP on an ephemeral loopback port. */
export async function serve(
  system: ServedSystem,
  options: { webRoot?: string; trustedProxies?: number; log?: (line: string) => void } = {},
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  // Its log lines are dropped unless a test reads them, as the test system's own are.
  const server = createLocalServer(system, { log: () => {}, ...options });
  server.keepAliveTimeout = 1000;
  const url = await listen(server, 0, '127.0.0.1');
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
