import { signInFlow } from '../../../shared/src/sign-in/flow.ts';

export { isSessionEnd, SIGNED_OUT } from '../../../shared/src/sign-in/flow.ts';

/** The dashboard's sign-in: the login config's reports sign-in, kept under `ereg.reports.*`. */
export const reportsSignIn = signInFlow({
  base: '/reports',
  storagePrefix: 'ereg.reports',
  configOf: (c) => c.reports,
});

export const { personName, signOut, takeNotice } = reportsSignIn;
