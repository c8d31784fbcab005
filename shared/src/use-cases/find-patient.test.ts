import type { Principal } from '../principal.ts';
import { aBirthYearRule, aCitizen, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { findPatientByPesel } from './find-patient.ts';

let system: MemorySystem;

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
});

const agent: Principal = { role: 'agent', agentId: 'agent-7' };

describe('finding a caller by PESEL', () => {
  test('an agent finds a caller by PESEL only with a reason, and the look-up is audited', async () => {
    const { patientId, pesel } = await system.newPatient();

    await expect(findPatientByPesel(system.deps, agent, pesel, undefined)).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
      field: 'reason',
    });
    expect(await system.store.listAudit(patientId)).toEqual([]);

    const found = await findPatientByPesel(system.deps, agent, pesel, 'caller asks about her visit');

    expect(found).toEqual(await system.store.getPatient(patientId));
    expect(await system.store.listAudit(patientId)).toEqual([
      expect.objectContaining({
        action: 'find-by-pesel',
        actor: { role: 'agent', id: 'agent-7' },
        reason: 'caller asks about her visit',
        at: system.clock.now().toISOString(),
      }),
    ]);
  });

  test('a patient cannot look other people up by PESEL', async () => {
    const { principal } = await system.newPatient();
    const { pesel, patientId: other } = await system.newPatient();

    await expect(findPatientByPesel(system.deps, principal, pesel, 'curious')).rejects.toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });
    expect(await system.store.listAudit(other)).toEqual([]);
  });

  test('a PESEL nobody has logged in with is not found, naming the PESEL; the miss is audited with no patient and no PESEL', async () => {
    const { patientId } = await system.newPatient();
    const before = system.store.counts();
    const stranger = aCitizen().pesel;

    await expect(findPatientByPesel(system.deps, agent, stranger, 'caller on the line')).rejects.toMatchObject({
      kind: 'not_found',
      code: 'PATIENT_NOT_FOUND',
      field: 'pesel',
    });
    expect(system.store.counts()).toEqual({ ...before, audit: before.audit + 1 });
    const [miss] = system.store.auditRecords();
    expect(miss).toEqual({
      id: expect.any(String),
      actor: { role: 'agent', id: 'agent-7' },
      patientId: null,
      action: 'find-by-pesel-miss',
      reason: 'caller on the line',
      at: system.clock.now().toISOString(),
    });
    expect(JSON.stringify(miss)).not.toContain(stranger);
    expect(await system.store.listAudit(patientId)).toEqual([]);
  });

  test('a look-up gives the agent leave to act on the person for the configured minutes, renewed by the next look-up', async () => {
    system = createMemorySystem({ settings: { agentAccessMinutes: 10 } });
    await system.addRule(aBirthYearRule(1970));
    const { patientId, pesel } = await system.newPatient();

    await findPatientByPesel(system.deps, agent, pesel, 'caller asks about her visit');
    const first = await system.store.runInTransaction((tx) => tx.getAccessGrant('agent-7', patientId));
    system.clock.advanceMinutes(5);
    await findPatientByPesel(system.deps, agent, pesel, 'caller rang again');
    const renewed = await system.store.runInTransaction((tx) => tx.getAccessGrant('agent-7', patientId));

    expect(first).toEqual({ agentId: 'agent-7', patientId, until: '2026-01-12T07:10:00.000Z' });
    expect(renewed?.until).toBe('2026-01-12T07:15:00.000Z');
    expect(await system.store.runInTransaction((tx) => tx.getAccessGrant('agent-8', patientId))).toBeNull();
  });
});
