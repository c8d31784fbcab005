import { createStaffServices, type StaffServices } from '../../shared/src/staff-services.ts';
import { centreSignIn } from './lib/sign-in.ts';

/** What the centres' app uses of the outside world; tests build it with a stubbed fetch and clock. */
export type Services = StaffServices;

/** The centres' app's services: its session kept in the tab under `ereg.centre.session`. */
export const createServices = (win: Window, options: { fetch?: typeof fetch; now?: () => Date } = {}): Services =>
  createStaffServices(win, { sessionKey: 'ereg.centre.session', signIn: centreSignIn }, options);
