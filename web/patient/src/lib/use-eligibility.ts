import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useSession } from '../app-context.ts';
import type { EligibilityState } from '../components/eligibility-banner.tsx';

/** The logged-in patient's eligibility today (asked of the API, so it follows the policy in force). */
export function useEligibility(): EligibilityState {
  const { api } = useApp();
  const session = useSession();
  const me = useLoad(session ? `me:${session.patientId}` : null, () => api.me());
  if (!session) return { status: 'anonymous' };
  if (me.status === 'ready') {
    return me.data.eligibility ? { status: 'ready', eligibility: me.data.eligibility } : { status: 'anonymous' };
  }
  if (me.status === 'failed') return { status: 'failed', error: me.error };
  return { status: 'loading' };
}
