/**
 * Makes the data set's age groups open again a few seconds from now, through the administration's
 * API as two administrators would: every rule in force that opens to people by age is paused, and the
 * same rules are proposed to open at the instant and approved by the other administrator. From the
 * proposal on, the server has a waiting room in front of that opening (its doors open 30 minutes
 * ahead), so the people of the opening replay wait in it, are shuffled at the instant and let in at
 * the rate the server measures it serves. It writes to the data set it runs on, as every scenario does.
 */

interface RuleOnServer {
  id: string;
  kind: 'birthYear' | 'ageOnDate' | 'group';
  bornInOrBefore?: number;
  minAge?: number;
  onDate?: string;
  from: string;
  opensAt?: string;
  pausedAt?: string;
  region?: string;
}

export interface OpenedGroup {
  opensAt: string;
  /** The rules paused, and the new ones that open at `opensAt`. */
  paused: string[];
  opened: string[];
}

async function call(url: string, method: string, path: string, token: string | null, body?: unknown) {
  const reply = await fetch(`${url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await reply.text();
  if (!reply.ok) throw new Error(`${method} ${path} answered ${reply.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

async function adminToken(url: string, id: string): Promise<string> {
  const answer = await call(url, 'POST', '/dev-idp/token', null, { role: 'admin', id });
  if (typeof answer.token !== 'string') throw new Error('The development sign-in gave no administrator token.');
  return answer.token;
}

/** The age rules that let people book at `now` (not paused, already open). */
export function ageRulesInForce(rules: readonly RuleOnServer[], now: Date): RuleOnServer[] {
  const at = now.toISOString();
  const today = at.slice(0, 10);
  return rules.filter(
    (r) =>
      r.kind !== 'group' && r.pausedAt === undefined && (r.opensAt !== undefined ? r.opensAt <= at : r.from <= today),
  );
}

/** The first whole minute at least `leadSeconds` (and 5 s for the approval) from `now`: openings fall on whole minutes. */
export function openingMinute(now: Date, leadSeconds: number): Date {
  const earliest = now.getTime() + (leadSeconds + 5) * 1000;
  return new Date(Math.ceil(earliest / 60_000) * 60_000);
}

/**
 * Opens the data set's age groups again at the next whole minute at least `leadSeconds` away, behind
 * the waiting room, and answers once it is `leadSeconds` before the opening, for the arrivals to start.
 */
export async function openAgeGroupsAgain(
  url: string,
  leadSeconds: number,
  log: (line: string) => void,
): Promise<OpenedGroup> {
  const admin1 = await adminToken(url, 'admin-1');
  const admin2 = await adminToken(url, 'admin-2');
  const listed = (await call(url, 'GET', '/api/admin/eligibility-rules', admin1)).rules as RuleOnServer[];
  const rules = ageRulesInForce(listed, new Date());
  if (rules.length === 0) throw new Error('The data set has no age rule in force to open again.');
  const opening = openingMinute(new Date(), leadSeconds);
  const opensAt = opening.toISOString().replace(/\.\d+Z$/, 'Z');
  const drafts = rules.map((r) => ({
    ...(r.kind === 'birthYear'
      ? { kind: 'birthYear', bornInOrBefore: r.bornInOrBefore }
      : { kind: 'ageOnDate', minAge: r.minAge, onDate: r.onDate }),
    opensAt,
    ...(r.region ? { region: r.region } : {}),
    description: 'the opening replayed by the benchmark',
  }));
  const proposed = (await call(url, 'POST', '/api/admin/policy-changes', admin1, { action: 'open', rules: drafts }))
    .change as { id: string; rules?: Array<{ id: string }> };
  for (const rule of rules) {
    await call(url, 'POST', `/api/admin/eligibility-rules/${encodeURIComponent(rule.id)}/pause`, admin1, {
      reason: 'The benchmark replays this opening.',
    });
  }
  await call(url, 'POST', `/api/admin/policy-changes/${encodeURIComponent(proposed.id)}/approve`, admin2, {});
  const wait = opening.getTime() - leadSeconds * 1000 - Date.now();
  if (wait > 0) {
    log(
      `  the age groups open again at ${opensAt}; the arrivals start ${leadSeconds} s before it, in ${Math.round(wait / 1000)} s …`,
    );
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return { opensAt, paused: rules.map((r) => r.id), opened: (proposed.rules ?? []).map((r) => r.id) };
}
