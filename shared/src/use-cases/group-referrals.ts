import { makeEvent } from '../events.ts';
import { type AcceptedReferral, type ReferralRowReport, readReferralFile } from '../group-referrals.ts';
import type { Actor, GroupUpload, Patient } from '../model.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { audit, type Deps } from './deps.ts';

/**
 * Accepted rows written per transaction. Each row writes at most four documents (its referral, and for a
 * registered person their record, an audit record and an event), so a chunk stays under half of
 * Firestore's 500 writes per transaction.
 */
export const REFERRAL_ROWS_PER_TRANSACTION = 60;
/** The most writes one row of a list can cause (see above). */
export const WRITES_PER_REFERRAL_ROW = 4;

/** The past uploads shown to administrators. */
const LISTED_UPLOADS = 200;

export interface GroupUploadResult {
  upload: GroupUpload;
  report: ReferralRowReport[];
}

/**
 * Takes in a list of priority-group referrals: every accepted row becomes a standing referral of that
 * PESEL to that group, and a registered person gets the group at once (a person who registers later
 * gets it then). The answer depends on the file alone, never on who is registered. The list is
 * recognised by its rows' digest: sent again it changes nothing and answers the same. Rows are written a
 * chunk per transaction and the upload recorded last, so a failure midway leaves whole chunks written
 * and the same list sent again completes the rest.
 */
export async function uploadGroupReferrals(
  deps: Deps,
  principal: Principal,
  input: { fileName: string; csv: string },
): Promise<GroupUploadResult> {
  requireRole(principal, 'admin');
  const file = readReferralFile(input.csv);
  const earlier = await deps.store.runInTransaction((tx) => tx.getGroupUpload(file.digest));
  if (earlier) return { upload: earlier, report: file.report };

  const actor = actorOf(principal);
  const now = deps.clock.now();
  const upload: GroupUpload = {
    id: deps.ids.next('upl'),
    fileName: input.fileName.trim(),
    at: now.toISOString(),
    by: actor.id,
    rows: file.rows,
    accepted: file.accepted.length,
    rejected: file.rows - file.accepted.length,
    groups: file.groups,
  };
  for (let start = 0; start < file.accepted.length; start += REFERRAL_ROWS_PER_TRANSACTION) {
    const chunk = file.accepted.slice(start, start + REFERRAL_ROWS_PER_TRANSACTION);
    await deps.store.runInTransaction((tx) => referChunk(deps, tx, actor, upload, chunk));
  }
  const recorded = await deps.store.runInTransaction(async (tx) => {
    // Two uploads of one list at once: the second finds the first recorded and answers it.
    const first = await tx.getGroupUpload(file.digest);
    if (first) return first;
    tx.putGroupUpload(file.digest, upload);
    audit(
      deps,
      tx,
      actor,
      null,
      'group-referrals-upload',
      `${upload.fileName}: ${upload.rows} rows, ${upload.accepted} accepted, ${upload.rejected} rejected`,
    );
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'group.referrals_uploaded', now, actor, upload.id, {
        uploadId: upload.id,
        rows: upload.rows,
        accepted: upload.accepted,
        rejected: upload.rejected,
        groups: upload.groups,
      }),
    );
    return upload;
  });
  return { upload: recorded, report: file.report };
}

/**
 * One chunk of a list, in one transaction: the referrals not yet stored, and each registered person's
 * groups widened to include them. What an earlier attempt wrote is found and left as it is.
 */
async function referChunk(
  deps: Deps,
  tx: Transaction,
  actor: Actor,
  upload: GroupUpload,
  rows: readonly AcceptedReferral[],
): Promise<void> {
  const groupsOf = new Map<string, string[]>();
  for (const row of rows) groupsOf.set(row.pesel, [...(groupsOf.get(row.pesel) ?? []), row.group]);
  const found: Array<{ pesel: string; groups: string[]; stored: Set<string>; patient: Patient | null }> = [];
  for (const [pesel, groups] of groupsOf) {
    const stored = new Set((await tx.listGroupReferrals(pesel)).map((r) => r.group));
    found.push({ pesel, groups, stored, patient: await tx.getPatientByPesel(pesel) });
  }
  const now = deps.clock.now();
  for (const { pesel, groups, stored, patient } of found) {
    for (const group of groups) {
      if (!stored.has(group)) tx.putGroupReferral({ pesel, group, uploadId: upload.id, at: upload.at, by: upload.by });
    }
    if (!patient) continue;
    const widened = [...new Set([...patient.groups, ...groups])].sort();
    if (widened.length === patient.groups.length) continue;
    tx.putPatient({ ...patient, groups: widened });
    audit(deps, tx, actor, patient.id, 'grant-group', `Group list ${upload.fileName}: ${groups.join(', ')}`);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'patient.groups_changed', now, actor, patient.id, {
        patientId: patient.id,
        groups: widened,
      }),
    );
  }
}

/** The lists of referrals taken in, newest first. */
export async function listGroupUploads(deps: Deps, principal: Principal): Promise<GroupUpload[]> {
  requireRole(principal, 'admin');
  return deps.store.listGroupUploads(LISTED_UPLOADS);
}

/** Inside a transaction: the groups a PESEL was referred to before its person registered, sorted. */
export async function referredGroups(tx: Transaction, pesel: string): Promise<string[]> {
  return [...new Set((await tx.listGroupReferrals(pesel)).map((r) => r.group))].sort();
}
