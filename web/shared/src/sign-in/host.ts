import { createContext, type ReactNode, useContext } from 'react';
import type { ApiClient } from '../api-client.ts';
import type { MessageParams } from '../i18n.ts';
import type { Session } from '../session.ts';
import type { StaffSignInCode } from './firebase.ts';
import type { SignInFlow } from './flow.ts';

/** The words of the sign-in pages: each staff app's catalogues spell every one, in its own voice. */
export type SignInMessageKey =
  | 'loading'
  | 'retry'
  | 'notFound.back'
  | 'signIn.title'
  | 'signIn.intro'
  | 'signIn.button'
  | 'signIn.redirecting'
  | 'signIn.signedOut'
  | 'signIn.again'
  | 'signIn.busy'
  | 'signIn.notStaff'
  | 'signIn.loadFailed'
  | 'signIn.email'
  | 'signIn.password'
  | 'signIn.emailRequired'
  | 'signIn.passwordRequired'
  | 'signIn.linkTitle'
  | 'signIn.linkIntro'
  | 'signIn.sendLink'
  | 'signIn.sendingLink'
  | 'signIn.linkSent'
  | 'signIn.linkFinishIntro'
  | 'signIn.linkFinish'
  | 'signIn.secondFactor.title'
  | 'signIn.secondFactor.intro'
  | 'signIn.secondFactor.sendSms'
  | 'signIn.secondFactor.smsSent'
  | 'signIn.secondFactor.totp'
  | 'signIn.secondFactor.code'
  | 'signIn.secondFactor.codeRequired'
  | 'signIn.secondFactor.confirm'
  | 'signIn.secondFactor.cancel'
  | `signIn.error.${StaffSignInCode}`;

/** What the sign-in pages use of the app showing them: its sign-in, its words, its services. */
export interface SignInHost {
  flow: SignInFlow;
  t: (key: SignInMessageKey, params?: MessageParams) => string;
  language: string;
  api: ApiClient;
  session: Session;
  /** The tab's storage: the page to return to, the person's name, why they must sign in again. */
  tabStorage: Storage;
  /** The device's storage: the e-mail a sign-in link went to. */
  localStorage: Storage;
  origin: string;
  /** The network, for the Identity Toolkit's calls. */
  fetch: typeof fetch;
  leave: (url: string) => void;
  /** The app's own wording of a refused request. */
  renderError: (error: unknown) => ReactNode;
}

export const SignInHostContext = createContext<SignInHost | null>(null);

export function useSignInHost(): SignInHost {
  const host = useContext(SignInHostContext);
  if (!host) throw new Error('useSignInHost needs a SignInHostContext.');
  return host;
}

/** The host of an app's sign-in pages, from its services, its sign-in, its words and its error message. */
export const signInHostOf = (
  services: Pick<SignInHost, 'api' | 'session' | 'tabStorage' | 'localStorage' | 'origin' | 'fetch' | 'leave'>,
  flow: SignInFlow,
  words: Pick<SignInHost, 't' | 'language'>,
  renderError: SignInHost['renderError'],
): SignInHost => ({
  api: services.api,
  session: services.session,
  tabStorage: services.tabStorage,
  localStorage: services.localStorage,
  origin: services.origin,
  fetch: services.fetch,
  leave: services.leave,
  flow,
  t: words.t,
  language: words.language,
  renderError,
});
