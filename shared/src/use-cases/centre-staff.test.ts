import type { Centre, StaffMember } from '../model.ts';
import type { StaffAccounts } from '../ports.ts';
import type { CentrePrincipal, Principal } from '../principal.ts';
import { aSchedule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { onboardCentre } from './administration.ts';
import { addStaffMember, changeStaffRole, listCentreStaff, removeStaffMember } from './centre-staff.ts';
import type { Deps } from './deps.ts';

/** The accounts as the use cases drive them: every call in order, the store's accounts behind them. */
class RecordingAccounts implements StaffAccounts {
  readonly calls: Array<['provision', StaffMember] | ['revoke', string]> = [];
  /** Makes the next provision fail, as an unreachable identity provider would. */
  failNextProvision = false;
  private readonly inner: StaffAccounts;

  constructor(inner: StaffAccounts) {
    this.inner = inner;
  }

  async provision(member: StaffMember): Promise<void> {
    if (this.failNextProvision) {
      this.failNextProvision = false;
      throw new Error('identity provider unreachable');
    }
    this.calls.push(['provision', { ...member }]);
    await this.inner.provision(member);
  }

  async revoke(staffId: string): Promise<void> {
    this.calls.push(['revoke', staffId]);
    await this.inner.revoke(staffId);
  }
}

let system: MemorySystem;
let accounts: RecordingAccounts;
let deps: Deps;
let centre: Centre;
let manager: CentrePrincipal;
let nurse: CentrePrincipal;

const session = (principal: Principal) => JSON.stringify(principal);

beforeEach(async () => {
  system = createMemorySystem();
  accounts = new RecordingAccounts(system.deps.staffAccounts);
  deps = { ...system.deps, staffAccounts: accounts };
  centre = await system.addCentre({ id: 'ctr-1' });
  manager = await system.addStaff(centre, 'mgr-1', 'centre-manager');
  nurse = await system.addStaff(centre, 'nurse-1');
});

describe('listing a centre’s staff', () => {
  test('staff see every member’s name and role, without e-mails, by name', async () => {
    const { staff } = await listCentreStaff(deps, nurse, centre.id);
    expect(staff).toEqual([
      { id: 'mgr-1', name: 'Staff mgr-1', role: 'centre-manager' },
      { id: 'nurse-1', name: 'Staff nurse-1', role: 'staff' },
    ]);
  });

  test('the manager sees the e-mails too', async () => {
    const { staff } = await listCentreStaff(deps, manager, centre.id);
    expect(staff.map((m) => m.email)).toEqual(['mgr-1@example.test', 'nurse-1@example.test']);
  });

  test('another centre’s staff are refused', async () => {
    const other = await system.addCentre({ id: 'ctr-2' });
    const stranger = await system.addStaff(other, 'nurse-2');
    await expect(listCentreStaff(deps, stranger, centre.id)).rejects.toMatchObject({ code: 'CENTRE_FORBIDDEN' });
  });
});

describe('adding a member', () => {
  test('makes their account with the role and centre, then their record and a staff.added event without name or e-mail', async () => {
    const added = await addStaffMember(deps, manager, centre.id, {
      name: '  Ewa Kowal ',
      email: 'Ewa.Kowal@Example.TEST',
      role: 'staff',
    });

    expect(added).toEqual({
      id: expect.any(String),
      name: 'Ewa Kowal',
      email: 'ewa.kowal@example.test',
      centreId: centre.id,
      role: 'staff',
    });
    expect(accounts.calls).toEqual([['provision', added]]);
    expect(await system.store.getStaff(added.id)).toEqual(added);
    const events = system.store.eventsOfType('staff.added');
    expect(events).toEqual([
      expect.objectContaining({
        subjectId: added.id,
        actor: { role: 'staff', id: 'mgr-1' },
        data: { centreId: centre.id, staffId: added.id, role: 'staff' },
      }),
    ]);
    expect(JSON.stringify(events)).not.toMatch(/ewa/i);
  });

  test('a new member’s session holds at once', async () => {
    const added = await addStaffMember(deps, manager, centre.id, {
      name: 'Ewa Kowal',
      email: 'ewa@example.test',
      role: 'centre-manager',
    });
    const principal = { role: 'centre-manager', staffId: added.id, centreId: centre.id } as const;
    await expect(deps.identity.verifySession(session(principal))).resolves.toEqual(principal);
  });

  test('an e-mail someone already signs in with, at any centre, is refused 409 EMAIL_TAKEN and makes no account', async () => {
    const other = await system.addCentre({ id: 'ctr-2' });
    await system.addStaff(other, 'nurse-2');
    await expect(
      addStaffMember(deps, manager, centre.id, { name: 'Ewa Kowal', email: 'NURSE-2@example.test', role: 'staff' }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'EMAIL_TAKEN' });
    expect(accounts.calls).toEqual([]);
    expect(system.store.eventsOfType('staff.added')).toEqual([]);
  });

  test.each([
    ['name', { name: 'E', email: 'ewa@example.test', role: 'staff' }, 'INVALID_NAME'],
    ['email', { name: 'Ewa Kowal', email: 'ewa at example.test', role: 'staff' }, 'INVALID_EMAIL'],
    ['email', { name: 'Ewa Kowal', email: 'ewa@localhost', role: 'staff' }, 'INVALID_EMAIL'],
    ['role', { name: 'Ewa Kowal', email: 'ewa@example.test', role: 'admin' }, 'INVALID_ROLE'],
  ] as const)('a bad %s is refused 400 naming it (%j)', async (field, input, code) => {
    await expect(
      addStaffMember(deps, manager, centre.id, input as Parameters<typeof addStaffMember>[3]),
    ).rejects.toMatchObject({ kind: 'invalid', code, field });
    expect(accounts.calls).toEqual([]);
  });

  test('staff cannot add members', async () => {
    await expect(
      addStaffMember(deps, nurse, centre.id, { name: 'Ewa Kowal', email: 'ewa@example.test', role: 'staff' }),
    ).rejects.toMatchObject({ kind: 'forbidden', code: 'MANAGER_ONLY' });
    expect(accounts.calls).toEqual([]);
  });

  test('when the account cannot be made, nothing is written', async () => {
    accounts.failNextProvision = true;
    await expect(
      addStaffMember(deps, manager, centre.id, { name: 'Ewa Kowal', email: 'ewa@example.test', role: 'staff' }),
    ).rejects.toThrow('identity provider unreachable');
    expect((await system.store.listStaffOfCentre(centre.id)).map((m) => m.id)).toEqual(['mgr-1', 'nurse-1']);
    expect(system.store.eventsOfType('staff.added')).toEqual([]);
  });

  test('of two managers adding the same e-mail at once, one adds it and the other is refused; the loser’s account is closed', async () => {
    const other = await system.addCentre({ id: 'ctr-2' });
    const otherManager = await system.addStaff(other, 'mgr-2', 'centre-manager');
    const input = { name: 'Ewa Kowal', email: 'ewa@example.test', role: 'staff' } as const;
    const results = await Promise.allSettled([
      addStaffMember(deps, manager, centre.id, input),
      addStaffMember(deps, otherManager, other.id, input),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'EMAIL_TAKEN' });
    expect(system.store.eventsOfType('staff.added')).toHaveLength(1);
    const provisioned = accounts.calls.filter(([call]) => call === 'provision').map(([, m]) => (m as StaffMember).id);
    const kept = (await system.store.runInTransaction((tx) => tx.getStaffByEmail('ewa@example.test')))?.id;
    expect(accounts.calls.filter(([call]) => call === 'revoke')).toEqual([
      ['revoke', provisioned.find((id) => id !== kept)],
    ]);
  });
});

describe('removing a member', () => {
  test('deletes the record, then revokes the account; their session is refused at once', async () => {
    await expect(deps.identity.verifySession(session(nurse))).resolves.toEqual(nurse);

    await expect(removeStaffMember(deps, manager, centre.id, 'nurse-1')).resolves.toEqual({
      removed: { id: 'nurse-1' },
    });

    expect(await system.store.getStaff('nurse-1')).toBeNull();
    expect(accounts.calls).toEqual([['revoke', 'nurse-1']]);
    expect(system.store.eventsOfType('staff.removed')).toEqual([
      expect.objectContaining({ data: { centreId: centre.id, staffId: 'nurse-1', role: 'staff' } }),
    ]);
    // No waiting out the 30 s the member's record is remembered: this process forgot it.
    await expect(deps.identity.verifySession(session(nurse))).rejects.toMatchObject({ code: 'SUBJECT_UNKNOWN' });
  });

  test('a manager cannot remove themselves', async () => {
    await system.addStaff(centre, 'mgr-2', 'centre-manager');
    await expect(removeStaffMember(deps, manager, centre.id, 'mgr-1')).rejects.toMatchObject({
      kind: 'conflict',
      code: 'CANNOT_REMOVE_SELF',
    });
    expect(await system.store.getStaff('mgr-1')).not.toBeNull();
  });

  test('another manager can be removed while one stays', async () => {
    await system.addStaff(centre, 'mgr-2', 'centre-manager');
    await removeStaffMember(deps, manager, centre.id, 'mgr-2');
    expect((await system.store.listStaffOfCentre(centre.id)).map((m) => m.id)).toEqual(['mgr-1', 'nurse-1']);
  });

  test('the last manager cannot be removed (a session older than the record’s last change tries)', async () => {
    // mgr-1 was made staff by mgr-2, who still holds a session from before; mgr-2 is now the only manager.
    const second = await system.addStaff(centre, 'mgr-2', 'centre-manager');
    await system.addStaff(centre, 'mgr-1', 'staff');
    await expect(removeStaffMember(deps, manager, centre.id, 'mgr-2')).rejects.toMatchObject({
      code: 'LAST_MANAGER',
    });
    expect(await system.store.getStaff(second.staffId)).not.toBeNull();
    expect(accounts.calls).toEqual([]);
  });

  test('a member of another centre is not found, and their account is left alone', async () => {
    const other = await system.addCentre({ id: 'ctr-2' });
    await system.addStaff(other, 'nurse-2');
    await expect(removeStaffMember(deps, manager, centre.id, 'nurse-2')).rejects.toMatchObject({
      kind: 'not_found',
      code: 'STAFF_NOT_FOUND',
      field: 'staffId',
    });
    expect(await system.store.getStaff('nurse-2')).not.toBeNull();
    expect(accounts.calls).toEqual([]);
  });

  test('staff cannot remove anyone', async () => {
    await expect(removeStaffMember(deps, nurse, centre.id, 'mgr-1')).rejects.toMatchObject({ code: 'MANAGER_ONLY' });
  });
});

describe('changing a member’s role', () => {
  test('stores the role, ends their sessions and sets the new claims; the old session is refused at once', async () => {
    await expect(deps.identity.verifySession(session(nurse))).resolves.toEqual(nurse);

    const changed = await changeStaffRole(deps, manager, centre.id, 'nurse-1', 'centre-manager');

    expect(changed.role).toBe('centre-manager');
    expect((await system.store.getStaff('nurse-1'))?.role).toBe('centre-manager');
    expect(accounts.calls).toEqual([
      ['revoke', 'nurse-1'],
      ['provision', changed],
    ]);
    expect(system.store.eventsOfType('staff.role_changed')).toEqual([
      expect.objectContaining({
        data: { centreId: centre.id, staffId: 'nurse-1', from: 'staff', to: 'centre-manager' },
      }),
    ]);
    await expect(deps.identity.verifySession(session(nurse))).rejects.toMatchObject({ code: 'ROLE_CHANGED' });
    const promoted = { ...nurse, role: 'centre-manager' } as const;
    await expect(deps.identity.verifySession(session(promoted))).resolves.toEqual(promoted);
  });

  test('the last manager cannot be made staff', async () => {
    await expect(changeStaffRole(deps, manager, centre.id, 'mgr-1', 'staff')).rejects.toMatchObject({
      kind: 'conflict',
      code: 'LAST_MANAGER',
    });
    expect((await system.store.getStaff('mgr-1'))?.role).toBe('centre-manager');
  });

  test('a manager may step down when another manager stays', async () => {
    await system.addStaff(centre, 'mgr-2', 'centre-manager');
    await expect(changeStaffRole(deps, manager, centre.id, 'mgr-1', 'staff')).resolves.toMatchObject({
      role: 'staff',
    });
  });

  test('asked again with the role they have, it writes no event and sets the account again', async () => {
    await changeStaffRole(deps, manager, centre.id, 'nurse-1', 'staff');
    expect(system.store.eventsOfType('staff.role_changed')).toEqual([]);
    expect(accounts.calls.map(([call]) => call)).toEqual(['revoke', 'provision']);
  });
});

describe('onboarding a centre', () => {
  const newCentre = (emails: string[]) => ({
    name: 'Punkt Szczepień Wola',
    address: { street: 'Wolska 1', postalCode: '01-201', city: 'Warszawa', voivodeship: 'mazowieckie' },
    location: { lat: 52.23, lon: 20.98 },
    timeZone: 'Europe/Warsaw',
    phone: null,
    schedule: aSchedule(),
    staff: emails.map((email, i) => ({
      name: `Member ${i}`,
      email,
      role: i === 0 ? ('centre-manager' as const) : ('staff' as const),
    })),
  });
  const admin: Principal = { role: 'admin', adminId: 'admin-1' };

  test('makes an account for each first member before the records', async () => {
    const { staff } = await onboardCentre(deps, admin, newCentre(['boss@example.test', 'desk@example.test']));
    expect(accounts.calls).toEqual(staff.map((member) => ['provision', member]));
  });

  test('refuses an e-mail someone already signs in with, naming the member, and makes no account', async () => {
    await expect(
      onboardCentre(deps, admin, newCentre(['boss@example.test', 'nurse-1@example.test'])),
    ).rejects.toMatchObject({ code: 'EMAIL_TAKEN', details: { field: 'staff.1.email' } });
    expect(accounts.calls).toEqual([]);
  });
});
