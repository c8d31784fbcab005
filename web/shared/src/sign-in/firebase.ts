import type { StaffSignInConfig } from '@ereg/shared';

/**
 * Centre staff, hotline agents and supervisors signing in to their Firebase Authentication account
 * through Google's Identity Toolkit REST API (no Firebase SDK: the apps stay small): with e-mail and
 * password, or with a link sent by e-mail; then, where the project requires it, with a second factor.
 * The Auth emulator serves the same API under its own address.
 */
export type FirebaseStaffConfig = Extract<StaffSignInConfig, { kind: 'firebase' }>;

/** What a finished sign-in gives: the ID token is the session, the refresh token renews it. */
export interface SignedIn {
  idToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  email: string;
  displayName: string;
}

/** A second factor the account has enrolled, as the sign-in may ask for it. */
export interface SecondFactor {
  enrollmentId: string;
  /** `phone`: a code sent by SMS; `totp`: a code from an authenticator app. */
  kind: 'phone' | 'totp' | 'other';
  /** The name given to it, or the phone number's visible end. */
  label: string;
}

/** The password or link was right, but the account needs a second factor to finish. */
export interface SecondFactorNeeded {
  pendingCredential: string;
  factors: SecondFactor[];
}

export type SignInAnswer =
  | { kind: 'signed-in'; signedIn: SignedIn }
  | { kind: 'second-factor'; need: SecondFactorNeeded };

/** Why a sign-in was refused, in the words the app has for it. */
export type StaffSignInCode =
  | 'WRONG_PASSWORD'
  | 'WRONG_EMAIL_OR_PASSWORD'
  | 'UNKNOWN_EMAIL'
  | 'INVALID_EMAIL'
  | 'TOO_MANY_ATTEMPTS'
  | 'ACCOUNT_DISABLED'
  | 'LINK_INVALID'
  | 'WRONG_CODE'
  | 'FACTOR_UNSUPPORTED'
  | 'NETWORK'
  | 'FAILED';

/** Firebase's error messages (the part before ` : `), by what they mean to the person signing in. */
const CODES: Readonly<Record<string, StaffSignInCode>> = {
  INVALID_PASSWORD: 'WRONG_PASSWORD',
  MISSING_PASSWORD: 'WRONG_PASSWORD',
  // With e-mail enumeration protection on, Firebase does not say which of the two was wrong.
  INVALID_LOGIN_CREDENTIALS: 'WRONG_EMAIL_OR_PASSWORD',
  EMAIL_NOT_FOUND: 'UNKNOWN_EMAIL',
  INVALID_EMAIL: 'INVALID_EMAIL',
  MISSING_EMAIL: 'INVALID_EMAIL',
  TOO_MANY_ATTEMPTS_TRY_LATER: 'TOO_MANY_ATTEMPTS',
  USER_DISABLED: 'ACCOUNT_DISABLED',
  INVALID_OOB_CODE: 'LINK_INVALID',
  EXPIRED_OOB_CODE: 'LINK_INVALID',
  INVALID_CODE: 'WRONG_CODE',
  INVALID_VERIFICATION_CODE: 'WRONG_CODE',
  INVALID_MFA_PENDING_CREDENTIAL: 'LINK_INVALID',
  MISSING_CODE: 'WRONG_CODE',
  SESSION_EXPIRED: 'WRONG_CODE',
};

/** A refused sign-in: `code` for the person, `reason` as Firebase gave it (for the log). */
export class StaffSignInError extends Error {
  readonly code: StaffSignInCode;
  readonly reason: string;

  constructor(code: StaffSignInCode, reason: string) {
    super(`Signing in failed: ${reason}`);
    this.name = 'StaffSignInError';
    this.code = code;
    this.reason = reason;
  }
}

/** The code for a Firebase error message such as `TOO_MANY_ATTEMPTS_TRY_LATER : Access disabled…`. */
export function signInCodeOf(message: string): StaffSignInCode {
  const key = message.split(' ')[0]?.trim() ?? '';
  return CODES[key] ?? 'FAILED';
}

/**
 * The one-time code of an e-mail sign-in link: in the address the person landed on (`?mode=signIn&oobCode=…`),
 * or in a link nested in it (`?link=…`, as Google's action pages and the emulator's pass it on); else null.
 */
export function emailLinkCode(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address, 'http://localhost');
  } catch {
    return null;
  }
  const code = url.searchParams.get('oobCode');
  if (code && url.searchParams.get('mode') === 'signIn') return code;
  const nested = url.searchParams.get('link') ?? url.searchParams.get('deep_link_id');
  return nested && nested !== address ? emailLinkCode(nested) : null;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** The `name` claim of an ID token (the account's display name), which not every answer repeats; else ''. */
function nameIn(idToken: string): string {
  try {
    const payload = idToken.split('.')[1] ?? '';
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0));
    const name = (JSON.parse(new TextDecoder().decode(bytes)) as { name?: unknown }).name;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

interface TokenAnswer {
  idToken?: string;
  refreshToken?: string;
  expiresIn?: string;
  email?: string;
  displayName?: string;
  mfaPendingCredential?: string;
  mfaInfo?: Array<{
    mfaEnrollmentId: string;
    displayName?: string;
    phoneInfo?: string;
    totpInfo?: object;
  }>;
}

const factorOf = (info: NonNullable<TokenAnswer['mfaInfo']>[number]): SecondFactor => ({
  enrollmentId: info.mfaEnrollmentId,
  kind: info.phoneInfo !== undefined ? 'phone' : info.totpInfo !== undefined ? 'totp' : 'other',
  label: info.displayName || info.phoneInfo || '',
});

/** The Identity Toolkit calls of one project (its web API key), at Google or at the Auth emulator. */
export function firebaseSignIn(config: FirebaseStaffConfig, fetchFn?: Fetch) {
  const doFetch: Fetch = fetchFn ?? ((input, init) => globalThis.fetch(input, init));
  const host = config.authEmulatorUrl
    ? `${config.authEmulatorUrl.replace(/\/+$/, '')}/identitytoolkit.googleapis.com`
    : 'https://identitytoolkit.googleapis.com';

  async function post<T>(method: string, body: object): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${host}/${method}?key=${encodeURIComponent(config.apiKey)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (cause) {
      throw new StaffSignInError('NETWORK', `the sign-in service could not be reached (${String(cause)})`);
    }
    const answer = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
    if (!response.ok) {
      const reason = answer.error?.message ?? `HTTP ${response.status}`;
      throw new StaffSignInError(signInCodeOf(reason), reason);
    }
    return answer;
  }

  const signedIn = (answer: TokenAnswer, email: string): SignInAnswer => {
    if (answer.mfaPendingCredential) {
      return {
        kind: 'second-factor',
        need: { pendingCredential: answer.mfaPendingCredential, factors: (answer.mfaInfo ?? []).map(factorOf) },
      };
    }
    return { kind: 'signed-in', signedIn: tokensOf(answer, email) };
  };

  const tokensOf = (answer: TokenAnswer, email: string): SignedIn => {
    if (!answer.idToken || !answer.refreshToken) {
      throw new StaffSignInError('FAILED', 'the sign-in service gave no token');
    }
    return {
      idToken: answer.idToken,
      refreshToken: answer.refreshToken,
      // The MFA finalize answer has no lifetime: ID tokens live an hour.
      expiresInSeconds: Number(answer.expiresIn ?? 3600) || 3600,
      email: answer.email ?? email,
      displayName: answer.displayName || nameIn(answer.idToken),
    };
  };

  return {
    /** E-mail and password. */
    async withPassword(email: string, password: string): Promise<SignInAnswer> {
      const answer = await post<TokenAnswer>('v1/accounts:signInWithPassword', {
        email,
        password,
        returnSecureToken: true,
      });
      return signedIn(answer, email);
    },

    /** Sends a sign-in link to the e-mail; opening it lands on `continueUrl` with its one-time code. */
    async sendLink(email: string, continueUrl: string): Promise<void> {
      await post('v1/accounts:sendOobCode', {
        requestType: 'EMAIL_SIGNIN',
        email,
        continueUrl,
        canHandleCodeInApp: true,
      });
    },

    /** Finishes the e-mail link sign-in: the same e-mail as the link was sent to, and its one-time code. */
    async withEmailLink(email: string, oobCode: string): Promise<SignInAnswer> {
      const answer = await post<TokenAnswer>('v1/accounts:signInWithEmailLink', { email, oobCode });
      return signedIn(answer, email);
    },

    /** For a phone factor: sends its SMS code; answers the session the code belongs to. */
    async sendFactorCode(need: SecondFactorNeeded, factor: SecondFactor): Promise<string> {
      if (factor.kind !== 'phone')
        throw new StaffSignInError('FACTOR_UNSUPPORTED', `no code to send to a ${factor.kind} factor`);
      const answer = await post<{ phoneResponseInfo?: { sessionInfo?: string } }>('v2/accounts/mfaSignIn:start', {
        mfaPendingCredential: need.pendingCredential,
        mfaEnrollmentId: factor.enrollmentId,
        phoneSignInInfo: {},
      });
      const session = answer.phoneResponseInfo?.sessionInfo;
      if (!session) throw new StaffSignInError('FAILED', 'the sign-in service started no SMS code');
      return session;
    },

    /** Finishes with the second factor's code: the SMS code (with its session) or the authenticator's. */
    async withSecondFactor(
      need: SecondFactorNeeded,
      factor: SecondFactor,
      code: string,
      phoneSession: string | null,
      email: string,
    ): Promise<SignedIn> {
      const proof =
        factor.kind === 'phone'
          ? { phoneVerificationInfo: { sessionInfo: phoneSession ?? '', code } }
          : factor.kind === 'totp'
            ? { mfaEnrollmentId: factor.enrollmentId, totpVerificationInfo: { verificationCode: code } }
            : null;
      if (!proof) throw new StaffSignInError('FACTOR_UNSUPPORTED', 'this kind of second factor cannot be used here');
      const answer = await post<TokenAnswer>('v2/accounts/mfaSignIn:finalize', {
        mfaPendingCredential: need.pendingCredential,
        ...proof,
      });
      return tokensOf(answer, email);
    },
  };
}

export type FirebaseSignIn = ReturnType<typeof firebaseSignIn>;
