import { unauthenticated } from './errors.ts';
import type { StaffMember } from './model.ts';
import type { Clock, Identity, Session, StaffAccounts, Store, VerifiedAssertion } from './ports.ts';
import { isCentrePrincipal, type Principal } from './principal.ts';

/** How long a staff member's existence, centre and role, once read, are trusted without reading again. */
export const LIVE_SUBJECT_CACHE_MS = 30_000;
/** How many staff members the check remembers at most; the oldest is forgotten first. */
export const LIVE_SUBJECT_CACHE_LIMIT = 10_000;

/**
 * An identity whose sessions name subjects the system still knows: after the wrapped identity has
 * verified a session's signature, a staff member's session holds only while the store has that member
 * at the centre the token names (read at most once per `ttlMs` per member, from a bounded cache).
 * Patients' sessions cost no extra read. Assertions and issued sessions pass through unchanged.
 */
export class LiveSubjectIdentity implements Identity {
  private readonly inner: Identity;
  private readonly store: Pick<Store, 'getStaff'>;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly limit: number;
  private readonly staff = new Map<string, { member: Pick<StaffMember, 'centreId' | 'role'> | null; until: number }>();

  constructor(
    inner: Identity,
    store: Pick<Store, 'getStaff'>,
    clock: Clock,
    options: { ttlMs?: number; limit?: number } = {},
  ) {
    this.inner = inner;
    this.store = store;
    this.clock = clock;
    this.ttlMs = options.ttlMs ?? LIVE_SUBJECT_CACHE_MS;
    this.limit = options.limit ?? LIVE_SUBJECT_CACHE_LIMIT;
  }

  verifyAssertion(assertion: string): Promise<VerifiedAssertion> {
    return this.inner.verifyAssertion(assertion);
  }

  issueSession(principal: Principal): Promise<Session> {
    return this.inner.issueSession(principal);
  }

  async verifySession(token: string): Promise<Principal> {
    const principal = await this.inner.verifySession(token);
    if (!isCentrePrincipal(principal)) return principal;
    const member = await this.staffMember(principal.staffId);
    if (member === null) {
      throw unauthenticated('SUBJECT_UNKNOWN', 'This session’s staff member is not known here; log in again.');
    }
    if (member.centreId !== principal.centreId) {
      throw unauthenticated(
        'SUBJECT_UNKNOWN',
        'This session’s staff member no longer works at its centre; log in again.',
      );
    }
    // A manager made staff (or the other way) keeps no session of the former role.
    if (member.role !== principal.role) {
      throw unauthenticated('ROLE_CHANGED', 'Your role at the centre has changed; log in again.');
    }
    return principal;
  }

  /**
   * Forgets what was read of a member, so that their next request reads the store again: a removal or
   * a change of role takes effect at once in this process (other processes see it within `ttlMs`).
   */
  forget(staffId: string): void {
    this.staff.delete(staffId);
  }

  private async staffMember(staffId: string): Promise<Pick<StaffMember, 'centreId' | 'role'> | null> {
    const now = this.clock.now().getTime();
    const cached = this.staff.get(staffId);
    if (cached && cached.until > now) return cached.member;
    this.staff.delete(staffId);
    const found = await this.store.getStaff(staffId);
    const member = found ? { centreId: found.centreId, role: found.role } : null;
    if (this.staff.size >= this.limit) {
      const oldest = this.staff.keys().next();
      if (!oldest.done) this.staff.delete(oldest.value);
    }
    this.staff.set(staffId, { member, until: now + this.ttlMs });
    return member;
  }
}

/**
 * Staff accounts whose revocation also takes effect at once in this process: what this process
 * remembered of the member is forgotten, so every session of theirs is checked against the store
 * again (other processes see it within `LIVE_SUBJECT_CACHE_MS`). Around the identity provider's
 * accounts in the cloud; alone where the store's staff record is the account (the embedded default and
 * the test systems: the development identity provider signs in the members the store lists, so there
 * is nothing to create).
 */
export class LiveStaffAccounts implements StaffAccounts {
  private readonly live: LiveSubjectIdentity;
  private readonly accounts: StaffAccounts | null;

  constructor(live: LiveSubjectIdentity, accounts: StaffAccounts | null = null) {
    this.live = live;
    this.accounts = accounts;
  }

  async provision(member: StaffMember): Promise<void> {
    await this.accounts?.provision(member);
  }

  async revoke(staffId: string): Promise<void> {
    this.live.forget(staffId);
    await this.accounts?.revoke(staffId);
  }
}
