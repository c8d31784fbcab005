import { signInFlow } from '../../../shared/src/sign-in/flow.ts';

export { isSessionEnd, SIGNED_OUT, signInFrom } from '../../../shared/src/sign-in/flow.ts';

/** The centres' app's sign-in: the login config's staff sign-in, kept under `ereg.centre.*`. */
export const centreSignIn = signInFlow({ base: '/centre', storagePrefix: 'ereg.centre', configOf: (c) => c.staff });

/** Where the app lives on the site; every path of its pages starts with it. */
export const BASE = centreSignIn.base;
export const CALLBACK_PATH = centreSignIn.callbackPath;
export const { ownPath, personName, signOut, sessionEnded, takeNotice } = centreSignIn;
