import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { OPEN_DATA_FILES } from '@ereg/shared';
import { logger } from '../../observability/logger.ts';
import { localReader } from '../../reports/local-reports.ts';
import { LocalWarehouse } from '../../reports/local-warehouse.ts';
import { openDataFile } from '../../reports/open-data.ts';
import { loadLocalConfig } from './config.ts';

/**
 * `npm run open-data -- [--out DIR]`: the four open data files (docs/reports.md, "Open data") written
 * from the embedded default's data (the file `npm start` keeps) into DIR, `open-data` by default. The
 * views are brought up to date first, so it works also while the system is stopped.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'open-data' } } });
  const config = loadLocalConfig();
  const dbPath = join(config.DATA_DIR, 'ereg.sqlite');
  if (!existsSync(dbPath)) failWith(`No data at ${dbPath}: start the system once (npm start), then try again.`);
  const db = new DatabaseSync(dbPath, { timeout: 10_000 });
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'report_events'").get()) {
    failWith(`${dbPath} has no analytics yet: start the system once (npm start), then try again.`);
  }
  const warehouse = new LocalWarehouse(db);
  warehouse.refresh();
  const reader = localReader(warehouse, async () => null);
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  for (const file of OPEN_DATA_FILES) {
    const text = await openDataFile(reader, file);
    writeFileSync(join(out, file), text);
    console.log(`${join(out, file)}: ${text.split('\r\n').length - 2} rows`);
  }
  db.close();
}

function failWith(message: string): never {
  logger.error(message);
  process.exit(1);
}

await main();
