import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { findPatientByPesel } from './find-patient.ts';
import { updateContact } from './patient-contact.ts';

let system: MemorySystem;

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
});

describe('a patient’s contact for text messages', () => {
  test('a mobile number in any usual spelling is kept in E.164 with the language, and an event says so', async () => {
    const { patientId, principal } = await system.newPatient();

    const updated = await updateContact(system.deps, principal, {
      patientId,
      phone: '601 234 567',
      language: 'uk',
    });

    expect(updated).toMatchObject({ phone: '+48601234567', language: 'uk' });
    expect(await system.store.getPatient(patientId)).toEqual(updated);
    expect(system.store.eventsOfType('patient.contact_changed')).toEqual([
      expect.objectContaining({ subjectId: patientId, data: { patientId, hasPhone: true, language: 'uk' } }),
    ]);
    expect(await system.store.listAudit(patientId)).toEqual([]);
  });

  test('a landline is refused naming the phone, and nothing is written', async () => {
    const { patientId, principal } = await system.newPatient();
    const before = system.store.counts();

    await expect(updateContact(system.deps, principal, { patientId, phone: '+48 22 123 45 67' })).rejects.toMatchObject(
      { kind: 'invalid', field: 'phone' },
    );

    expect(system.store.counts()).toEqual(before);
  });

  test('no number means no text messages', async () => {
    const { patientId, principal } = await system.newPatient();

    const updated = await updateContact(system.deps, principal, { patientId, phone: null });

    expect(updated.phone).toBeNull();
    expect(system.store.eventsOfType('patient.contact_changed')[0]?.data.hasPhone).toBe(false);
  });

  test('an agent changes it for a caller with a reason, audited', async () => {
    const { patientId, pesel } = await system.newPatient();
    const agent: Principal = { role: 'agent', agentId: 'agent-7' };
    await findPatientByPesel(system.deps, agent, pesel, 'caller on the line');

    const answered = await updateContact(system.deps, agent, {
      patientId,
      phone: '601 234 567',
      language: 'en',
      reason: 'caller prefers English',
    });

    // The agent is answered what they typed, the PESEL masked as on the caller's card.
    expect(answered).toMatchObject({ phone: '+48601234567', language: 'en', pesel: `*******${pesel.slice(-4)}` });
    expect(JSON.stringify(answered)).not.toContain(pesel);
    expect((await system.store.getPatient(patientId))?.pesel).toBe(pesel);
    expect((await system.store.getPatient(patientId))?.language).toBe('en');
    expect((await system.store.listAudit(patientId)).map((a) => [a.action, a.reason])).toEqual([
      ['find-by-pesel', 'caller on the line'],
      ['contact', 'caller prefers English'],
    ]);
  });

  test('an agent gives a caller’s landline instead of the mobile: noted, masked to the agent, and no more texts', async () => {
    const { patientId, pesel } = await system.newPatient();
    const agent: Principal = { role: 'agent', agentId: 'agent-7' };
    await findPatientByPesel(system.deps, agent, pesel, 'caller on the line');

    const answered = await updateContact(system.deps, agent, {
      patientId,
      landline: '(22) 628 00 00',
      reason: 'no mobile any more',
    });

    expect(answered).toMatchObject({ phone: null, landline: '+48 *** *** 000' });
    expect(JSON.stringify(answered)).not.toContain('2262');
    expect(await system.store.getPatient(patientId)).toMatchObject({ phone: null, landline: '+48226280000' });
    expect(system.store.eventsOfType('patient.contact_changed').at(-1)?.data.hasPhone).toBe(false);
    expect((await system.store.listAudit(patientId)).map((a) => a.action)).toEqual(['find-by-pesel', 'contact']);

    // A new mobile replaces the landline: one number to reach the person at.
    await updateContact(system.deps, agent, { patientId, phone: '601 234 567', reason: 'has a mobile again' });
    expect(await system.store.getPatient(patientId)).toMatchObject({ phone: '+48601234567', landline: null });
  });

  test('a mobile given as the landline, or both numbers at once, are refused naming the landline, and nothing is written', async () => {
    const { patientId, pesel } = await system.newPatient();
    const agent: Principal = { role: 'agent', agentId: 'agent-7' };
    await findPatientByPesel(system.deps, agent, pesel, 'caller on the line');
    const before = await system.store.getPatient(patientId);

    await expect(
      updateContact(system.deps, agent, { patientId, landline: '+48 601 234 567', reason: 'landline' }),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'NOT_A_LANDLINE', field: 'landline' });
    await expect(
      updateContact(system.deps, agent, { patientId, landline: 'none', reason: 'landline' }),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'INVALID_PHONE', field: 'landline' });
    await expect(
      updateContact(system.deps, agent, {
        patientId,
        phone: '601 234 567',
        landline: '22 628 00 00',
        reason: 'both',
      }),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'MOBILE_OR_LANDLINE', field: 'landline' });

    expect(await system.store.getPatient(patientId)).toEqual(before);
  });

  test('a patient cannot change someone else’s contact', async () => {
    const { principal } = await system.newPatient();
    const { patientId: other } = await system.newPatient();
    const before = await system.store.getPatient(other);

    await expect(updateContact(system.deps, principal, { patientId: other, phone: null })).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'NOT_YOUR_DATA',
    });

    expect(await system.store.getPatient(other)).toEqual(before);
  });
});
