import { createStaffServices, type StaffServices } from '../../shared/src/staff-services.ts';
import { adminSignIn } from './lib/sign-in.ts';

/** What the administration uses of the outside world; tests build it with a stubbed fetch and clock. */
export type Services = StaffServices;

/** The administration's services: its session kept in the tab under `ereg.admin.session`. */
export const createServices = (win: Window, options: { fetch?: typeof fetch; now?: () => Date } = {}): Services =>
  createStaffServices(win, { sessionKey: 'ereg.admin.session', signIn: adminSignIn }, options);
