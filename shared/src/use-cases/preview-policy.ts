import { type PolicyPreview, type PreviewData, type PreviewDraft, previewPolicy } from '../policy-preview.ts';
import { type Principal, requireRole } from '../principal.ts';
import type { Deps } from './deps.ts';

/**
 * What opening the drafted rules on top of the rules in force would do, from the warehouse's
 * aggregates (as fresh as the reports); an administrator's question, which changes nothing.
 */
export async function previewEligibilityChange(
  deps: Deps,
  data: PreviewData,
  principal: Principal,
  drafts: readonly PreviewDraft[],
): Promise<PolicyPreview> {
  requireRole(principal, 'admin');
  const [aggregates, rules] = await Promise.all([data.aggregates(), deps.store.listEligibilityRules()]);
  return previewPolicy({ aggregates, rules, drafts, vaccines: deps.vaccines, timeZone: deps.settings.timeZone });
}
