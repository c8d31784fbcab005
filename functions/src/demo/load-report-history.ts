import type { DatabaseSync } from 'node:sqlite';
import { type Deps, localToday } from '@ereg/shared';
import type { SqliteAnalytics } from '../adapters/sqlite/sqlite-analytics.ts';
import type { SqliteStore } from '../adapters/sqlite/sqlite-store.ts';
import { type LocalReports, snapshotRow } from '../reports/local-reports.ts';
import { reportHistory, reportHistorySnapshots } from './report-history.ts';

/** Days of history a demo system's reports start with, and visits a centre has on an average day of it. */
export const DEMO_HISTORY = { days: 28, visitsPerCentreDay: 6 } as const;

/**
 * Gives a demo system's reports the four weeks before its first start (report-history.ts), once:
 * written to the analytics sink and the snapshots only, so that the dashboard and `npm run ask` have
 * something to show while no visit of the operational store is made up.
 */
export async function loadReportHistory(
  deps: Deps,
  db: DatabaseSync,
  store: SqliteStore,
  analytics: SqliteAnalytics,
  reports: LocalReports,
  seed: number,
  log: (line: string) => void,
): Promise<void> {
  if (db.prepare("SELECT 1 FROM meta WHERE key = 'demo.history'").get()) return;
  const started = performance.now();
  const options = {
    seed,
    ...DEMO_HISTORY,
    today: localToday(deps.clock.now(), deps.settings.timeZone),
    centres: await store.listCentres(),
    vaccines: deps.vaccines,
  };
  let events = 0;
  await store.exclusive(async () => {
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const event of reportHistory(options)) {
        await analytics.handle(event);
        // Now and then a turn for requests (those that write wait for the history to be in).
        if (++events % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      reports.warehouse.putSnapshots(reportHistorySnapshots(options).map(snapshotRow), { inTransaction: true });
      db.prepare("INSERT INTO meta (key, value) VALUES ('demo.history', ?)").run(deps.clock.now().toISOString());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  });
  log(
    `Reports' history: ${events} events of the ${DEMO_HISTORY.days} days before today (${Math.round(performance.now() - started)} ms).`,
  );
}
