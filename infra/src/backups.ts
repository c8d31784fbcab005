import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';

const DAY_S = 86_400;

/**
 * How long the database's backups are kept. Point-in-time recovery (on the database, firestore.ts)
 * reads any minute of the last 7 days; a daily backup reaches two weeks back, past a week-long
 * holiday before anyone notices; a weekly one reaches 14 weeks back, the longest Firestore keeps a
 * backup, e.g. to the state before an eligibility change of the previous campaign phase.
 */
export const BACKUP_RETENTION_DAYS = { daily: 14, weekly: 98 } as const;
/** The weekly backup is taken on Sunday, the quietest day of the week at the centres. */
export const WEEKLY_BACKUP_DAY = 'SUNDAY';

export interface BackupsArgs {
  project: string;
  database: gcp.firestore.Database;
}

export interface Backups {
  daily: gcp.firestore.BackupSchedule;
  weekly: gcp.firestore.BackupSchedule;
}

/** A daily and a weekly backup schedule of the Firestore database (restoring them: docs/operations.md). */
export function deployBackups(args: BackupsArgs, opts: pulumi.CustomResourceOptions): Backups {
  const inDatabase = { ...opts, dependsOn: [args.database] };
  const daily = new gcp.firestore.BackupSchedule(
    'firestore-backup-daily',
    {
      project: args.project,
      database: args.database.name,
      retention: `${BACKUP_RETENTION_DAYS.daily * DAY_S}s`,
      dailyRecurrence: {},
    },
    inDatabase,
  );
  const weekly = new gcp.firestore.BackupSchedule(
    'firestore-backup-weekly',
    {
      project: args.project,
      database: args.database.name,
      retention: `${BACKUP_RETENTION_DAYS.weekly * DAY_S}s`,
      weeklyRecurrence: { day: WEEKLY_BACKUP_DAY },
    },
    inDatabase,
  );
  return { daily, weekly };
}
