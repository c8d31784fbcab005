import { invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import type { Announcement, Instant, Language } from '../model.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { audit, type Deps } from './deps.ts';

/** What an administrator writes: the notice in the three languages of the apps, and when it shows. */
export interface AnnouncementInput {
  text: Record<Language, string>;
  from: Instant;
  until: Instant;
}

/** The longest a text may be: it is read out by the hotline and must fit a phone's screen. */
export const MAX_ANNOUNCEMENT_CHARS = 280;
/** The longest an announcement may show. */
export const MAX_ANNOUNCEMENT_DAYS = 366;
/** An `until` this far in the past, in a change, still means "end it now" (the clock of the sender may lag). */
const END_NOW_GRACE_MS = 5 * 60_000;
/** The announcements listed at once; far more than will ever be current. */
const LISTED = 500;
const LANGUAGES: readonly Language[] = ['pl', 'en', 'uk'];
const DAY_MS = 86_400_000;

function instantOf(value: string, field: 'from' | 'until'): number {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) {
    throw invalid('INVALID_INSTANT', `${field} must be an ISO 8601 instant, e.g. 2026-03-01T08:00:00Z.`, field);
  }
  return ms;
}

/** The texts trimmed, each 1..280 characters. */
function checkedTexts(text: AnnouncementInput['text']): Announcement['text'] {
  const checked = { pl: '', en: '', uk: '' };
  for (const language of LANGUAGES) {
    const value = (text[language] ?? '').trim();
    if (value.length < 1 || value.length > MAX_ANNOUNCEMENT_CHARS) {
      throw invalid(
        'INVALID_TEXT',
        `text.${language} must be 1 to ${MAX_ANNOUNCEMENT_CHARS} characters long.`,
        `text.${language}`,
      );
    }
    checked[language] = value;
  }
  return checked;
}

/**
 * The window checked: `from` before `until`, `until` after now, and at most a year apart. In a change,
 * an `until` at now or just before it ends the announcement now (one not yet begun then never shows).
 */
function checkedWindow(input: AnnouncementInput, now: number, change: boolean): { from: Instant; until: Instant } {
  const from = instantOf(input.from, 'from');
  const until = instantOf(input.until, 'until');
  if (change && until <= now && until >= now - END_NOW_GRACE_MS) {
    const end = new Date(now).toISOString();
    return { from: from < now ? new Date(from).toISOString() : end, until: end };
  }
  if (until <= now) throw invalid('UNTIL_PASSED', 'until must lie in the future.', 'until');
  if (from >= until) throw invalid('FROM_AFTER_UNTIL', 'from must come before until.', 'from');
  if (until - from > MAX_ANNOUNCEMENT_DAYS * DAY_MS) {
    throw invalid('TOO_LONG', `An announcement shows for at most ${MAX_ANNOUNCEMENT_DAYS} days.`, 'until');
  }
  return { from: new Date(from).toISOString(), until: new Date(until).toISOString() };
}

/** Every announcement, past, current and planned, latest-ending first. */
export async function listAnnouncements(deps: Deps, principal: Principal): Promise<Announcement[]> {
  requireRole(principal, 'admin');
  return deps.store.listAnnouncements({ limit: LISTED });
}

/** Writes a new announcement, shown to everyone between `from` and `until`. */
export async function addAnnouncement(
  deps: Deps,
  principal: Principal,
  input: AnnouncementInput,
): Promise<Announcement> {
  requireRole(principal, 'admin');
  const now = deps.clock.now();
  const text = checkedTexts(input.text);
  const window = checkedWindow(input, now.getTime(), false);
  const actor = actorOf(principal);
  const at = now.toISOString();
  const announcement: Announcement = {
    id: deps.ids.next('ann'),
    text,
    ...window,
    createdBy: actor.id,
    createdAt: at,
    updatedAt: at,
  };
  await deps.store.runInTransaction(async (tx) => {
    tx.putAnnouncement(announcement);
    audit(deps, tx, actor, null, 'announcement-published', `${announcement.id}: ${window.from} – ${window.until}`);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'announcement.published', now, actor, announcement.id, {
        announcementId: announcement.id,
        ...window,
      }),
    );
  });
  return announcement;
}

/** Changes an announcement's texts or window; an `until` of now ends it early. */
export async function changeAnnouncement(
  deps: Deps,
  principal: Principal,
  announcementId: string,
  input: AnnouncementInput,
): Promise<Announcement> {
  requireRole(principal, 'admin');
  const now = deps.clock.now();
  const text = checkedTexts(input.text);
  const window = checkedWindow(input, now.getTime(), true);
  const actor = actorOf(principal);
  return deps.store.runInTransaction(async (tx) => {
    const current = await tx.getAnnouncement(announcementId);
    if (!current) throw notFound('ANNOUNCEMENT_NOT_FOUND', 'There is no such announcement.', 'announcementId');
    const changed: Announcement = { ...current, text, ...window, updatedAt: now.toISOString() };
    tx.putAnnouncement(changed);
    audit(deps, tx, actor, null, 'announcement-changed', `${changed.id}: ${window.from} – ${window.until}`);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'announcement.changed', now, actor, changed.id, {
        announcementId: changed.id,
        ...window,
      }),
    );
    return changed;
  });
}

/** The announcements showing now (their window holds the present instant), soonest-ending first. Public. */
export async function currentAnnouncements(deps: Deps): Promise<Announcement[]> {
  const now = deps.clock.now().toISOString();
  const ending = await deps.store.listAnnouncements({ endingAfter: now, limit: LISTED });
  return ending.filter((a) => a.from <= now).reverse();
}
