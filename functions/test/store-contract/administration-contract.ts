import type { Announcement, GroupReferral, GroupUpload, Store } from '@ereg/shared';
import { aCitizen } from '../support/builders.ts';

const anUpload = (id: string, at: string, overrides: Partial<GroupUpload> = {}): GroupUpload => ({
  id,
  fileName: `${id}.csv`,
  at,
  by: 'admin-1',
  rows: 3,
  accepted: 2,
  rejected: 1,
  groups: ['medical', 'teachers'],
  ...overrides,
});

const anAnnouncement = (id: string, from: string, until: string): Announcement => ({
  id,
  text: { pl: `Komunikat ${id}`, en: `Notice ${id}`, uk: `Оголошення ${id}` },
  from,
  until,
  createdBy: 'admin-1',
  createdAt: '2026-01-12T07:00:00.000Z',
  updatedAt: '2026-01-12T07:00:00.000Z',
});

/**
 * The administration's records, the same on every store: referrals kept per PESEL and group (one of
 * each pair, others of the PESEL left alone), uploads found by their rows' digest and listed newest
 * first, announcements listed latest-ending first and by whether they end after an instant.
 */
export function describeAdministrationStoreContract(
  name: string,
  open: () => Promise<{ store: Store; close(): Promise<void> }>,
): void {
  describe(`Store contract, the administration: ${name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => close?.());

    test('keeps one referral per PESEL and group, lists a PESEL’s by group, and leaves other PESELs’ alone', async () => {
      const anna = aCitizen({ born: 1980 }).pesel;
      const jan = aCitizen({ born: 1981 }).pesel;
      const referral = (pesel: string, group: string, uploadId: string): GroupReferral => ({
        pesel,
        group,
        uploadId,
        at: '2026-01-12T07:00:00.000Z',
        by: 'admin-1',
      });
      await store.runInTransaction(async (tx) => {
        tx.putGroupReferral(referral(anna, 'teachers', 'upl-1'));
        tx.putGroupReferral(referral(anna, 'medical', 'upl-1'));
        tx.putGroupReferral(referral(jan, 'medical', 'upl-1'));
      });
      // A second write of one pair replaces it; the PESEL's other groups stay.
      await store.runInTransaction(async (tx) => tx.putGroupReferral(referral(anna, 'medical', 'upl-2')));

      const read = await store.runInTransaction(async (tx) => ({
        anna: await tx.listGroupReferrals(anna),
        jan: await tx.listGroupReferrals(jan),
        nobody: await tx.listGroupReferrals(aCitizen({ born: 1982 }).pesel),
      }));
      expect(read).toEqual({
        anna: [referral(anna, 'medical', 'upl-2'), referral(anna, 'teachers', 'upl-1')],
        jan: [referral(jan, 'medical', 'upl-1')],
        nobody: [],
      });
    });

    test('finds an upload by its digest and lists uploads newest first', async () => {
      const digest = (n: number) => `${n}`.repeat(64).slice(0, 64);
      await store.runInTransaction(async (tx) => {
        tx.putGroupUpload(digest(1), anUpload('upl-a', '2026-01-10T08:00:00.000Z'));
        tx.putGroupUpload(digest(2), anUpload('upl-b', '2026-01-12T08:00:00.000Z', { groups: [] }));
        tx.putGroupUpload(digest(3), anUpload('upl-c', '2026-01-11T08:00:00.000Z'));
      });
      const found = await store.runInTransaction(async (tx) => ({
        one: await tx.getGroupUpload(digest(1)),
        none: await tx.getGroupUpload(digest(4)),
      }));
      expect(found).toEqual({ one: anUpload('upl-a', '2026-01-10T08:00:00.000Z'), none: null });
      expect((await store.listGroupUploads(10)).map((u) => u.id)).toEqual(['upl-b', 'upl-c', 'upl-a']);
      expect((await store.listGroupUploads(2)).map((u) => u.id)).toEqual(['upl-b', 'upl-c']);
      expect(await store.listGroupUploads(0)).toEqual([]);
    });

    test('keeps announcements, replaced by id, listed latest-ending first and by whether they end after an instant', async () => {
      const first = anAnnouncement('ann-1', '2026-01-12T06:00:00.000Z', '2026-01-19T06:00:00.000Z');
      const second = anAnnouncement('ann-2', '2026-01-01T00:00:00.000Z', '2026-01-05T00:00:00.000Z');
      const third = anAnnouncement('ann-3', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z');
      await store.runInTransaction(async (tx) => {
        for (const a of [first, second, third]) tx.putAnnouncement(a);
      });
      const ended = { ...first, until: '2026-01-13T10:00:00.000Z', updatedAt: '2026-01-13T10:00:00.000Z' };
      await store.runInTransaction(async (tx) => tx.putAnnouncement(ended));

      expect(await store.runInTransaction((tx) => tx.getAnnouncement('ann-1'))).toEqual(ended);
      expect(await store.runInTransaction((tx) => tx.getAnnouncement('ann-none'))).toBeNull();
      expect((await store.listAnnouncements({ limit: 10 })).map((a) => a.id)).toEqual(['ann-3', 'ann-1', 'ann-2']);
      const after = (at: string) => store.listAnnouncements({ endingAfter: at, limit: 10 });
      expect((await after('2026-01-13T09:00:00.000Z')).map((a) => a.id)).toEqual(['ann-3', 'ann-1']);
      // An announcement ending at the instant has ended.
      expect((await after('2026-01-13T10:00:00.000Z')).map((a) => a.id)).toEqual(['ann-3']);
      expect((await store.listAnnouncements({ limit: 1 })).map((a) => a.id)).toEqual(['ann-3']);
    });
  });
}
