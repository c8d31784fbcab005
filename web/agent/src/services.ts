import { createStaffServices, type StaffServices } from '../../shared/src/staff-services.ts';
import { agentSignIn } from './lib/sign-in.ts';

/** What the hotline console uses of the outside world; tests build it with a stubbed fetch and clock. */
export type Services = StaffServices;

/** The console's services: its session kept in the tab under `ereg.agent.session`. */
export const createServices = (win: Window, options: { fetch?: typeof fetch; now?: () => Date } = {}): Services =>
  createStaffServices(win, { sessionKey: 'ereg.agent.session', signIn: agentSignIn }, options);
