import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { BUSY_TIMEOUT_MS, SCHEMA_VERSION } from '../../adapters/sqlite/schema.ts';

/**
 * `npm run backup` and `npm run restore`: a copy of the embedded default's database, taken while the
 * server runs, and that copy put back in place of a data folder's database (docs/operations.md).
 */

/** The database of a data folder, as `npm start` names it. */
export const DATABASE_FILE = 'ereg.sqlite';
/** A running server renews these rows of `meta` every quarter of a second and hands them back on stop. */
const LEASE_KEYS = 'outbox.lease.%';

/** SQLite's backup copies at most this many pages a step: all of them, in one. */
const ALL_PAGES = 2 ** 31 - 1;

/** A refusal of what was asked: the message names the argument to change. */
export class UsageError extends Error {}

type Log = (line: string) => void;

export interface BackupOptions {
  dataDir: string;
  /** The copy to write; by default `<dataDir>/backups/ereg-<time>.sqlite`. */
  to?: string;
  log?: Log;
}

export interface BackupResult {
  file: string;
  bytes: number;
  appointments: number;
}

/**
 * Copies the data folder's database through SQLite's online backup, which reads a consistent state
 * (the changes still in the write-ahead log included) while the server goes on writing. All pages
 * go in one step, one read transaction: copied in several, the copy would start again at every write
 * of the server between them, and a running server writes its leases four times a second. The copy
 * is written beside its destination, checked, and only then given its name.
 */
export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  const log = options.log ?? (() => {});
  const source = databaseOf(options.dataDir);
  if (!existsSync(source)) {
    throw new UsageError(`--data-dir: no database at ${source} (the folder \`npm start\` keeps its data in)`);
  }
  const file = resolve(options.to ?? join(options.dataDir, 'backups', `ereg-${fileStamp(new Date())}.sqlite`));
  if (existsSync(file)) throw new UsageError(`--to: ${file} already exists; a backup never overwrites a file`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });

  const db = new DatabaseSync(source, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const pageCount = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    const pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
    log(`Backing up ${source} (${formatBytes(pageCount * pageSize)}) to ${file}`);
    const pages = await withProgress(partial, pageCount * pageSize, log, () =>
      backup(db, partial, { rate: ALL_PAGES }),
    );
    log(`  copied ${pages} pages`);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  let appointments: number;
  try {
    // The copy takes the source's write-ahead journal; one self-contained file is easier to move and keep.
    const copy = new DatabaseSync(partial);
    try {
      copy.exec('PRAGMA journal_mode = DELETE');
    } finally {
      copy.close();
    }
    appointments = checkDatabase(partial, '--to').appointments;
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
    throw error;
  }
  renameSync(partial, file);
  const bytes = statSync(file).size;
  log(`Backup complete: ${file} (${formatBytes(bytes)}, ${appointments} appointments)`);
  return { file, bytes, appointments };
}

export interface RestoreOptions {
  dataDir: string;
  from: string;
  log?: Log;
  /** Real time, for the servers' leases. */
  now?: () => number;
}

export interface RestoreResult {
  database: string;
  /** Where the database it replaced was put, or null when the folder had none. */
  keptAside: string | null;
  appointments: number;
}

/**
 * Puts a backup in place of the data folder's database. Refuses while a server runs on that folder
 * (its leases are fresh), and refuses a file that fails SQLite's integrity check or was written by a
 * newer version of the schema; an older one is brought up to date when the server next starts. The
 * database it replaces is kept beside it as `ereg.sqlite.before-restore-<time>`.
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const from = resolve(options.from);
  if (!existsSync(from) || !statSync(from).isFile()) throw new UsageError(`--from: no backup file at ${from}`);
  const target = databaseOf(options.dataDir);
  if (resolve(target) === from) throw new UsageError(`--from: ${from} is the data folder's own database`);

  log(`Checking ${from}`);
  const checked = checkDatabase(from, '--from');
  log(`  integrity ok, schema version ${checked.version} of ${SCHEMA_VERSION}, ${checked.appointments} appointments`);

  if (existsSync(target)) {
    const running = heldLeases(target, now());
    if (running.length > 0) {
      throw new UsageError(
        `--data-dir: a server is running on ${resolve(options.dataDir)} (it holds ${running.join(', ')}); ` +
          'stop it first (Ctrl-C in its terminal), or wait 30 s if it was killed',
      );
    }
  }
  mkdirSync(dirname(target), { recursive: true });
  const incoming = `${target}.restoring`;
  rmSync(incoming, { force: true });
  const source = new DatabaseSync(from, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
  try {
    log(`Copying into ${incoming}`);
    await backup(source, incoming, { rate: ALL_PAGES });
  } finally {
    source.close();
  }
  // The leases of the server the backup was taken from would hold the next start back for 30 s.
  const copy = new DatabaseSync(incoming);
  try {
    copy.prepare('DELETE FROM meta WHERE key LIKE ?').run(LEASE_KEYS);
    copy.exec('PRAGMA journal_mode = DELETE');
  } finally {
    copy.close();
  }

  let keptAside: string | null = null;
  if (existsSync(target)) {
    // Everything the write-ahead log still holds goes into the file before it is moved.
    const old = new DatabaseSync(target, { timeout: BUSY_TIMEOUT_MS });
    try {
      old.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      old.close();
    }
    keptAside = `${target}.before-restore-${fileStamp(new Date(now()))}`;
    renameSync(target, keptAside);
    log(`Kept the database it replaces as ${keptAside}`);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(incoming, target);
  log(`Restored ${target} from ${from}; start the server again (npm start)`);
  return { database: target, keptAside, appointments: checked.appointments };
}

/** Runs the copy, telling every half second how far it got by the size of the file it writes. */
async function withProgress<T>(file: string, total: number, log: Log, copy: () => Promise<T>): Promise<T> {
  let reported = 0;
  const timer = setInterval(() => {
    const written = existsSync(file) ? statSync(file).size : 0;
    const percent = total === 0 ? 100 : Math.min(99, Math.floor((written / total) * 100));
    if (percent > reported) {
      reported = percent;
      log(`  ${percent} % (${formatBytes(written)})`);
    }
  }, 500);
  try {
    return await copy();
  } finally {
    clearInterval(timer);
  }
}

function databaseOf(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/** SQLite's integrity check and the schema version of a file that should be an e-Registration database. */
function checkDatabase(file: string, argument: string): { version: number; appointments: number } {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new UsageError(`${argument}: ${file} cannot be opened as a database (${messageOf(error)})`);
  }
  try {
    const problems = (db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>).map(
      (row) => row.integrity_check,
    );
    if (problems.join() !== 'ok') {
      throw new UsageError(`${argument}: ${file} is damaged: ${problems.slice(0, 5).join('; ')}`);
    }
    const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'appointments', 'outbox')")
      .all();
    if (version === 0 || tables.length < 3) {
      throw new UsageError(`${argument}: ${file} is not an e-Registration database`);
    }
    if (version > SCHEMA_VERSION) {
      throw new UsageError(
        `${argument}: ${file} has schema version ${version}, newer than this code's ${SCHEMA_VERSION}: ` +
          'restore it with the version that wrote it',
      );
    }
    const { n } = db.prepare('SELECT count(*) AS n FROM appointments').get() as { n: number };
    return { version, appointments: n };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${argument}: ${file} cannot be read as a database (${messageOf(error)})`);
  } finally {
    db.close();
  }
}

/** The leases a live server holds on the database (renewed within the last 30 s). */
function heldLeases(file: string, now: number): string[] {
  const db = new DatabaseSync(file, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    if (!hasMeta) return [];
    return (
      db
        .prepare("SELECT key FROM meta WHERE key LIKE ? AND json_extract(value, '$.until') > ? ORDER BY key")
        .all(LEASE_KEYS, now) as Array<{ key: string }>
    ).map((row) => row.key);
  } finally {
    db.close();
  }
}

const fileStamp = (date: Date) =>
  date
    .toISOString()
    .replaceAll(':', '')
    .replace(/\.\d+Z$/, 'Z');
const formatBytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const USAGE = {
  backup: 'npm run backup -- [--data-dir .data] [--to <file>]',
  restore: 'npm run restore -- --from <file> [--data-dir .data]',
};

/** `backup.ts backup …` or `backup.ts restore …`, as the npm scripts call it. */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== 'backup' && command !== 'restore') {
    throw new UsageError(`the first argument is backup or restore, not ${JSON.stringify(command)}`);
  }
  let values: { 'data-dir'?: string; to?: string; from?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options:
        command === 'backup'
          ? { 'data-dir': { type: 'string' }, to: { type: 'string' } }
          : { 'data-dir': { type: 'string' }, from: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${messageOf(error)} (usage: ${USAGE[command]})`);
  }
  for (const [key, value] of Object.entries(values)) {
    if (value === '') throw new UsageError(`--${key} needs a value (usage: ${USAGE[command]})`);
  }
  const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? '.data';
  const log = (line: string) => console.log(line);
  if (command === 'backup') {
    await backupDatabase({ dataDir, ...(values.to === undefined ? {} : { to: values.to }), log });
    return;
  }
  if (values.from === undefined) {
    throw new UsageError(`--from is required: the backup file to restore (usage: ${USAGE.restore})`);
  }
  await restoreDatabase({ dataDir, from: values.from, log });
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof UsageError ? error.message : `Failed: ${messageOf(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
