import {
  ActorPseudonyms,
  type Appointment,
  addDays,
  type Batch,
  bookAppointment,
  type Centre,
  cancelAppointment,
  DEFAULT_SETTINGS,
  type Deps,
  DomainError,
  type DomainEvent,
  type Ids,
  isBookingReference,
  login,
  type PolicyChange,
  type PolicyVersion,
  publishSlots,
  readCatalogue,
  rescheduleAppointment,
  type Slot,
  type SmsPhoneDay,
  type SmsRecord,
  type SmsSession,
  type Store,
  type Transaction,
  VACCINES,
  type Vaccine,
} from '@ereg/shared';
import { plainIdentity } from '@ereg/shared/testing';
import { scatteredIds } from '../../src/adapters/system/clock-and-ids.ts';
import { aBirthYearRule, aCentre, aCitizen, aSchedule, FakeClock } from '../support/builders.ts';

export interface ContractStore {
  store: Store;
  /** Recomputes a centre-day of the availability read model (what the availability consumer does). */
  refreshAvailability(centreId: string, date: string): Promise<void>;
  /** Transaction attempts so far, where the adapter counts them. */
  stats?(): { transactions: number; attempts: number; maxAttempts: number; exhausted: number };
  close(): Promise<void>;
}

export interface ContractOptions {
  /** People racing for one slot of `stormCapacity` places. */
  stormSize: number;
  /** Places in each slot of the storm centre (20 as in the backbone's storms). */
  stormCapacity?: number;
  /** Parallel bookings of one person, parallel retries with one key. */
  parallel: number;
}

const NOW = '2026-01-12T07:00:00.000Z'; // a Monday, 08:00 in Warsaw
const SYSTEM = { role: 'system', id: 'contract' } as const;

const ids: Ids = scatteredIds;

const slot = (overrides: Partial<Slot> & { id: string }): Slot => ({
  centreId: 'c-k',
  vaccineId: 'comirnaty',
  start: '2026-02-02T08:00:00.000Z',
  end: '2026-02-02T08:15:00.000Z',
  localDate: '2026-02-02',
  capacity: 3,
  booked: 0,
  ...overrides,
});

const appointment = (overrides: Partial<Appointment> & { id: string }): Appointment => ({
  patientId: 'p-1',
  centreId: 'c-k',
  slotId: 's-1',
  vaccineId: 'comirnaty',
  dose: 1,
  bookingId: 'b-1',
  reference: 'BKGREF22',
  status: 'booked',
  start: '2026-02-02T08:00:00.000Z',
  localDate: '2026-02-02',
  version: 1,
  bookedBy: { role: 'patient', id: 'p-1' },
  createdAt: NOW,
  updatedAt: NOW,
  checkedInAt: null,
  cancellation: null,
  completion: null,
  ...overrides,
});

const aBatch = (overrides: Partial<Batch> & { id: string }): Batch => ({
  centreId: 'c-k',
  vaccineId: 'comirnaty',
  number: `LOT-${overrides.id.toUpperCase()}`,
  expiry: '2026-06-30',
  doses: 10,
  status: 'active',
  createdAt: NOW,
  createdBy: { role: 'staff', id: 'st-manager' },
  ...overrides,
});

const anSmsRecord = (overrides: Partial<SmsRecord> & { key: string }): SmsRecord => ({
  purpose: 'reminder',
  to: '+48600100200',
  body: 'Jutro o 09:00 szczepienie w Punkcie Szczepień nr 1.',
  language: 'pl',
  patientId: 'p-1',
  validWhile: [{ appointmentId: 'a-1', version: 2 }],
  quietZone: 'Europe/Warsaw',
  sendAt: '2026-02-01T17:00:00.000Z',
  status: 'pending',
  attempts: 0,
  providerId: null,
  error: null,
  createdAt: NOW,
  updatedAt: NOW,
  sentAt: null,
  ...overrides,
});

const anSmsSession = (overrides: Partial<SmsSession> = {}): SmsSession => ({
  phone: '+48600100200',
  language: 'pl',
  pesel: '44051401359',
  postalCode: '00-950',
  offeredSlotId: null,
  declinedSlotIds: [],
  expiresAt: '2026-01-12T07:30:00.000Z',
  updatedAt: NOW,
  ...overrides,
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof DomainError ? error.code : `error: ${(error as Error).message}`;
  }
}

function count(values: string[]): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const v of values) counted[v] = (counted[v] ?? 0) + 1;
  return counted;
}

/**
 * The behaviour every Store adapter shares: the port itself, then the real use cases on it, then the
 * concurrency storms of the booking backbone.
 */
export function describeStoreContract(
  name: string,
  makeStore: () => Promise<ContractStore>,
  options: ContractOptions,
): void {
  describe(`Store contract: ${name}`, () => {
    let s: ContractStore;
    let store: Store;
    beforeAll(async () => {
      s = await makeStore();
      store = s.store;
    });
    afterAll(async () => s?.close());

    describe('the port', () => {
      test('puts and gets every kind of record', async () => {
        const centre = aCentre({ id: 'c-k' });
        const patient = {
          id: 'p-k',
          pesel: aCitizen().pesel,
          givenName: 'Anna',
          familyName: 'Kowalska',
          birthDate: '1950-03-15',
          sex: 'female' as const,
          phone: null,
          language: 'pl' as const,
          groups: ['medical'],
          createdAt: NOW,
        };
        const key = 'book:patient:p-k:a/b:c?d';
        await store.runInTransaction(async (tx) => {
          tx.putCentre(centre);
          tx.putSlot(slot({ id: 'c-k_comirnaty_a', booked: 1 }));
          tx.putAppointment(
            appointment({ id: 'a-2', patientId: 'p-k', start: '2026-02-03T08:00:00.000Z', localDate: '2026-02-03' }),
          );
          tx.putAppointment(appointment({ id: 'a-1', patientId: 'p-k', slotId: 'c-k_comirnaty_a' }));
          tx.putAppointment(
            appointment({ id: 'a-3', patientId: 'p-x', slotId: 'c-k_comirnaty_a', status: 'cancelled' }),
          );
          tx.putPatient(patient);
          tx.putReferral({ id: 'r-1', patientId: 'p-k', ruleId: 'born-1970', issuedAt: NOW, validUntil: NOW });
          tx.putIdempotency({ key, requestHash: 'h', response: { b: 1, a: [1, 'x', null] }, createdAt: NOW });
          tx.putStaff({ id: 'st-2', name: 'B', email: 'b@x.pl', centreId: 'c-k', role: 'staff' });
          tx.putStaff({ id: 'st-1', name: 'A', email: 'a@x.pl', centreId: 'c-k', role: 'centre-manager' });
          tx.putEligibilityRule(aBirthYearRule(1960));
          tx.putEligibilityRule(aBirthYearRule(1950));
          tx.addAudit({
            id: 'au-2',
            actor: { role: 'agent', id: 'ag' },
            patientId: 'p-k',
            action: 'view',
            reason: 'call',
            at: '2026-01-12T07:00:02.000Z',
          });
          tx.addAudit({
            id: 'au-1',
            actor: { role: 'agent', id: 'ag' },
            patientId: 'p-k',
            action: 'view',
            reason: 'call',
            at: '2026-01-12T07:00:01.000Z',
          });
          const event: DomainEvent = {
            id: 'evt-k',
            type: 'patient.registered',
            occurredAt: NOW,
            actor: SYSTEM,
            subjectId: 'p-k',
            data: { patientId: 'p-k' },
          } as DomainEvent;
          tx.addEvent(event);
        });
        expect(await store.getCentre('c-k')).toEqual(centre);
        expect((await store.listCentres()).map((c) => c.id)).toContain('c-k');
        expect(await store.getSlot('c-k_comirnaty_a')).toEqual(slot({ id: 'c-k_comirnaty_a', booked: 1 }));
        expect(await store.getSlot('nope')).toBeNull();
        expect((await store.listAppointmentsOfPatient('p-k')).map((a) => a.id)).toEqual(['a-1', 'a-2']);
        expect(await store.getAppointment('a-1')).toEqual(
          appointment({ id: 'a-1', patientId: 'p-k', slotId: 'c-k_comirnaty_a' }),
        );
        expect((await store.listAppointmentsOfCentreDay('c-k', '2026-02-02')).map((a) => a.id).sort()).toEqual([
          'a-1',
          'a-3',
        ]);
        expect(await store.getPatient('p-k')).toEqual(patient);
        expect(await store.getStaff('st-1')).toEqual({
          id: 'st-1',
          name: 'A',
          email: 'a@x.pl',
          centreId: 'c-k',
          role: 'centre-manager',
        });
        expect((await store.listStaffOfCentre('c-k')).map((m) => m.id)).toEqual(['st-1', 'st-2']);
        expect((await store.listEligibilityRules()).map((r) => r.id)).toEqual(['born-1950', 'born-1960']);
        expect((await store.listAudit('p-k')).map((a) => a.id)).toEqual(['au-1', 'au-2']);
        const inTx = await store.runInTransaction(async (tx) => ({
          byPesel: await tx.getPatientByPesel(patient.pesel),
          referral: await tx.getReferral('p-k'),
          idem: await tx.getIdempotency(key),
          missing: await tx.getIdempotency('book:patient:p-k:other'),
          active: (await tx.listActiveAppointmentsOfSlot('c-k_comirnaty_a')).map((a) => a.id),
          staff: await tx.getStaff('st-2'),
          centre: await tx.getCentre('c-k'),
        }));
        expect(inTx.byPesel).toEqual(patient);
        expect(inTx.referral?.id).toBe('r-1');
        expect(inTx.idem).toEqual({ key, requestHash: 'h', response: { b: 1, a: [1, 'x', null] }, createdAt: NOW });
        expect(JSON.stringify(inTx.idem?.response)).toBe('{"b":1,"a":[1,"x",null]}');
        expect(inTx.missing).toBeNull();
        expect(inTx.active).toEqual(['a-1']);
        expect(inTx.staff?.name).toBe('B');
        expect(inTx.centre).toEqual(centre);
      });

      test('publishedThrough is kept per centre and survives a change of the centre', async () => {
        const centre = aCentre({ id: 'c-pub' });
        await store.runInTransaction(async (tx) => tx.putCentre(centre));
        expect(await store.getPublishedThrough('c-pub')).toBeNull();
        await store.setPublishedThrough('c-pub', '2026-03-01');
        await store.runInTransaction(async (tx) => tx.putCentre({ ...centre, name: 'Renamed' }));
        expect(await store.getPublishedThrough('c-pub')).toBe('2026-03-01');
        expect((await store.getCentre('c-pub'))?.name).toBe('Renamed');
        expect(await store.getCentre('c-pub')).toEqual({ ...centre, name: 'Renamed' });
      });

      test('a read after a write fails, and the transaction writes nothing', async () => {
        const error = await store
          .runInTransaction(async (tx) => {
            tx.putSlot(slot({ id: 'c-k_rw' }));
            await tx.getSlot('c-k_rw');
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect(String((error as Error).message)).toMatch(/reads before/);
        expect(await store.getSlot('c-k_rw')).toBeNull();
      });

      test('a domain error rolls back everything and propagates unchanged, without a retry', async () => {
        const thrown = new DomainError('conflict', 'SLOT_FULL', 'full');
        let runs = 0;
        const caught = await store
          .runInTransaction(async (tx) => {
            runs++;
            await tx.getSlot('c-k_comirnaty_a');
            tx.putSlot(slot({ id: 'c-k_rolled_back' }));
            tx.putAppointment(appointment({ id: 'a-rolled-back' }));
            tx.addEvent({ id: 'evt-rb', type: 'patient.registered', occurredAt: NOW } as DomainEvent);
            throw thrown;
          })
          .catch((e: unknown) => e);
        expect(caught).toBe(thrown);
        expect(runs).toBe(1);
        expect(await store.getSlot('c-k_rolled_back')).toBeNull();
        expect(await store.getAppointment('a-rolled-back')).toBeNull();
      });

      test('an access grant is kept per agent and patient, replaced by a newer one, and read back in a transaction', async () => {
        const odd = 'agent/with:odd chars';
        await store.runInTransaction(async (tx) => {
          expect(await tx.getAccessGrant('agent-g', 'p-g')).toBeNull();
          tx.putAccessGrant({ agentId: 'agent-g', patientId: 'p-g', until: '2026-01-12T07:30:00.000Z' });
          tx.putAccessGrant({ agentId: odd, patientId: 'p-g', until: '2026-01-12T07:10:00.000Z' });
        });
        await store.runInTransaction(async (tx) =>
          tx.putAccessGrant({ agentId: 'agent-g', patientId: 'p-g', until: '2026-01-12T08:00:00.000Z' }),
        );
        const read = await store.runInTransaction(async (tx) => [
          await tx.getAccessGrant('agent-g', 'p-g'),
          await tx.getAccessGrant(odd, 'p-g'),
          await tx.getAccessGrant('agent-g', 'p-other'),
          await tx.getAccessGrant('p-g', 'agent-g'),
        ]);
        expect(read).toEqual([
          { agentId: 'agent-g', patientId: 'p-g', until: '2026-01-12T08:00:00.000Z' },
          { agentId: odd, patientId: 'p-g', until: '2026-01-12T07:10:00.000Z' },
          null,
          null,
        ]);
      });

      test('a grant written in a transaction that fails is not kept', async () => {
        await expect(
          store.runInTransaction(async (tx) => {
            tx.putAccessGrant({ agentId: 'agent-r', patientId: 'p-r', until: '2026-01-12T08:00:00.000Z' });
            throw new DomainError('forbidden', 'NOPE', 'rolled back');
          }),
        ).rejects.toMatchObject({ code: 'NOPE' });
        expect(await store.runInTransaction((tx) => tx.getAccessGrant('agent-r', 'p-r'))).toBeNull();
      });

      // The administration: eligibility policy.
      describe('the eligibility policy', () => {
        const change = (id: string, proposedAt: string, status: PolicyChange['status'] = 'pending'): PolicyChange => ({
          id,
          action: 'open',
          rules: [aBirthYearRule(1951)],
          note: 'next year',
          status,
          proposedBy: 'admin-1',
          proposedAt,
        });
        const version = (n: number, rules = [aBirthYearRule(1951)]): PolicyVersion => ({
          version: n,
          at: `2026-01-1${n}T07:00:00.000Z`,
          rules,
          changeId: n === 0 ? null : `pch-${n}`,
          by: n === 0 ? 'system' : 'admin-2',
        });

        test('a change is read back in a transaction, replaced by its decision, and listed newest first by status', async () => {
          await store.runInTransaction(async (tx) => {
            expect(await tx.getPolicyChange('pch-a')).toBeNull();
            tx.putPolicyChange(change('pch-a', '2026-01-12T07:00:00.000Z'));
            tx.putPolicyChange(change('pch-b', '2026-01-12T08:00:00.000Z'));
            tx.putPolicyChange(change('pch-c', '2026-01-12T08:00:00.000Z'));
          });
          const decided = {
            ...change('pch-a', '2026-01-12T07:00:00.000Z', 'approved'),
            decidedBy: 'admin-2',
            version: 1,
          };
          await store.runInTransaction(async (tx) => tx.putPolicyChange(decided));

          expect(await store.runInTransaction((tx) => tx.getPolicyChange('pch-a'))).toEqual(decided);
          expect((await store.listPolicyChanges({ limit: 10 })).map((c) => c.id)).toEqual(['pch-c', 'pch-b', 'pch-a']);
          expect((await store.listPolicyChanges({ status: 'pending', limit: 10 })).map((c) => c.id)).toEqual([
            'pch-c',
            'pch-b',
          ]);
          expect((await store.listPolicyChanges({ status: 'approved', limit: 10 })).map((c) => c.id)).toEqual([
            'pch-a',
          ]);
          expect((await store.listPolicyChanges({ status: 'pending', limit: 1 })).map((c) => c.id)).toEqual(['pch-c']);
          expect(await store.listPolicyChanges({ status: 'rejected', limit: 10 })).toEqual([]);
        });

        test('versions are numbered once: a second version of a number fails its whole unit', async () => {
          expect(await store.runInTransaction((tx) => tx.getLatestPolicyVersion())).toBeNull();
          await store.runInTransaction(async (tx) => {
            tx.putPolicyVersion(version(0, []));
            tx.putPolicyVersion(version(1));
          });
          expect(await store.runInTransaction((tx) => tx.getLatestPolicyVersion())).toEqual(version(1));

          await expect(
            store.runInTransaction(async (tx) => {
              tx.putPolicyChange(change('pch-rival', '2026-01-13T07:00:00.000Z', 'approved'));
              tx.putPolicyVersion(version(1, []));
            }),
          ).rejects.toThrow();
          expect(await store.runInTransaction((tx) => tx.getPolicyChange('pch-rival'))).toBeNull();

          await store.runInTransaction(async (tx) => tx.putPolicyVersion(version(2, [])));
          expect((await store.listPolicyVersions()).map((v) => v.version)).toEqual([0, 1, 2]);
          expect((await store.listPolicyVersions())[1]).toEqual(version(1));
          expect((await store.runInTransaction((tx) => tx.getLatestPolicyVersion()))?.version).toBe(2);
        });

        test('two approvals that read the same latest version cannot both write the next', async () => {
          const attempt = () =>
            store.runInTransaction(async (tx) => {
              const latest = await tx.getLatestPolicyVersion();
              tx.putPolicyVersion(version((latest?.version ?? 0) + 1));
            });
          const results = await Promise.allSettled([attempt(), attempt()]);
          const versions = (await store.listPolicyVersions()).map((v) => v.version);
          // Either the second saw the first's version and wrote the next, or it failed: never two of one number.
          expect(new Set(versions).size).toBe(versions.length);
          expect(versions.length - 3).toBe(results.filter((r) => r.status === 'fulfilled').length);
        });

        test('a rule is removed from the rules in force', async () => {
          const rule = { ...aBirthYearRule(1952), id: 'born-1952-removed' };
          await store.runInTransaction(async (tx) => tx.putEligibilityRule(rule));
          expect((await store.listEligibilityRules()).map((r) => r.id)).toContain(rule.id);
          await store.runInTransaction(async (tx) => tx.deleteEligibilityRule(rule.id));
          expect((await store.listEligibilityRules()).map((r) => r.id)).not.toContain(rule.id);
        });
      });

      describe('staff', () => {
        const member = (id: string, email: string, role: 'staff' | 'centre-manager' = 'staff') => ({
          id,
          name: `Member ${id}`,
          email,
          centreId: 'c-staff',
          role,
        });

        test('a member is found by e-mail and among the centre’s staff in a transaction, and deleted with the commit', async () => {
          await store.runInTransaction(async (tx) => {
            tx.putStaff(member('st-b', 'b@staff.test'));
            tx.putStaff(member('st-a', 'a@staff.test', 'centre-manager'));
          });
          const read = await store.runInTransaction(async (tx) => ({
            byEmail: await tx.getStaffByEmail('b@staff.test'),
            nobody: await tx.getStaffByEmail('nobody@staff.test'),
            centre: (await tx.listStaffOfCentre('c-staff')).map((m) => m.id),
          }));
          expect(read).toEqual({ byEmail: member('st-b', 'b@staff.test'), nobody: null, centre: ['st-a', 'st-b'] });

          await store.runInTransaction(async (tx) => tx.deleteStaff('st-b'));
          expect(await store.getStaff('st-b')).toBeNull();
          expect(await store.runInTransaction((tx) => tx.getStaffByEmail('b@staff.test'))).toBeNull();
          expect((await store.listStaffOfCentre('c-staff')).map((m) => m.id)).toEqual(['st-a']);
        });

        test('of transactions that each add a member with the same e-mail if nobody has it, one adds it', async () => {
          const add = (id: string) =>
            store.runInTransaction(async (tx) => {
              if (await tx.getStaffByEmail('same@staff.test')) return false;
              tx.putStaff(member(id, 'same@staff.test'));
              return true;
            });
          const added = await Promise.all(['st-r1', 'st-r2', 'st-r3', 'st-r4'].map(add));
          expect(added.filter(Boolean)).toHaveLength(1);
          const holders = (await store.listStaffOfCentre('c-staff')).filter((m) => m.email === 'same@staff.test');
          expect(holders).toHaveLength(1);
        });
      });

      describe('used assertions', () => {
        const used = (id: string) => ({
          id,
          usedAt: '2026-01-12T07:00:00.000Z',
          expiresAt: '2026-01-12T07:05:00.000Z',
        });
        /** What a login does with an assertion: read its id, refuse a used one, record it. */
        const claim = (id: string) =>
          codeOf(
            store.runInTransaction(async (tx) => {
              if (await tx.getUsedAssertion(id)) throw new DomainError('unauthenticated', 'ASSERTION_USED', 'used');
              tx.putUsedAssertion(used(id));
            }),
          );

        test('a used assertion is read back by its id, whatever characters the id holds', async () => {
          const odd = 'https://idp.example/assertions/42?x=1#y';
          await store.runInTransaction(async (tx) => {
            tx.putUsedAssertion(used('jti-1'));
            tx.putUsedAssertion(used(odd));
          });
          const read = await store.runInTransaction(async (tx) => [
            await tx.getUsedAssertion('jti-1'),
            await tx.getUsedAssertion(odd),
            await tx.getUsedAssertion('jti-unknown'),
          ]);
          expect(read).toEqual([used('jti-1'), used(odd), null]);
        });

        test('a second record of one assertion fails its commit, and that transaction writes nothing', async () => {
          await store.runInTransaction(async (tx) => tx.putUsedAssertion(used('jti-twice')));
          await expect(
            store.runInTransaction(async (tx) => {
              tx.putSlot(slot({ id: 'c-k_with_second_use' }));
              tx.putUsedAssertion({ ...used('jti-twice'), usedAt: '2026-01-12T07:01:00.000Z' });
            }),
          ).rejects.toThrow();
          expect(await store.getSlot('c-k_with_second_use')).toBeNull();
          expect(await store.runInTransaction((tx) => tx.getUsedAssertion('jti-twice'))).toEqual(used('jti-twice'));
        });

        test('a use recorded in a transaction that fails is not kept', async () => {
          await expect(
            store.runInTransaction(async (tx) => {
              tx.putUsedAssertion(used('jti-rolled-back'));
              throw new DomainError('conflict', 'NOPE', 'rolled back');
            }),
          ).rejects.toMatchObject({ code: 'NOPE' });
          expect(await claim('jti-rolled-back')).toBe('ok');
        });

        test('parallel claims of one assertion: exactly one wins, the others find it used', async () => {
          const codes = await Promise.all(Array.from({ length: 2 }, () => claim('jti-raced')));
          expect(count(codes)).toEqual({ ok: 1, ASSERTION_USED: 1 });
          const many = await Promise.all(Array.from({ length: options.parallel }, () => claim('jti-raced-many')));
          expect(count(many)).toEqual({ ok: 1, ASSERTION_USED: options.parallel - 1 });
        });
      });

      describe('booking references', () => {
        const taken = (reference: string, patientId = 'p-1') => ({
          reference,
          bookingId: `b-${reference}`,
          patientId,
          createdAt: NOW,
        });

        test('a reference is read back, and leads to the visits booked under it only', async () => {
          await store.runInTransaction(async (tx) => {
            tx.putBookingReference(taken('RFKQ2345'));
            tx.putAppointment(
              appointment({ id: 'a-ref-2', reference: 'RFKQ2345', dose: 2, start: '2026-02-23T08:00:00.000Z' }),
            );
            tx.putAppointment(appointment({ id: 'a-ref-1', reference: 'RFKQ2345' }));
            tx.putAppointment(appointment({ id: 'a-ref-other', reference: 'RFKQ2346' }));
          });
          const read = await store.runInTransaction(async (tx) => [
            await tx.getBookingReference('RFKQ2345'),
            await tx.getBookingReference('RFKQ9999'),
          ]);
          expect(read).toEqual([taken('RFKQ2345'), null]);
          expect((await store.listAppointmentsByReference('RFKQ2345')).map((a) => a.id)).toEqual([
            'a-ref-1',
            'a-ref-2',
          ]);
          expect(await store.listAppointmentsByReference('RFKQ9999')).toEqual([]);
        });

        test('a reference taken twice fails the second commit, which writes nothing', async () => {
          await store.runInTransaction(async (tx) => tx.putBookingReference(taken('TWCE2345')));
          await expect(
            store.runInTransaction(async (tx) => {
              tx.putSlot(slot({ id: 'c-k_with_second_reference' }));
              tx.putBookingReference(taken('TWCE2345', 'p-2'));
            }),
          ).rejects.toThrow();
          expect(await store.getSlot('c-k_with_second_reference')).toBeNull();
          expect(await store.runInTransaction((tx) => tx.getBookingReference('TWCE2345'))).toEqual(taken('TWCE2345'));
        });
      });

      describe('batches and their stock', () => {
        const add = (batch: Batch) => store.runInTransaction(async (tx) => tx.addBatch(batch));
        const take = (batchId: string, count: number | 'all', use: 'given' | 'wasted' = 'given') =>
          store.runInTransaction((tx) => tx.takeDoses(batchId, count, use));
        /** A taking tried again while the store reports contention, as a desk's retry would. */
        const takeOne = async (batchId: string): Promise<string> => {
          for (let attempt = 1; ; attempt++) {
            const code = await codeOf(take(batchId, 1));
            if (code !== 'CONTENDED' || attempt >= 20) return code;
          }
        };

        test('a new batch is read back with all its doses left and none wasted', async () => {
          const batch = aBatch({ id: 'bt-new', doses: 250 });
          await add(batch);
          expect(await store.runInTransaction((tx) => tx.getBatch('bt-new'))).toEqual(batch);
          expect(await store.runInTransaction((tx) => tx.getBatchByNumber('c-k', 'comirnaty', 'LOT-BT-NEW'))).toEqual(
            batch,
          );
          expect(await store.runInTransaction((tx) => tx.getBatchByNumber('c-k', 'spikevax', 'LOT-BT-NEW'))).toBeNull();
          expect(await store.getBatchStock('bt-new')).toEqual({ batchId: 'bt-new', remaining: 250, wasted: 0 });
          expect(await store.getBatchStock('bt-none')).toBeNull();
        });

        test('a second batch of one number, product and centre fails its commit, which writes nothing', async () => {
          await add(aBatch({ id: 'bt-dup-1', number: 'DUP-1' }));
          await expect(
            store.runInTransaction(async (tx) => {
              tx.putSlot(slot({ id: 'c-k_with_second_batch' }));
              tx.addBatch(aBatch({ id: 'bt-dup-2', number: 'DUP-1' }));
            }),
          ).rejects.toThrow();
          expect(await store.getSlot('c-k_with_second_batch')).toBeNull();
          expect(await store.getBatchStock('bt-dup-2')).toBeNull();
          await add(aBatch({ id: 'bt-dup-3', number: 'DUP-1', vaccineId: 'spikevax' }));
          await add(aBatch({ id: 'bt-dup-4', number: 'DUP-1', centreId: 'c-other' }));
          expect(await store.getBatchStock('bt-dup-4')).toEqual({ batchId: 'bt-dup-4', remaining: 10, wasted: 0 });
        });

        test('takings count the stock down, wasted ones count as wasted too, and the last one empties the batch', async () => {
          await add(aBatch({ id: 'bt-take', doses: 5 }));
          expect(await take('bt-take', 1)).toEqual({ taken: 1, emptied: false });
          expect(await take('bt-take', 2, 'wasted')).toEqual({ taken: 2, emptied: false });
          expect(await store.getBatchStock('bt-take')).toEqual({ batchId: 'bt-take', remaining: 2, wasted: 2 });
          expect(await take('bt-take', 2)).toEqual({ taken: 2, emptied: true });
          expect(await store.getBatchStock('bt-take')).toEqual({ batchId: 'bt-take', remaining: 0, wasted: 2 });
        });

        test('a taking of more than is left is refused as OUT_OF_STOCK, naming the batch, and takes nothing', async () => {
          await add(aBatch({ id: 'bt-short', doses: 3 }));
          const refused = await take('bt-short', 4).catch((error: unknown) => error);
          expect(refused).toBeInstanceOf(DomainError);
          expect(refused).toMatchObject({ code: 'OUT_OF_STOCK', details: { batchId: 'bt-short', available: 3 } });
          expect(await store.getBatchStock('bt-short')).toEqual({ batchId: 'bt-short', remaining: 3, wasted: 0 });
          expect(await codeOf(take('bt-missing', 1))).toBe('OUT_OF_STOCK');
        });

        test("'all' takes every dose left, as wasted when asked", async () => {
          await add(aBatch({ id: 'bt-all', doses: 7 }));
          await take('bt-all', 3);
          expect(await take('bt-all', 'all', 'wasted')).toEqual({ taken: 4, emptied: true });
          expect(await store.getBatchStock('bt-all')).toEqual({ batchId: 'bt-all', remaining: 0, wasted: 4 });
          expect(await take('bt-all', 'all', 'wasted')).toEqual({ taken: 0, emptied: true });
        });

        test('a read after a taking in one unit is refused, as after any write', async () => {
          await add(aBatch({ id: 'bt-order', doses: 3 }));
          await expect(
            store.runInTransaction(async (tx) => {
              await tx.takeDoses('bt-order', 1, 'given');
              return tx.getBatch('bt-order');
            }),
          ).rejects.toThrow(/reads before/);
          expect(await store.getBatchStock('bt-order')).toEqual({ batchId: 'bt-order', remaining: 3, wasted: 0 });
        });

        test('a batch rewritten keeps its stock, and the centre lists its batches oldest first with their counters', async () => {
          await add(aBatch({ id: 'bt-list-2', centreId: 'c-list', createdAt: '2026-01-12T08:00:00.000Z' }));
          await add(aBatch({ id: 'bt-list-1', centreId: 'c-list', doses: 4 }));
          await take('bt-list-1', 1, 'wasted');
          const depleted = aBatch({
            id: 'bt-list-1',
            centreId: 'c-list',
            doses: 4,
            status: 'depleted',
            depletedAt: '2026-01-12T09:00:00.000Z',
          });
          await store.runInTransaction(async (tx) => tx.putBatch(depleted));
          expect(await store.listBatchesOfCentre('c-list')).toEqual([
            { ...depleted, remaining: 3, wasted: 1 },
            {
              ...aBatch({ id: 'bt-list-2', centreId: 'c-list', createdAt: '2026-01-12T08:00:00.000Z' }),
              remaining: 10,
              wasted: 0,
            },
          ]);
          expect(await store.listBatchesOfCentre('c-none')).toEqual([]);
        });

        test('many takings of one batch at once never take more than it holds', async () => {
          await add(aBatch({ id: 'bt-race', doses: 25 }));
          const codes = await Promise.all(Array.from({ length: 40 }, () => takeOne('bt-race')));
          expect(count(codes)).toEqual({ ok: 25, OUT_OF_STOCK: 15 });
          expect(await store.getBatchStock('bt-race')).toEqual({ batchId: 'bt-race', remaining: 0, wasted: 0 });
        });

        test('takings of a large batch at once are each counted once', async () => {
          await add(aBatch({ id: 'bt-busy', doses: 1000 }));
          const codes = await Promise.all(Array.from({ length: options.parallel }, () => takeOne('bt-busy')));
          expect(count(codes)).toEqual({ ok: options.parallel });
          expect(await store.getBatchStock('bt-busy')).toEqual({
            batchId: 'bt-busy',
            remaining: 1000 - options.parallel,
            wasted: 0,
          });
        });
      });

      test('an audit record with no patient (a look-up that found no one) is stored and listed under nobody', async () => {
        await store.runInTransaction(async (tx) =>
          tx.addAudit({
            id: 'au-miss',
            actor: { role: 'agent', id: 'agent-m' },
            patientId: null,
            action: 'find-by-pesel-miss',
            reason: 'caller on the line',
            at: '2026-01-12T07:00:00.000Z',
          }),
        );
        expect((await store.listAudit('')).map((a) => a.id)).not.toContain('au-miss');
      });

      test('deletes a slot', async () => {
        await store.runInTransaction(async (tx) => tx.putSlot(slot({ id: 'c-k_del' })));
        await store.runInTransaction(async (tx) => tx.deleteSlot('c-k_del'));
        expect(await store.getSlot('c-k_del')).toBeNull();
      });

      describe('the message ledger and SMS sessions', () => {
        const getMessage = (key: string) => store.runInTransaction((tx) => tx.getSmsMessage(key));
        const getSession = (phone: string) => store.runInTransaction((tx) => tx.getSmsSession(phone));

        test('a ledger entry is stored, read back, and rewritten whole as its status changes', async () => {
          const pending = anSmsRecord({ key: 'reminder:apt_l1:2', to: '+48600000101' });
          await store.runInTransaction(async (tx) => tx.putSmsMessage(pending));
          expect(await getMessage(pending.key)).toEqual(pending);
          expect(await getMessage('reminder:apt_l1:3')).toBeNull();

          const sent: SmsRecord = {
            ...pending,
            status: 'sent',
            attempts: 1,
            providerId: 'SM123',
            updatedAt: '2026-02-01T17:00:02.000Z',
            sentAt: '2026-02-01T17:00:02.000Z',
          };
          await store.runInTransaction(async (tx) => {
            expect((await tx.getSmsMessage(pending.key))?.status).toBe('pending');
            tx.putSmsMessage(sent);
          });
          expect(await getMessage(pending.key)).toEqual(sent);
          expect(await store.listSmsMessages({ limit: 10, to: '+48600000101' })).toEqual([sent]);
        });

        test('keys holding `:` and `/` are distinct entries', async () => {
          const a = anSmsRecord({ key: 'reply:+48600000102/1:x', body: 'a' });
          const b = anSmsRecord({ key: 'reply:+48600000102:1/x', body: 'b' });
          await store.runInTransaction(async (tx) => {
            tx.putSmsMessage(a);
            tx.putSmsMessage(b);
          });
          expect((await getMessage(a.key))?.body).toBe('a');
          expect((await getMessage(b.key))?.body).toBe('b');
        });

        test('lists the ledger newest first, then by key; only to one number when asked; up to the limit', async () => {
          const at = (minute: number) => `2099-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
          const mine = '+48600000103';
          const other = '+48600000104';
          const records = [
            anSmsRecord({ key: 'booked:apt_n1', to: mine, createdAt: at(1) }),
            anSmsRecord({ key: 'reminder:apt_n1:1', to: mine, createdAt: at(3) }),
            anSmsRecord({ key: 'moved:apt_n1:2', to: mine, createdAt: at(3) }),
            anSmsRecord({ key: 'booked:apt_n2', to: other, createdAt: at(2) }),
            anSmsRecord({ key: 'cancelled:apt_n2:1', to: other, createdAt: at(4) }),
          ];
          await store.runInTransaction(async (tx) => {
            for (const r of records) tx.putSmsMessage(r);
          });
          const keys = (list: SmsRecord[]) => list.map((r) => r.key);
          expect(keys(await store.listSmsMessages({ limit: 4 }))).toEqual([
            'cancelled:apt_n2:1',
            'reminder:apt_n1:1',
            'moved:apt_n1:2',
            'booked:apt_n2',
          ]);
          expect(keys(await store.listSmsMessages({ limit: 10, to: mine }))).toEqual([
            'reminder:apt_n1:1',
            'moved:apt_n1:2',
            'booked:apt_n1',
          ]);
          expect(keys(await store.listSmsMessages({ limit: 1, to: other }))).toEqual(['cancelled:apt_n2:1']);
          expect(await store.listSmsMessages({ limit: 10, to: '+48600000199' })).toEqual([]);
          expect(await store.listSmsMessages({ limit: 0 })).toEqual([]);
          expect((await store.listSmsMessages({ limit: 10, to: mine }))[2]).toEqual(records[0]);
        });

        test('a session is stored, rewritten, read back and deleted', async () => {
          const phone = '+48600000105';
          const first = anSmsSession({ phone });
          await store.runInTransaction(async (tx) => tx.putSmsSession(first));
          expect(await getSession(phone)).toEqual(first);
          expect(await getSession('+48600000106')).toBeNull();

          const offered = anSmsSession({
            phone,
            offeredSlotId: 'c-k_comirnaty_b',
            declinedSlotIds: ['c-k_comirnaty_a'],
            updatedAt: '2026-01-12T07:01:00.000Z',
          });
          await store.runInTransaction(async (tx) => {
            expect((await tx.getSmsSession(phone))?.offeredSlotId).toBeNull();
            tx.putSmsSession(offered);
          });
          expect(await getSession(phone)).toEqual(offered);

          await store.runInTransaction(async (tx) => tx.deleteSmsSession(phone));
          expect(await getSession(phone)).toBeNull();
          await store.runInTransaction(async (tx) => tx.deleteSmsSession(phone));
        });

        test('reading the ledger or a session after a write fails, and the transaction writes nothing', async () => {
          const reads: Array<(tx: Transaction) => Promise<unknown>> = [
            (tx) => tx.getSmsMessage('booked:apt_rw'),
            (tx) => tx.getSmsSession('+48600000107'),
          ];
          for (const read of reads) {
            const error = await store
              .runInTransaction(async (tx) => {
                tx.putSmsMessage(anSmsRecord({ key: 'booked:apt_rw' }));
                tx.putSmsSession(anSmsSession({ phone: '+48600000108' }));
                await read(tx);
              })
              .catch((e: unknown) => e);
            expect(String((error as Error).message)).toMatch(/reads before/);
          }
          expect(await getMessage('booked:apt_rw')).toBeNull();
          expect(await getSession('+48600000108')).toBeNull();
        });

        test('a domain error rolls back a ledger write and a session change', async () => {
          const phone = '+48600000109';
          const session = anSmsSession({ phone });
          await store.runInTransaction(async (tx) => tx.putSmsSession(session));
          const thrown = new DomainError('conflict', 'SLOT_FULL', 'full');
          const caught = await store
            .runInTransaction(async (tx) => {
              await tx.getSmsSession(phone);
              tx.putSmsMessage(anSmsRecord({ key: 'reply:apt_rb:1', to: phone }));
              tx.deleteSmsSession(phone);
              throw thrown;
            })
            .catch((e: unknown) => e);
          expect(caught).toBe(thrown);
          expect(await getMessage('reply:apt_rb:1')).toBeNull();
          expect(await getSession(phone)).toEqual(session);
          expect(await store.listSmsMessages({ limit: 10, to: phone })).toEqual([]);
        });
      });

      describe('the people a phone asked to book for by text, per day', () => {
        const getDay = (phone: string, date: string) => store.runInTransaction((tx) => tx.getSmsPhoneDay(phone, date));
        const aDay = (overrides: Partial<SmsPhoneDay> & { phone: string }): SmsPhoneDay => ({
          date: '2026-01-12',
          pesels: ['44051401359'],
          updatedAt: NOW,
          ...overrides,
        });

        test('is kept per phone and local date, read back, and replaced whole', async () => {
          const phone = '+48600000201';
          const first = aDay({ phone });
          await store.runInTransaction(async (tx) => {
            expect(await tx.getSmsPhoneDay(phone, '2026-01-12')).toBeNull();
            tx.putSmsPhoneDay(first);
            tx.putSmsPhoneDay(aDay({ phone, date: '2026-01-13', pesels: ['50010112345'] }));
            tx.putSmsPhoneDay(aDay({ phone: '+48600000202', pesels: [] }));
          });
          expect(await getDay(phone, '2026-01-12')).toEqual(first);
          expect((await getDay(phone, '2026-01-13'))?.pesels).toEqual(['50010112345']);
          expect((await getDay('+48600000202', '2026-01-12'))?.pesels).toEqual([]);
          expect(await getDay('+48600000203', '2026-01-12')).toBeNull();

          const more = aDay({ phone, pesels: ['44051401359', '50010112345'], updatedAt: '2026-01-12T07:05:00.000Z' });
          await store.runInTransaction(async (tx) => {
            expect((await tx.getSmsPhoneDay(phone, '2026-01-12'))?.pesels).toHaveLength(1);
            tx.putSmsPhoneDay(more);
          });
          expect(await getDay(phone, '2026-01-12')).toEqual(more);
        });

        test('reading it after a write fails, and a failed transaction keeps no change of it', async () => {
          const phone = '+48600000204';
          const error = await store
            .runInTransaction(async (tx) => {
              tx.putSmsPhoneDay(aDay({ phone }));
              await tx.getSmsPhoneDay(phone, '2026-01-12');
            })
            .catch((e: unknown) => e);
          expect(String((error as Error).message)).toMatch(/reads before/);
          await expect(
            store.runInTransaction(async (tx) => {
              await tx.getSmsPhoneDay(phone, '2026-01-12');
              tx.putSmsPhoneDay(aDay({ phone }));
              throw new DomainError('conflict', 'NOPE', 'rolled back');
            }),
          ).rejects.toMatchObject({ code: 'NOPE' });
          expect(await getDay(phone, '2026-01-12')).toBeNull();
        });

        const limit = Math.min(5, options.parallel - 1);
        test(`${options.parallel} transactions adding a person each at once never pass a limit of ${limit}`, async () => {
          const phone = '+48600000205';
          const outcomes = await Promise.all(
            Array.from({ length: options.parallel }, (_, i) =>
              store.runInTransaction(async (tx) => {
                const day = await tx.getSmsPhoneDay(phone, '2026-01-12');
                const pesels = day?.pesels ?? [];
                if (pesels.length >= limit) return 'refused';
                tx.putSmsPhoneDay(aDay({ phone, pesels: [...pesels, `pesel-${i}`] }));
                return 'added';
              }),
            ),
          );
          expect(count(outcomes)).toEqual({ added: limit, refused: options.parallel - limit });
          const day = await getDay(phone, '2026-01-12');
          expect(new Set(day?.pesels).size).toBe(limit);
        });
      });

      describe('free slots and the first available day', () => {
        const at = (day: string, hhmm: string) => `${day}T${hhmm}:00.000Z`;
        const mk = (day: string, hhmm: string, vaccineId: string, capacity: number, booked: number) =>
          slot({
            id: `c-f_${vaccineId}_${day}${hhmm}`,
            centreId: 'c-f',
            vaccineId,
            start: at(day, hhmm),
            end: at(day, hhmm),
            localDate: day,
            capacity,
            booked,
          });
        const D1 = '2026-03-02';
        const D2 = '2026-03-03';
        const D3 = '2026-03-04';
        beforeAll(async () => {
          await store.runInTransaction(async (tx) => {
            tx.putSlot(mk(D1, '08:00', 'comirnaty', 2, 2)); // full
            tx.putSlot(mk(D1, '08:00', 'vaxzevria', 2, 2)); // full
            tx.putSlot(mk(D2, '09:00', 'vaxzevria', 2, 0));
            tx.putSlot(mk(D2, '09:00', 'comirnaty', 2, 1));
            tx.putSlot(mk(D2, '08:00', 'spikevax', 2, 0));
            tx.putSlot(mk(D2, '10:00', 'comirnaty', 1, 0));
            tx.putSlot(mk(D3, '08:00', 'comirnaty', 5, 0));
            tx.putSlot(slot({ id: 'c-other_comirnaty_x', centreId: 'c-other', start: at(D2, '07:00') }));
          });
          for (const day of [D1, D2, D3]) await s.refreshAvailability('c-f', day);
        });

        const ids = (slots: Slot[]) => slots.map((x) => x.id);

        test('soonest first, then by product; full slots and other centres left out', async () => {
          const all = await store.findFreeSlots({
            centreId: 'c-f',
            vaccineIds: null,
            from: at(D1, '00:00'),
            to: null,
            limit: 10,
          });
          expect(ids(all)).toEqual([
            `c-f_spikevax_${D2}08:00`,
            `c-f_comirnaty_${D2}09:00`,
            `c-f_vaxzevria_${D2}09:00`,
            `c-f_comirnaty_${D2}10:00`,
            `c-f_comirnaty_${D3}08:00`,
          ]);
          expect(all[1]).toEqual(mk(D2, '09:00', 'comirnaty', 2, 1));
        });

        test('limits, bounds and the product filter (one product or several)', async () => {
          const q = { centreId: 'c-f', from: at(D1, '00:00'), to: null as string | null };
          expect(ids(await store.findFreeSlots({ ...q, vaccineIds: null, limit: 2 }))).toEqual([
            `c-f_spikevax_${D2}08:00`,
            `c-f_comirnaty_${D2}09:00`,
          ]);
          expect(ids(await store.findFreeSlots({ ...q, vaccineIds: ['comirnaty'], limit: 2 }))).toEqual([
            `c-f_comirnaty_${D2}09:00`,
            `c-f_comirnaty_${D2}10:00`,
          ]);
          expect(ids(await store.findFreeSlots({ ...q, vaccineIds: ['vaxzevria', 'spikevax'], limit: 5 }))).toEqual([
            `c-f_spikevax_${D2}08:00`,
            `c-f_vaxzevria_${D2}09:00`,
          ]);
          expect(
            ids(
              await store.findFreeSlots({
                ...q,
                vaccineIds: ['comirnaty'],
                from: at(D2, '09:00'),
                to: at(D2, '10:00'),
                limit: 5,
              }),
            ),
          ).toEqual([`c-f_comirnaty_${D2}09:00`]);
          expect(await store.findFreeSlots({ ...q, vaccineIds: [], limit: 5 })).toEqual([]);
          const inTx = await store.runInTransaction((tx) =>
            tx.findFreeSlots({ ...q, vaccineIds: ['comirnaty'], from: at(D2, '09:30'), limit: 1 }),
          );
          expect(ids(inTx)).toEqual([`c-f_comirnaty_${D2}10:00`]);
        });

        test('lists a centre-day’s slots in order', async () => {
          expect(ids(await store.listSlotsOfCentreDay('c-f', D2))).toEqual([
            `c-f_spikevax_${D2}08:00`,
            `c-f_comirnaty_${D2}09:00`,
            `c-f_vaxzevria_${D2}09:00`,
            `c-f_comirnaty_${D2}10:00`,
          ]);
          const inTx = await store.runInTransaction((tx) => tx.listSlotsOfCentreDay('c-f', D1));
          expect(ids(inTx)).toEqual([`c-f_comirnaty_${D1}08:00`, `c-f_vaxzevria_${D1}08:00`]);
        });

        test('the first available day: one entry per product with room, or only the product asked for', async () => {
          const day = await store.firstAvailableDay('c-f', D1, D3, null);
          expect(day.map((a) => [a.localDate, a.vaccineId, a.free])).toEqual([
            [D2, 'comirnaty', 2],
            [D2, 'spikevax', 2],
            [D2, 'vaxzevria', 2],
          ]);
          expect(day[0]?.firstFree).toBe(at(D2, '09:00'));
          expect(day[0]?.firstSlots.map((f) => f.slotId)).toEqual([
            `c-f_comirnaty_${D2}09:00`,
            `c-f_comirnaty_${D2}10:00`,
          ]);
          const one = await store.firstAvailableDay('c-f', D1, D3, 'comirnaty');
          expect(one.map((a) => [a.localDate, a.vaccineId, a.free])).toEqual([[D2, 'comirnaty', 2]]);
          expect(await store.firstAvailableDay('c-f', D3, D3, 'vaxzevria')).toEqual([]);
          expect(await store.firstAvailableDay('c-f', D1, D1, null)).toEqual([]);
        });
      });

      describe('the free places of a span of days', () => {
        // Days no other case of this suite publishes, so the count is of these slots alone.
        const [BEFORE, FIRST, MIDDLE, LAST, AFTER] = [
          '2027-05-09',
          '2027-05-10',
          '2027-05-11',
          '2027-05-12',
          '2027-05-13',
        ];
        const mk = (centreId: string, day: string, vaccineId: string, capacity: number, booked: number) =>
          slot({
            id: `${centreId}_${vaccineId}_${day}`,
            centreId,
            vaccineId,
            start: `${day}T08:00:00.000Z`,
            end: `${day}T08:15:00.000Z`,
            localDate: day,
            capacity,
            booked,
          });
        const published = [
          mk('c-n1', BEFORE, 'comirnaty', 7, 0),
          mk('c-n1', FIRST, 'comirnaty', 5, 2),
          mk('c-n1', FIRST, 'spikevax', 4, 4),
          mk('c-n2', MIDDLE, 'vaxzevria', 6, 1),
          mk('c-n1', LAST, 'comirnaty', 3, 0),
          mk('c-n2', AFTER, 'spikevax', 9, 0),
        ];
        const refreshAll = async () => {
          for (const { centreId, localDate } of published) await s.refreshAvailability(centreId, localDate);
        };
        beforeAll(async () => {
          await store.runInTransaction(async (tx) => {
            for (const one of published) tx.putSlot(one);
          });
          await refreshAll();
        });

        test('sums the free places of every centre and product on those days only', async () => {
          expect(await store.countFreePlaces(FIRST, LAST)).toBe(3 + 0 + 5 + 3);
          expect(await store.countFreePlaces(MIDDLE, MIDDLE)).toBe(5);
          expect(await store.countFreePlaces(BEFORE, AFTER)).toBe(7 + 3 + 0 + 5 + 3 + 9);
          expect(await store.countFreePlaces('2027-06-01', '2027-06-30')).toBe(0);
        });

        test('counts fewer once a place is booked', async () => {
          await store.runInTransaction(async (tx) => {
            const taken = await tx.getSlot('c-n2_vaxzevria_2027-05-11');
            if (!taken) throw new Error('the slot should be there');
            tx.putSlot({ ...taken, booked: taken.booked + 2 });
          });
          await s.refreshAvailability('c-n2', MIDDLE);
          expect(await store.countFreePlaces(FIRST, LAST)).toBe(3 + 0 + 3 + 3);
        });
      });

      // Scheduling links
      describe('the availability published as scheduling links', () => {
        const [PAST, D1, D2] = ['2027-07-04', '2027-07-05', '2027-07-06'];
        const mk = (day: string, hhmm: string, vaccineId: string, capacity: number, booked: number) =>
          slot({
            id: `c-p_${vaccineId}_${day}${hhmm}`,
            centreId: 'c-p',
            vaccineId,
            start: `${day}T${hhmm}:00.000Z`,
            end: `${day}T${hhmm}:00.000Z`,
            localDate: day,
            capacity,
            booked,
          });
        const read = (from: string) => store.availabilityForPublication('c-p', from);
        beforeAll(async () => {
          await store.runInTransaction(async (tx) => {
            tx.putSlot(mk(PAST, '08:00', 'comirnaty', 2, 0));
            tx.putSlot(mk(D1, '09:00', 'spikevax', 2, 2)); // full
            tx.putSlot(mk(D1, '08:00', 'comirnaty', 3, 1));
            tx.putSlot(mk(D1, '10:00', 'comirnaty', 1, 0));
            tx.putSlot(mk(D2, '08:00', 'comirnaty', 4, 0));
          });
          for (const day of [PAST, D1, D2]) await s.refreshAvailability('c-p', day);
        });

        test("reads a centre's days from a date on, full days too, by date then product, each stamped", async () => {
          const days = await read(D1);
          expect(days.map((d) => [d.localDate, d.vaccineId, d.free, d.firstSlots.map((f) => f.slotId)])).toEqual([
            [D1, 'comirnaty', 3, [`c-p_comirnaty_${D1}08:00`, `c-p_comirnaty_${D1}10:00`]],
            [D1, 'spikevax', 0, []],
            [D2, 'comirnaty', 4, [`c-p_comirnaty_${D2}08:00`]],
          ]);
          for (const day of days) expect(Date.parse(day.changedAt ?? '')).not.toBeNaN();
        });

        test('stamps anew only the days whose places changed, and names their centre as changed since', async () => {
          const before = await read(D1);
          await new Promise((resolve) => setTimeout(resolve, 5));
          const mark = new Date().toISOString();
          expect(await store.centresWithAvailabilityChangedSince(mark)).not.toContain('c-p');
          await store.runInTransaction(async (tx) => {
            const taken = await tx.getSlot(`c-p_comirnaty_${D1}08:00`);
            if (!taken) throw new Error('the slot should be there');
            tx.putSlot({ ...taken, booked: taken.booked + 1 });
          });
          await s.refreshAvailability('c-p', D1);
          await s.refreshAvailability('c-p', D2);
          const after = await read(D1);
          const stampOf = (days: typeof after, date: string, vaccineId: string) =>
            days.find((d) => d.localDate === date && d.vaccineId === vaccineId)?.changedAt ?? '';
          expect(stampOf(after, D1, 'comirnaty') >= mark).toBe(true);
          expect(after.find((d) => d.localDate === D1 && d.vaccineId === 'comirnaty')?.free).toBe(2);
          expect(stampOf(after, D1, 'spikevax')).toBe(stampOf(before, D1, 'spikevax'));
          expect(stampOf(after, D2, 'comirnaty')).toBe(stampOf(before, D2, 'comirnaty'));
          expect(await store.centresWithAvailabilityChangedSince(mark)).toContain('c-p');
        });
      });
    });

    // The administration: centres and the vaccine catalogue.
    describe('the administration: centres and the vaccine catalogue', () => {
      test('seeds the catalogue once from the built-in list, then keeps each product as saved', async () => {
        const seeded = await readCatalogue(store);
        const again = await readCatalogue(store);

        expect(seeded.map((v) => v.id).sort()).toEqual(VACCINES.map((v) => v.id).sort());
        expect(again).toEqual(seeded);
        const changed = { ...(seeded.find((v) => v.id === 'comirnaty') as Vaccine), withdrawn: true, mayFollow: [] };
        await store.runInTransaction(async (tx) => {
          await tx.listVaccines();
          tx.putVaccine(changed);
        });
        const stored = await store.listVaccines();
        expect(stored).toHaveLength(VACCINES.length);
        expect(stored.find((v) => v.id === 'comirnaty')).toEqual(changed);
        expect(stored.map((v) => v.id)).toEqual([...stored.map((v) => v.id)].sort());
      });

      test('lists the booked visits of a product from an instant, soonest first, up to a limit', async () => {
        const visit = (id: string, start: string, overrides: Partial<Appointment> = {}) =>
          appointment({
            id,
            vaccineId: 'contract-vax',
            patientId: `p-${id}`,
            start,
            localDate: start.slice(0, 10),
            ...overrides,
          });
        await store.runInTransaction(async (tx) => {
          tx.putAppointment(visit('cv-3', '2026-03-02T09:00:00.000Z'));
          tx.putAppointment(visit('cv-1', '2026-03-01T09:00:00.000Z'));
          tx.putAppointment(visit('cv-2', '2026-03-01T09:00:00.000Z'));
          tx.putAppointment(visit('cv-past', '2026-01-01T09:00:00.000Z'));
          tx.putAppointment(visit('cv-cancelled', '2026-03-01T10:00:00.000Z', { status: 'cancelled' }));
          tx.putAppointment(visit('cv-done', '2026-03-01T11:00:00.000Z', { status: 'completed' }));
          tx.putAppointment(visit('cv-other', '2026-03-01T12:00:00.000Z', { vaccineId: 'other-vax' }));
        });

        const all = await store.listBookedAppointmentsOfVaccine('contract-vax', '2026-02-01T00:00:00.000Z', 10);
        const two = await store.listBookedAppointmentsOfVaccine('contract-vax', '2026-02-01T00:00:00.000Z', 2);

        expect(all.map((a) => a.id)).toEqual(['cv-1', 'cv-2', 'cv-3']);
        expect(two.map((a) => a.id)).toEqual(['cv-1', 'cv-2']);
        expect(await store.listBookedAppointmentsOfVaccine('contract-vax', '2026-03-02T09:00:00.000Z', 10)).toEqual([
          visit('cv-3', '2026-03-02T09:00:00.000Z'),
        ]);
        expect(await store.listBookedAppointmentsOfVaccine('contract-vax', '2026-02-01T00:00:00.000Z', 0)).toEqual([]);
      });

      test('keeps a centre’s status, closing date, products and contact, and their later changes', async () => {
        const by = { role: 'admin', id: 'admin-1' } as const;
        const centre = aCentre({
          id: 'c-status',
          vaccineIds: ['comirnaty'],
          email: 'punkt@example.pl',
          status: 'closed',
          closedFrom: '2026-02-01',
          statusChange: { to: 'closed', reason: 'lease ended', at: NOW, by },
        });
        await store.runInTransaction(async (tx) => tx.putCentre(centre));
        expect(await store.getCentre('c-status')).toEqual(centre);

        const resumed = {
          ...centre,
          status: 'active' as const,
          statusChange: { to: 'active' as const, reason: null, at: NOW, by },
        };
        await store.runInTransaction(async (tx) => tx.putCentre(resumed));
        expect(await store.getCentre('c-status')).toMatchObject({
          status: 'active',
          statusChange: { to: 'active', reason: null },
        });
      });
    });

    describe('the use cases on this store', () => {
      let deps: Deps;
      let clock: FakeClock;

      const newPatient = async () => {
        const citizen = aCitizen();
        const result = await login(deps, JSON.stringify(citizen));
        return { patientId: result.patient.id, principal: { role: 'patient', patientId: result.patient.id } as const };
      };

      const addCentre = async (centre: Centre, days: number) => {
        await store.runInTransaction(async (tx) => tx.putCentre(centre));
        await publishSlots(deps, centre, '2026-01-12', addDays('2026-01-12', days), SYSTEM, 'test');
      };

      beforeAll(async () => {
        clock = new FakeClock(NOW);
        deps = {
          store,
          clock,
          ids,
          identity: plainIdentity,
          staffAccounts: { provision: async () => {}, revoke: async () => {} },
          vaccines: VACCINES,
          settings: { ...DEFAULT_SETTINGS, slotHorizonDays: 45 },
          pseudonyms: new ActorPseudonyms('contract-pseudonyms'),
        };
        await store.runInTransaction(async (tx) => tx.putEligibilityRule(aBirthYearRule(1970)));
      });

      describe('a course', () => {
        let centre: Centre;
        beforeAll(async () => {
          centre = aCentre({
            schedule: aSchedule({
              days: { tue: [{ from: '08:00', to: '09:00' }], wed: [{ from: '08:00', to: '09:00' }] },
            }),
          });
          await addCentre(centre, 45);
        });

        test('login registers once per PESEL', async () => {
          const citizen = aCitizen();
          const first = await login(deps, JSON.stringify(citizen));
          const again = await login(deps, JSON.stringify(citizen));
          expect(again.patient.id).toBe(first.patient.id);
          expect(first.referral).not.toBeNull();
        });

        test('an assertion logs in once: a replay is ASSERTION_USED, and parallel logins with it make one session', async () => {
          const assertion = (jti: string) =>
            JSON.stringify({ ...aCitizen(), jti, expiresAt: '2026-01-12T07:05:00.000Z' });
          const once = assertion(`login-${crypto.randomUUID()}`);
          await login(deps, once);
          await expect(login(deps, once)).rejects.toMatchObject({ kind: 'unauthenticated', code: 'ASSERTION_USED' });
          const raced = assertion(`login-${crypto.randomUUID()}`);
          const codes = await Promise.all(Array.from({ length: options.parallel }, () => codeOf(login(deps, raced))));
          expect(count(codes)).toEqual({ ok: 1, ASSERTION_USED: options.parallel - 1 });
        });

        test('books both doses, cancels them, reschedules', async () => {
          const { patientId, principal } = await newPatient();
          const [first] = await store.listSlotsOfCentreDay(centre.id, '2026-01-13');
          const booking = await bookAppointment(deps, principal, {
            patientId,
            slotId: (first as Slot).id,
            idempotencyKey: 'course-1',
          });
          expect(booking.appointments.map((a) => [a.dose, a.vaccineId, a.status])).toEqual([
            [1, 'comirnaty', 'booked'],
            [2, 'comirnaty', 'booked'],
          ]);
          const [dose1, dose2] = booking.appointments as unknown as [Appointment, Appointment];
          expect(dose2.start >= addDays('2026-01-13', 21)).toBe(true);
          expect(isBookingReference(dose1.reference)).toBe(true);
          expect(dose2.reference).toBe(dose1.reference);
          expect((await store.listAppointmentsByReference(dose1.reference)).map((a) => a.id)).toEqual([
            dose1.id,
            dose2.id,
          ]);
          expect((await store.getSlot(dose1.slotId))?.booked).toBe(1);
          expect((await store.getSlot(dose2.slotId))?.booked).toBe(1);

          const later = (await store.listSlotsOfCentreDay(centre.id, '2026-01-14')).find(
            (x) => x.vaccineId === 'comirnaty',
          ) as Slot;
          const moved = await rescheduleAppointment(deps, principal, { appointmentId: dose1.id, slotId: later.id });
          expect(moved[0]?.slotId).toBe(later.id);
          expect(moved[0]?.version).toBe(2);
          expect((await store.getSlot(dose1.slotId))?.booked).toBe(0);
          expect((await store.getSlot(later.id))?.booked).toBe(1);

          const cancelled = await cancelAppointment(deps, principal, { appointmentId: dose1.id, reason: 'ill' });
          expect(cancelled.map((a) => [a.dose, a.status])).toEqual([
            [1, 'cancelled'],
            [2, 'cancelled'],
          ]);
          expect((await store.getSlot(later.id))?.booked).toBe(0);
          expect((await store.getSlot(dose2.slotId))?.booked).toBe(0);
          const mine = await store.listAppointmentsOfPatient(patientId);
          expect(mine.map((a) => a.status)).toEqual(['cancelled', 'cancelled']);
        });

        test('a full slot is answered SLOT_FULL with alternatives', async () => {
          const target = (await store.listSlotsOfCentreDay(centre.id, '2026-01-13')).find(
            (x) => x.vaccineId === 'vaxzevria',
          ) as Slot;
          for (let i = 0; i < target.capacity; i++) {
            const { patientId, principal } = await newPatient();
            await bookAppointment(deps, principal, { patientId, slotId: target.id, idempotencyKey: null });
          }
          const { patientId, principal } = await newPatient();
          const error = await bookAppointment(deps, principal, {
            patientId,
            slotId: target.id,
            idempotencyKey: null,
          }).catch((e: unknown) => e as DomainError);
          expect(error).toMatchObject({ code: 'SLOT_FULL' });
          expect(((error as DomainError).details?.alternatives ?? []) as unknown[]).not.toHaveLength(0);
        });
      });

      describe('concurrency storms', () => {
        const places = options.stormCapacity ?? 20;
        let centre: Centre;
        let slots: Slot[];
        beforeAll(async () => {
          centre = aCentre({
            schedule: aSchedule({
              capacity: { comirnaty: places },
              days: { tue: [{ from: '08:00', to: '14:00' }], wed: [{ from: '08:00', to: '09:00' }] },
            }),
          });
          await addCentre(centre, 45);
          slots = await store.listSlotsOfCentreDay(centre.id, '2026-01-13');
        });

        const report = (label: string, before: ReturnType<NonNullable<ContractStore['stats']>> | undefined) => {
          const after = s.stats?.();
          if (!before || !after) return;
          const transactions = after.transactions - before.transactions;
          const attempts = after.attempts - before.attempts;
          process.stdout.write(
            `[${name}] ${label}: ${transactions} transactions, ${attempts} attempts ` +
              `(${(attempts / Math.max(1, transactions)).toFixed(2)} per transaction, most ${after.maxAttempts} ` +
              `so far), ${after.exhausted - before.exhausted} out of attempts\n`,
          );
        };

        test(`${options.stormSize} people racing for one slot of ${places}: exactly ${places} get it, the rest SLOT_FULL`, async () => {
          const target = slots[0] as Slot;
          const people = [];
          for (let i = 0; i < options.stormSize; i += 50) {
            people.push(
              ...(await Promise.all(Array.from({ length: Math.min(50, options.stormSize - i) }, newPatient))),
            );
          }
          const before = s.stats?.();
          const started = Date.now();
          const codes = await Promise.all(
            people.map((p, i) =>
              codeOf(
                bookAppointment(deps, p.principal, {
                  patientId: p.patientId,
                  slotId: target.id,
                  idempotencyKey: `storm-${i}`,
                }),
              ),
            ),
          );
          report(`${options.stormSize} for one slot in ${Date.now() - started} ms`, before);
          expect(count(codes)).toEqual({ ok: places, SLOT_FULL: options.stormSize - places });
          expect((await store.getSlot(target.id))?.booked).toBe(places);
          const holders = await store.runInTransaction((tx) => tx.listActiveAppointmentsOfSlot(target.id));
          expect(holders).toHaveLength(places);
        });

        test(`one person firing ${options.parallel} bookings at once gets exactly one`, async () => {
          const p = await newPatient();
          const before = s.stats?.();
          const codes = await Promise.all(
            Array.from({ length: options.parallel }, (_, i) =>
              codeOf(
                bookAppointment(deps, p.principal, {
                  patientId: p.patientId,
                  slotId: (slots[1 + i] as Slot).id,
                  idempotencyKey: `many-${i}`,
                }),
              ),
            ),
          );
          report(`one person, ${options.parallel} bookings`, before);
          expect(count(codes)).toEqual({ ok: 1, ALREADY_BOOKED: options.parallel - 1 });
          const mine = await store.listAppointmentsOfPatient(p.patientId);
          expect(mine.filter((a) => a.dose === 1 && a.status === 'booked')).toHaveLength(1);
        });

        test(`${options.parallel} retries with one Idempotency-Key book once and answer the same`, async () => {
          const p = await newPatient();
          const target = slots[slots.length - 1] as Slot;
          const before = s.stats?.();
          const answers = await Promise.all(
            Array.from({ length: options.parallel }, () =>
              bookAppointment(deps, p.principal, { patientId: p.patientId, slotId: target.id, idempotencyKey: 'same' }),
            ),
          );
          report(`${options.parallel} retries with one key`, before);
          expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
          expect(await store.listAppointmentsOfPatient(p.patientId)).toHaveLength(2);
          expect((await store.getSlot(target.id))?.booked).toBe(1);
        });

        test('afterwards every slot counter equals its appointments and none is over capacity', async () => {
          const days = ['2026-01-13', '2026-02-03', '2026-02-04'];
          for (const day of days) {
            for (const x of await store.listSlotsOfCentreDay(centre.id, day)) {
              const holders = await store.runInTransaction((tx) => tx.listActiveAppointmentsOfSlot(x.id));
              expect([x.id, holders.length]).toEqual([x.id, x.booked]);
              expect(x.booked).toBeLessThanOrEqual(x.capacity);
            }
          }
        });
      });
    });
  });
}
