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

  test('a landline is kept apart from the texted mobile; a mobile given as a landline is refused naming it', async () => {
    const { patientId, pesel } = await system.newPatient();
    const agent: Principal = { role: 'agent', agentId: 'agent-7' };
    await findPatientByPesel(system.deps, agent, pesel, 'caller on the line');
    const before = system.store.counts();

    await expect(
      updateContact(system.deps, agent, { patientId, landline: '601 234 567', reason: 'new number' }),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'NOT_A_LANDLINE', field: 'landline' });
    expect(system.store.counts()).toEqual(before);

    const answered = await updateContact(system.deps, agent, {
      patientId,
      landline: '22 628 00 00',
      reason: 'new number',
    });

    // The agent is answered it masked, as on the caller's card.
    expect(answered.landline).toBe('+48 *** *** 000');
    expect(answered.landline).not.toContain('2262');
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
