import type { AuditRecord, HotlineAlert, LookupReview, Patient, Store } from '@ereg/shared';
import { aCitizen } from '../support/builders.ts';

/** A patient record as a store keeps it. */
function aPatient(id: string, overrides: Partial<Patient> = {}): Patient {
  const citizen = aCitizen({ born: 1950 });
  return {
    id,
    pesel: citizen.pesel,
    givenName: citizen.givenName,
    familyName: citizen.familyName,
    birthDate: '1950-01-01',
    sex: 'female',
    phone: null,
    language: 'pl',
    groups: [],
    createdAt: '2026-01-12T07:00:00.000Z',
    ...overrides,
  };
}

const record = (id: string, at: string, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  id,
  actor: { role: 'agent', id: 'agent-1' },
  patientId: 'pat-1',
  action: 'lookup',
  reason: 'caller-booking',
  reasonCode: 'caller-booking',
  at,
  ...overrides,
});

/**
 * The hotline's records, the same on every store: sessions, people found by phone, tallies, the watch
 * list (its PESEL kept and found), alerts and reviews listed newest first with their filters, and the
 * audit queried by agent, person, reason, action and time, a page at a time.
 */
export function describeHotlineStoreContract(
  name: string,
  open: () => Promise<{ store: Store; close(): Promise<void> }>,
) {
  describe(`Hotline records: ${name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(() => close?.());

    test('a hotline sign-in is written and read back, a later write replacing it', async () => {
      const session = {
        id: 'uid-1:1780000000',
        actor: { role: 'agent' as const, id: 'uid-1' },
        startedAt: '2026-01-12T07:00:00.000Z',
        lastSeenAt: '2026-01-12T07:00:00.000Z',
        expiresAt: '2026-01-12T17:00:00.000Z',
      };
      await store.runInTransaction(async (tx) => tx.putHotlineSession(session));
      await store.runInTransaction(async (tx) =>
        tx.putHotlineSession({ ...session, lastSeenAt: '2026-01-12T07:10:00.000Z' }),
      );
      expect(await store.runInTransaction((tx) => tx.getHotlineSession(session.id))).toEqual({
        ...session,
        lastSeenAt: '2026-01-12T07:10:00.000Z',
      });
      expect(await store.runInTransaction((tx) => tx.getHotlineSession('other'))).toBeNull();
    });

    test('people are found by their mobile or their landline, by id and at most as many as asked', async () => {
      const phone = '+48600700800';
      await store.runInTransaction(async (tx) => {
        tx.putPatient(aPatient('ph-b', { phone }));
        tx.putPatient(aPatient('ph-a', { landline: phone }));
        tx.putPatient(aPatient('ph-c', { phone }));
        tx.putPatient(aPatient('ph-d', { phone: '+48600700801' }));
      });
      const found = await store.runInTransaction((tx) => tx.listPatientsByPhone(phone, 10));
      expect(found.map((p) => p.id)).toEqual(['ph-a', 'ph-b', 'ph-c']);
      expect(found[0]?.pesel).toMatch(/^\d{11}$/);
      const two = await store.runInTransaction((tx) => tx.listPatientsByPhone(phone, 2));
      expect(two.map((p) => p.id)).toEqual(['ph-a', 'ph-b']);
      expect(await store.runInTransaction((tx) => tx.listPatientsByPhone('+48600999999', 10))).toEqual([]);
    });

    test('a tally is counted and read back', async () => {
      const tally = {
        key: 'budget:agent-1:2026-01-12T07',
        count: 3,
        agents: [],
        alerted: false,
        expiresAt: '2026-01-12T09:00:00.000Z',
      };
      await store.runInTransaction(async (tx) => tx.putTally(tally));
      await store.runInTransaction(async (tx) => {
        const read = await tx.getTally(tally.key);
        tx.putTally({ ...tally, count: (read?.count ?? 0) + 1, alerted: true });
      });
      expect(await store.runInTransaction((tx) => tx.getTally(tally.key))).toEqual({
        ...tally,
        count: 4,
        alerted: true,
      });
    });

    test('a watched PESEL is found by itself, listed, and gone once removed', async () => {
      const pesel = aCitizen({ born: 1961 }).pesel;
      const entry = {
        id: 'wl-1',
        pesel,
        note: 'public figure',
        addedBy: { role: 'supervisor' as const, id: 'supervisor-1' },
        addedAt: '2026-01-12T07:00:00.000Z',
      };
      await store.runInTransaction(async (tx) => tx.putWatchEntry(entry));
      expect(await store.runInTransaction((tx) => tx.getWatchEntry(pesel))).toEqual(entry);
      expect(await store.listWatchList()).toEqual([entry]);
      await store.runInTransaction(async (tx) => tx.deleteWatchEntry(pesel));
      expect(await store.runInTransaction((tx) => tx.getWatchEntry(pesel))).toBeNull();
      expect(await store.listWatchList()).toEqual([]);
    });

    test('alerts are listed newest first, open or acknowledged as asked', async () => {
      const alert = (id: string, at: string): HotlineAlert => ({
        id,
        kind: 'lookup_budget',
        agentId: 'agent-1',
        patientId: null,
        at,
        count: 61,
        acknowledged: null,
      });
      await store.runInTransaction(async (tx) => {
        tx.putAlert(alert('alr-1', '2026-01-12T07:00:00.000Z'));
        tx.putAlert(alert('alr-2', '2026-01-12T08:00:00.000Z'));
        tx.putAlert(alert('alr-3', '2026-01-12T09:00:00.000Z'));
      });
      const acknowledged = {
        ...alert('alr-2', '2026-01-12T08:00:00.000Z'),
        acknowledged: { by: { role: 'supervisor' as const, id: 's-1' }, at: '2026-01-12T10:00:00.000Z', note: 'ok' },
      };
      await store.runInTransaction(async (tx) => tx.putAlert(acknowledged));
      expect((await store.listAlerts({ limit: 10 })).map((a) => a.id)).toEqual(['alr-3', 'alr-2', 'alr-1']);
      expect((await store.listAlerts({ open: true, limit: 10 })).map((a) => a.id)).toEqual(['alr-3', 'alr-1']);
      expect(await store.listAlerts({ open: false, limit: 10 })).toEqual([acknowledged]);
      expect((await store.listAlerts({ limit: 1 })).map((a) => a.id)).toEqual(['alr-3']);
      expect(await store.runInTransaction((tx) => tx.getAlert('alr-2'))).toEqual(acknowledged);
    });

    test('reviews are listed newest first, pending or decided as asked', async () => {
      const review = (id: string, at: string): LookupReview => ({
        id,
        date: '2026-01-11',
        agentId: 'agent-1',
        patientId: 'pat-1',
        reasonCode: 'caller-asking',
        reason: 'caller-asking',
        at,
        queuedAt: '2026-01-12T01:00:00.000Z',
        verdict: null,
      });
      await store.runInTransaction(async (tx) => {
        tx.putReview(review('aud-r1', '2026-01-11T08:00:00.000Z'));
        tx.putReview(review('aud-r2', '2026-01-11T09:00:00.000Z'));
      });
      const decided = {
        ...review('aud-r1', '2026-01-11T08:00:00.000Z'),
        verdict: {
          outcome: 'justified' as const,
          note: '',
          by: { role: 'supervisor' as const, id: 's-1' },
          at: '2026-01-12T09:00:00.000Z',
        },
      };
      await store.runInTransaction(async (tx) => tx.putReview(decided));
      expect((await store.listReviews({ limit: 10 })).map((r) => r.id)).toEqual(['aud-r2', 'aud-r1']);
      expect((await store.listReviews({ pending: true, limit: 10 })).map((r) => r.id)).toEqual(['aud-r2']);
      expect(await store.listReviews({ pending: false, limit: 10 })).toEqual([decided]);
      expect(await store.runInTransaction((tx) => tx.getReview('aud-r1'))).toEqual(decided);
    });

    test('the audit is queried by agent, person, reason, action and time, newest first, a page at a time', async () => {
      await store.runInTransaction(async (tx) => {
        tx.addAudit(record('aud-q1', '2026-01-10T08:00:00.000Z'));
        tx.addAudit(record('aud-q2', '2026-01-10T09:00:00.000Z', { reasonCode: 'other', reason: 'callback' }));
        tx.addAudit(record('aud-q3', '2026-01-10T09:00:00.000Z', { actor: { role: 'agent', id: 'agent-2' } }));
        tx.addAudit(record('aud-q4', '2026-01-10T10:00:00.000Z', { patientId: 'pat-2', action: 'reveal' }));
        tx.addAudit(record('aud-q5', '2026-01-10T11:00:00.000Z', { patientId: null, action: 'lookup' }));
      });
      const ids = async (query: Parameters<Store['queryAudit']>[0]) => (await store.queryAudit(query)).map((r) => r.id);
      const day = { from: '2026-01-10T00:00:00.000Z', to: '2026-01-11T00:00:00.000Z' };
      expect(await ids({ ...day, limit: 10 })).toEqual(['aud-q5', 'aud-q4', 'aud-q3', 'aud-q2', 'aud-q1']);
      expect(await ids({ ...day, actorId: 'agent-2', limit: 10 })).toEqual(['aud-q3']);
      expect(await ids({ ...day, patientId: 'pat-2', limit: 10 })).toEqual(['aud-q4']);
      expect(await ids({ ...day, reasonCode: 'other', limit: 10 })).toEqual(['aud-q2']);
      expect(await ids({ ...day, action: 'reveal', limit: 10 })).toEqual(['aud-q4']);
      expect(await ids({ actorId: 'agent-1', patientId: 'pat-1', reasonCode: 'caller-booking', limit: 10 })).toEqual([
        'aud-q1',
      ]);
      expect(await ids({ from: '2026-01-10T09:00:00.000Z', to: '2026-01-10T10:00:00.000Z', limit: 10 })).toEqual([
        'aud-q3',
        'aud-q2',
      ]);
      const first = await store.queryAudit({ ...day, limit: 2 });
      expect(first.map((r) => r.id)).toEqual(['aud-q5', 'aud-q4']);
      const last = first[first.length - 1] as AuditRecord;
      expect(await ids({ ...day, limit: 2, after: { at: last.at, id: last.id } })).toEqual(['aud-q3', 'aud-q2']);
      expect(await ids({ ...day, limit: 2, after: { at: '2026-01-10T09:00:00.000Z', id: 'aud-q2' } })).toEqual([
        'aud-q1',
      ]);
    });

    test('an audit record cannot be written twice under one id: the second unit fails and changes nothing', async () => {
      await store.runInTransaction(async (tx) => tx.addAudit(record('aud-once', '2026-01-09T08:00:00.000Z')));
      await expect(
        store.runInTransaction(async (tx) =>
          tx.addAudit(record('aud-once', '2026-01-09T08:00:00.000Z', { reason: 'rewritten' })),
        ),
      ).rejects.toThrow();
      const [kept] = await store.queryAudit({
        from: '2026-01-09T00:00:00.000Z',
        to: '2026-01-10T00:00:00.000Z',
        limit: 5,
      });
      expect(kept?.reason).toBe('caller-booking');
    });
  });
}
