import { conflict, type StaffAccounts, type StaffMember } from '@ereg/shared';
import type { Auth } from 'firebase-admin/auth';

const codeOf = (error: unknown) => (error as { code?: unknown }).code;

/**
 * Centre staff's sign-in accounts on Firebase Authentication (firebase-admin). The account's uid is
 * the staff id and its custom claims `{ role, centreId }` are what `FirebaseIdentity` maps an ID
 * token to; the member signs in with their e-mail (a sign-in link or a password, and a second factor
 * where the project enables it), which this service never sees.
 *
 * - `provision` updates the account of that uid, or creates it (e-mail, display name, enabled), then
 *   sets the claims. Run again it ends in the same state; it enables an account `revoke` disabled, so a
 *   role change revokes first and provisions after. An e-mail that another account already has is
 *   refused 409 `EMAIL_TAKEN`.
 * - `revoke` revokes the refresh tokens (ID tokens signed in before are refused by
 *   `verifyIdToken(token, true)`) and disables the account (no new sign-in, no token refresh); an
 *   absent account is not an error.
 */
export class FirebaseStaffAccounts implements StaffAccounts {
  private readonly auth: Auth;

  constructor(auth: Auth) {
    this.auth = auth;
  }

  async provision(member: StaffMember): Promise<void> {
    const profile = { email: member.email, displayName: member.name, disabled: false };
    try {
      await this.updateOrCreate(member.id, profile);
    } catch (error) {
      if (codeOf(error) === 'auth/email-already-exists') {
        throw conflict('EMAIL_TAKEN', 'Someone already signs in with this e-mail.', { field: 'email' });
      }
      throw error;
    }
    await this.auth.setCustomUserClaims(member.id, { role: member.role, centreId: member.centreId });
  }

  private async updateOrCreate(
    uid: string,
    profile: { email: string; displayName: string; disabled: boolean },
  ): Promise<void> {
    try {
      await this.auth.updateUser(uid, profile);
      return;
    } catch (error) {
      if (codeOf(error) !== 'auth/user-not-found') throw error;
    }
    try {
      await this.auth.createUser({ uid, ...profile });
    } catch (error) {
      // Created in between by a request that raced this one: update it as above.
      if (codeOf(error) !== 'auth/uid-already-exists') throw error;
      await this.auth.updateUser(uid, profile);
    }
  }

  async revoke(staffId: string): Promise<void> {
    try {
      await this.auth.revokeRefreshTokens(staffId);
      await this.auth.updateUser(staffId, { disabled: true });
    } catch (error) {
      if (codeOf(error) !== 'auth/user-not-found') throw error;
    }
  }
}
