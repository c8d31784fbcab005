import { isRuleOpen } from '../eligibility.ts';
import { invalid, notFound } from '../errors.ts';
import { type DomainEvent, type EventData, type EventType, makeEvent } from '../events.ts';
import type { EligibilityRule, PolicyChange, PolicyChangeStatus, PolicyVersion } from '../model.ts';
import {
  applyChange,
  approve,
  EARLIEST_OPENING,
  isIsoInstant,
  openingsPassed,
  type PolicyAt,
  type PolicyProposal,
  pauseRuleIn,
  policyAt,
  reject,
  rulesFromDrafts,
  withdraw,
} from '../policy.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { localToday } from '../time-zone.ts';
import { audit, type Deps } from './deps.ts';

/** The most changes one listing answers. */
const LISTED_CHANGES = 200;

const adminIdOf = (principal: Principal): string => {
  requireRole(principal, 'admin');
  return actorOf(principal).id;
};

/** What the audit says of a change: its note, or what it does when the proposer left none. */
const summary = (change: PolicyChange): string =>
  change.note ||
  (change.action === 'open'
    ? `open ${(change.rules ?? []).map((r) => r.id).join(', ')}`
    : `${change.action} ${change.ruleId ?? ''}`);

/**
 * The next version after the latest; when none was written yet the rules in force count as version 0,
 * recorded with the first version so that the history starts from them.
 */
function nextVersions(
  latest: PolicyVersion | null,
  before: EligibilityRule[],
  after: EligibilityRule[],
  made: { at: string; changeId: string | null; by: string },
): PolicyVersion[] {
  const next: PolicyVersion = { version: (latest?.version ?? 0) + 1, rules: after, ...made };
  if (latest) return [next];
  return [{ version: 0, at: EARLIEST_OPENING, rules: before, changeId: null, by: 'system' }, next];
}

async function readChange(tx: Transaction, changeId: string): Promise<PolicyChange> {
  const change = await tx.getPolicyChange(changeId);
  if (!change) throw notFound('CHANGE_NOT_FOUND', 'There is no such policy change.', 'changeId');
  return change;
}

/**
 * Proposes a change of the eligibility policy: new rules opening at an instant, a paused rule resumed,
 * or a rule cancelled. Nothing changes until a second administrator approves it.
 */
export async function proposePolicyChange(
  deps: Deps,
  principal: Principal,
  proposal: PolicyProposal,
): Promise<{ change: PolicyChange }> {
  const adminId = adminIdOf(principal);
  const now = deps.clock.now();
  const change: PolicyChange = {
    id: deps.ids.next('pch'),
    action: proposal.action,
    ...(proposal.action === 'open'
      ? { rules: rulesFromDrafts(proposal.rules, { now, timeZone: deps.settings.timeZone }) }
      : { ruleId: proposal.ruleId }),
    note: proposal.note?.trim() ?? '',
    status: 'pending',
    proposedBy: adminId,
    proposedAt: now.toISOString(),
  };
  await deps.store.runInTransaction(async (tx) => {
    // Refused now if it could not take effect now (a rule already in force, one not paused or gone).
    applyChange(await tx.listEligibilityRules(), change);
    tx.putPolicyChange(change);
    audit(deps, tx, actorOf(principal), null, 'policy-propose', summary(change));
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'policy.change_proposed', now, actorOf(principal), change.id, {
        changeId: change.id,
        action: change.action,
        ruleIds: change.rules ? change.rules.map((r) => r.id) : [change.ruleId ?? ''],
      }),
    );
  });
  return { change };
}

/**
 * A second administrator approves a pending change: it takes effect at once as a new policy version.
 * Rules whose opening has passed by then open at once (`openedAtOnce` names them).
 */
export async function approvePolicyChange(
  deps: Deps,
  principal: Principal,
  changeId: string,
  note?: string,
): Promise<{ change: PolicyChange; version: number; openedAtOnce: string[] }> {
  const adminId = adminIdOf(principal);
  const actor = actorOf(principal);
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.runInTransaction(async (tx) => {
    const pending = await readChange(tx, changeId);
    const rules = await tx.listEligibilityRules();
    const latest = await tx.getLatestPolicyVersion();
    const version = (latest?.version ?? 0) + 1;
    const change = approve(pending, adminId, at, version, note);
    const after = applyChange(rules, change);
    const today = localToday(now, deps.settings.timeZone);

    const kept = new Set(after.map((r) => r.id));
    for (const rule of rules) if (!kept.has(rule.id)) tx.deleteEligibilityRule(rule.id);
    for (const rule of after) tx.putEligibilityRule(rule);
    for (const v of nextVersions(latest, rules, after, { at, changeId, by: adminId })) tx.putPolicyVersion(v);
    tx.putPolicyChange(change);
    audit(deps, tx, actor, null, 'policy-approve', note?.trim() || summary(change));
    const event = <T extends EventType>(type: T, subject: string, data: EventData<T>) =>
      tx.addEvent(makeEvent(deps.ids.next('evt'), type, now, actor, subject, data) as DomainEvent);
    event('policy.change_approved', change.id, {
      changeId: change.id,
      action: change.action,
      version,
      ruleIds: after.map((r) => r.id),
    });
    switch (change.action) {
      case 'open':
        for (const rule of change.rules ?? []) event('eligibility.rule_added', rule.id, { ...rule });
        break;
      case 'resume':
        event('eligibility.rule_resumed', change.ruleId ?? '', { ruleId: change.ruleId ?? '', version, changeId });
        break;
      case 'cancel': {
        const rule = rules.find((r) => r.id === change.ruleId);
        event('eligibility.rule_cancelled', change.ruleId ?? '', {
          ruleId: change.ruleId ?? '',
          version,
          changeId,
          opened: rule !== undefined && isRuleOpen({ ...rule, pausedAt: undefined }, today, at),
        });
        break;
      }
    }
    return { change, version, openedAtOnce: openingsPassed(change, at) };
  });
}

/** Any administrator rejects a pending change, with a note saying why; nothing of it takes effect. */
export async function rejectPolicyChange(
  deps: Deps,
  principal: Principal,
  changeId: string,
  note: string,
): Promise<{ change: PolicyChange }> {
  const adminId = adminIdOf(principal);
  const now = deps.clock.now();
  return deps.store.runInTransaction(async (tx) => {
    const change = reject(await readChange(tx, changeId), adminId, now.toISOString(), note);
    tx.putPolicyChange(change);
    audit(deps, tx, actorOf(principal), null, 'policy-reject', note);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'policy.change_rejected', now, actorOf(principal), change.id, {
        changeId: change.id,
        action: change.action,
      }),
    );
    return { change };
  });
}

/** The proposer withdraws their pending change. */
export async function withdrawPolicyChange(
  deps: Deps,
  principal: Principal,
  changeId: string,
  note?: string,
): Promise<{ change: PolicyChange }> {
  const adminId = adminIdOf(principal);
  const now = deps.clock.now();
  return deps.store.runInTransaction(async (tx) => {
    const change = withdraw(await readChange(tx, changeId), adminId, now.toISOString(), note);
    tx.putPolicyChange(change);
    audit(deps, tx, actorOf(principal), null, 'policy-withdraw', note?.trim() || summary(change));
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'policy.change_withdrawn', now, actorOf(principal), change.id, {
        changeId: change.id,
        action: change.action,
      }),
    );
    return { change };
  });
}

/**
 * Pauses a rule at once, by one administrator: narrowing who may book cannot wait for a second one
 * (a wrong opening must stop now). Resuming it is a change that does wait for approval.
 */
export async function pauseRule(
  deps: Deps,
  principal: Principal,
  ruleId: string,
  reason: string,
): Promise<{ rule: EligibilityRule; version: number }> {
  const adminId = adminIdOf(principal);
  const actor = actorOf(principal);
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.runInTransaction(async (tx) => {
    const rules = await tx.listEligibilityRules();
    const latest = await tx.getLatestPolicyVersion();
    const after = pauseRuleIn(rules, ruleId, at);
    const rule = after.find((r) => r.id === ruleId) as EligibilityRule;
    const versions = nextVersions(latest, rules, after, { at, changeId: null, by: adminId });
    const version = (versions.at(-1) as PolicyVersion).version;
    tx.putEligibilityRule(rule);
    for (const v of versions) tx.putPolicyVersion(v);
    audit(deps, tx, actor, null, 'policy-pause', `${ruleId}: ${reason}`);
    tx.addEvent(makeEvent(deps.ids.next('evt'), 'eligibility.rule_paused', now, actor, ruleId, { ruleId, version }));
    return { rule, version };
  });
}

/** Policy changes, of one status when asked, newest first. */
export async function listPolicyChanges(
  deps: Deps,
  principal: Principal,
  status?: PolicyChangeStatus,
): Promise<{ changes: PolicyChange[] }> {
  adminIdOf(principal);
  return { changes: await deps.store.listPolicyChanges({ status, limit: LISTED_CHANGES }) };
}

/**
 * The policy in force at an instant (now when not given), from the version history: before any
 * version was written, the rules in force are version 0.
 */
export async function eligibilityPolicyAt(deps: Deps, principal: Principal, at?: string): Promise<PolicyAt> {
  adminIdOf(principal);
  if (at !== undefined && !isIsoInstant(at)) {
    throw invalid('INVALID_INSTANT', 'at must be an ISO instant, e.g. 2026-01-15T19:00:00Z.', 'at');
  }
  const instant = at === undefined ? deps.clock.now().toISOString() : new Date(at).toISOString();
  let versions = await deps.store.listPolicyVersions();
  if (versions.length === 0) {
    const rules = await deps.store.listEligibilityRules();
    versions = [{ version: 0, at: EARLIEST_OPENING, rules, changeId: null, by: 'system' }];
  }
  return policyAt(versions, instant, deps.settings.timeZone);
}
