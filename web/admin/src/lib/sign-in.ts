import { signInFlow } from '../../../shared/src/sign-in/flow.ts';

export { isSessionEnd, SIGNED_OUT } from '../../../shared/src/sign-in/flow.ts';

/**
 * The administration's sign-in: the ministry's sign-in of the login config (the one the reports'
 * dashboard uses, for analysts and administrators; only administrators get further than who-am-I here),
 * kept under `ereg.admin.*`.
 */
export const adminSignIn = signInFlow({
  base: '/admin',
  storagePrefix: 'ereg.admin',
  configOf: (c) => c.reports,
});

export const { personName, signOut, takeNotice } = adminSignIn;
