import { DomainError } from '../errors.ts';
import { makePesel } from '../pesel.ts';
import type { Store } from '../ports.ts';
import type { Principal } from '../principal.ts';
import { aCitizen, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import type { Deps } from './deps.ts';
import {
  listGroupUploads,
  REFERRAL_ROWS_PER_TRANSACTION,
  uploadGroupReferrals,
  WRITES_PER_REFERRAL_ROW,
} from './group-referrals.ts';
import { login } from './login.ts';

let system: MemorySystem;
const admin: Principal = { role: 'admin', adminId: 'admin-1' };

beforeEach(() => {
  system = createMemorySystem();
});

const list = (...rows: string[]): string => `pesel,group\n${rows.join('\n')}\n`;

/** PESELs no one has registered with: born 1991, one per serial. */
const unknownPesel = (serial: number): string => makePesel('1991-06-15', serial % 2 ? 'male' : 'female', serial);

describe('uploading a list of priority-group referrals', () => {
  test('a registered person gets the group at once; an unknown PESEL is kept for their registration', async () => {
    const { patientId, pesel } = await system.newPatient({ born: 1990 });
    const stranger = unknownPesel(7);

    const { upload, report } = await uploadGroupReferrals(system.deps, admin, {
      fileName: 'hospital-staff.csv',
      csv: list(`${pesel},medical`, `${stranger},medical`, '123,medical'),
    });

    expect(upload).toMatchObject({ fileName: 'hospital-staff.csv', by: 'admin-1', rows: 3, accepted: 2, rejected: 1 });
    expect(upload.groups).toEqual(['medical']);
    expect(report.map((row) => row.status)).toEqual(['accepted', 'accepted', 'rejected']);
    expect((await system.store.getPatient(patientId))?.groups).toEqual(['medical']);
    const kept = await system.store.runInTransaction((tx) => tx.listGroupReferrals(stranger));
    expect(kept).toEqual([{ pesel: stranger, group: 'medical', uploadId: upload.id, at: upload.at, by: 'admin-1' }]);
    expect((await listGroupUploads(system.deps, admin)).map((u) => u.id)).toEqual([upload.id]);
  });

  test('answers a registered PESEL and an unknown one alike', async () => {
    const { pesel } = await system.newPatient({ born: 1990 });
    const registered = await uploadGroupReferrals(system.deps, admin, {
      fileName: 'a.csv',
      csv: list(`${pesel},medical`),
    });
    const unknown = await uploadGroupReferrals(system.deps, admin, {
      fileName: 'a.csv',
      csv: list(`${unknownPesel(3)},medical`),
    });

    const shape = ({ upload, report }: typeof registered) => ({ ...upload, id: '', at: '', report });
    expect(shape(unknown)).toEqual(shape(registered));
  });

  test('the same list sent again answers the same and changes nothing', async () => {
    const { pesel } = await system.newPatient({ born: 1990 });
    const csv = list(`${pesel},medical`, `${unknownPesel(1)},teachers`, 'nonsense');
    const first = await uploadGroupReferrals(system.deps, admin, { fileName: 'list.csv', csv });
    const events = system.store.events().length;
    const audit = await system.store.queryAudit({ limit: 1000 });

    system.clock.set('2026-01-13T09:00:00.000Z');
    const again = await uploadGroupReferrals(system.deps, admin, {
      fileName: 'list (1).csv',
      csv: `\uFEFF${csv.replaceAll(',', ';').replaceAll('\n', '\r\n')}`,
    });

    expect(again).toEqual(first);
    expect(system.store.events()).toHaveLength(events);
    expect(await system.store.queryAudit({ limit: 1000 })).toEqual(audit);
    expect(await listGroupUploads(system.deps, admin)).toHaveLength(1);
  });

  test('a person who registers after the upload has the group from their first login, and may book under its rule', async () => {
    await system.store.runInTransaction(async (tx) => {
      tx.putEligibilityRule({
        id: 'group-medical',
        kind: 'group',
        group: 'medical',
        from: '2026-01-12',
        description: 'Medical staff',
      });
    });
    const citizen = aCitizen({ born: 1995 });
    await uploadGroupReferrals(system.deps, admin, { fileName: 'staff.csv', csv: list(`${citizen.pesel},medical`) });

    const { patient, eligibility } = await login(system.deps, JSON.stringify(citizen));

    expect(patient.groups).toEqual(['medical']);
    expect(eligibility.eligible).toBe(true);
    const changed = system.store.events().filter((e) => e.type === 'patient.groups_changed');
    expect(changed.map((e) => e.data)).toEqual([{ patientId: patient.id, groups: ['medical'] }]);
  });

  test('records one audit entry for the upload and one per person whose groups changed, and the events', async () => {
    const { patientId, pesel } = await system.newPatient({ born: 1990 });
    const { upload } = await uploadGroupReferrals(system.deps, admin, {
      fileName: 'staff.csv',
      csv: list(`${pesel},medical`, `${pesel},teachers`, `${unknownPesel(5)},medical`),
    });

    const records = await system.store.queryAudit({ limit: 100 });
    expect(records.map((r) => [r.action, r.patientId])).toEqual(
      expect.arrayContaining([
        ['group-referrals-upload', null],
        ['grant-group', patientId],
      ]),
    );
    expect(records).toHaveLength(2);
    const events = system.store
      .events()
      .filter((e) => e.type.startsWith('group.') || e.type === 'patient.groups_changed');
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['patient.groups_changed', { patientId, groups: ['medical', 'teachers'] }],
      [
        'group.referrals_uploaded',
        { uploadId: upload.id, rows: 3, accepted: 3, rejected: 0, groups: ['medical', 'teachers'] },
      ],
    ]);
    expect(JSON.stringify(events)).not.toContain(pesel);
  });

  test('a failure midway leaves whole chunks written, and the list sent again completes it', async () => {
    const { patientId, pesel } = await system.newPatient({ born: 1990 });
    const rows = Array.from({ length: REFERRAL_ROWS_PER_TRANSACTION * 2 + 5 }, (_, i) => `${unknownPesel(i)},medical`);
    rows.push(`${pesel},medical`);
    const csv = list(...rows);
    let transactions = 0;
    const failing: Store = Object.create(system.store, {
      runInTransaction: {
        value: <T>(fn: Parameters<Store['runInTransaction']>[0]) => {
          transactions++;
          // The look-up of the digest, the first chunk, then the second chunk fails.
          if (transactions === 3) return Promise.reject(new Error('the database went away'));
          return system.store.runInTransaction(fn) as Promise<T>;
        },
      },
    });
    const deps: Deps = { ...system.deps, store: failing };

    await expect(uploadGroupReferrals(deps, admin, { fileName: 'big.csv', csv })).rejects.toThrow('went away');
    const written = async () => {
      let count = 0;
      for (const row of rows) {
        const p = row.split(',')[0] as string;
        count += (await system.store.runInTransaction((tx) => tx.listGroupReferrals(p))).length;
      }
      return count;
    };
    expect(await written()).toBe(REFERRAL_ROWS_PER_TRANSACTION);
    expect(await listGroupUploads(system.deps, admin)).toEqual([]);
    expect((await system.store.getPatient(patientId))?.groups).toEqual([]);

    const { upload } = await uploadGroupReferrals(system.deps, admin, { fileName: 'big.csv', csv });
    expect(upload.accepted).toBe(rows.length);
    expect(await written()).toBe(rows.length);
    expect((await system.store.getPatient(patientId))?.groups).toEqual(['medical']);
    expect(await listGroupUploads(system.deps, admin)).toHaveLength(1);
  });

  test('writes a chunk in a transaction well under Firestore’s 500 writes', () => {
    expect(REFERRAL_ROWS_PER_TRANSACTION * WRITES_PER_REFERRAL_ROW).toBeLessThanOrEqual(250);
  });

  test('refuses a file that is not a list, naming the field csv, and anyone but an administrator', async () => {
    const refused = await uploadGroupReferrals(system.deps, admin, { fileName: 'x.csv', csv: 'name;surname\n' }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'INVALID_HEADER', field: 'csv' });
    const agent: Principal = { role: 'agent', agentId: 'agent-1' };
    await expect(
      uploadGroupReferrals(system.deps, agent, { fileName: 'x.csv', csv: list(`${unknownPesel(1)},medical`) }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(listGroupUploads(system.deps, agent)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  test('a group referred once stays referred by its first upload when a later list names it again', async () => {
    const stranger = unknownPesel(11);
    const first = await uploadGroupReferrals(system.deps, admin, {
      fileName: '1.csv',
      csv: list(`${stranger},medical`),
    });
    await uploadGroupReferrals(system.deps, admin, {
      fileName: '2.csv',
      csv: list(`${stranger},medical`, `${stranger},teachers`),
    });
    const kept = await system.store.runInTransaction((tx) => tx.listGroupReferrals(stranger));
    expect(kept.map((r) => [r.group, r.uploadId === first.upload.id])).toEqual([
      ['medical', true],
      ['teachers', false],
    ]);
  });
});
