import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { localToday } from '@ereg/shared';
import { logger } from '../../observability/logger.ts';
import { LocalWarehouse } from '../../reports/local-warehouse.ts';
import { QUESTIONS } from '../../reports/questions.ts';
import { loadLocalConfig } from './config.ts';

/**
 * `npm run ask`: the README's questions answered on the embedded default's data (the file `npm start`
 * keeps); `npm run ask -- 3` answers one; `npm run ask -- "SELECT … FROM \`ereg.doses_daily\`"` runs any
 * GoogleSQL the warehouse's views understand. `@today` is today's date in Warsaw. The views are
 * brought up to date first, so it answers also while the system is stopped.
 */
function main(): void {
  const config = loadLocalConfig();
  const dbPath = join(config.DATA_DIR, 'ereg.sqlite');
  if (!existsSync(dbPath)) {
    logger.error(`No data at ${dbPath}: start the system once (npm start), then ask again.`);
    process.exit(1);
  }
  const db = new DatabaseSync(dbPath, { timeout: 10_000 });
  const tables = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'report_events'").get();
  if (!tables) {
    logger.error(`${dbPath} has no analytics yet: start the system once (npm start), then ask again.`);
    process.exit(1);
  }
  const warehouse = new LocalWarehouse(db);
  const started = performance.now();
  const refreshed = warehouse.refresh().filter((r) => r.rebuilt !== 0);
  if (refreshed.length > 0) {
    console.log(`(views brought up to date in ${Math.round(performance.now() - started)} ms)`);
  }
  const today = localToday(new Date(), 'Europe/Warsaw');
  const arg = process.argv[2];
  const asked =
    arg === undefined
      ? QUESTIONS
      : /^\d+$/.test(arg)
        ? [
            QUESTIONS[Number(arg) - 1] ??
              failWith(`There are ${QUESTIONS.length} questions; ask 1 to ${QUESTIONS.length}.`),
          ]
        : [{ question: 'Your query', sql: arg }];
  for (const { question, sql } of asked) {
    console.log(`\n${question}\n`);
    try {
      const rows = warehouse.query(sql, sql.includes('@today') ? { today } : {});
      if (rows.length === 0) console.log('(no rows)');
      else console.table(rows);
    } catch (error) {
      logger.error('The query failed.', { error });
      process.exitCode = 1;
    }
  }
  db.close();
}

function failWith(message: string): never {
  logger.error(message);
  process.exit(1);
}

main();
