import { unauthenticated } from './errors.ts';
import type { Instant } from './model.ts';
import type { Clock, Identity, Session, Store, VerifiedAssertion } from './ports.ts';
import { actorOf, type HotlinePrincipal, isHotlinePrincipal, type Principal } from './principal.ts';
import type { Settings } from './use-cases/deps.ts';

/**
 * How long a use of a sign-in is remembered in this process before it is written to the store again:
 * a busy agent costs one write a minute, not one per request.
 */
export const HOTLINE_SESSION_WRITE_MS = 60_000;
/** How many sign-ins one process remembers at most; the oldest is forgotten first. */
export const HOTLINE_SESSION_CACHE_LIMIT = 10_000;

interface Seen {
  lastSeen: number;
  written: number;
}

/**
 * An identity whose hotline sessions end on the server: after the wrapped identity has verified a
 * token, an agent's or supervisor's session is refused once its sign-in is older than
 * `hotlineSessionHours` (SESSION_TOO_LONG) or was not used for `hotlineIdleMinutes` (SESSION_IDLE), and
 * a token that names no sign-in is refused (SESSION_UNKNOWN). The last use is kept in the store, so
 * every process ends a session alike; this process writes it at most once a minute per sign-in, so a
 * session used only in another process may end up to that minute early, never late. Other roles pass.
 */
export class HotlineSessionIdentity implements Identity {
  private readonly inner: Identity;
  private readonly store: Pick<Store, 'runInTransaction'>;
  private readonly clock: Clock;
  private readonly settings: Pick<Settings, 'hotlineIdleMinutes' | 'hotlineSessionHours'>;
  private readonly seen = new Map<string, Seen>();

  constructor(
    inner: Identity,
    store: Pick<Store, 'runInTransaction'>,
    clock: Clock,
    settings: Pick<Settings, 'hotlineIdleMinutes' | 'hotlineSessionHours'>,
  ) {
    this.inner = inner;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
  }

  verifyAssertion(assertion: string): Promise<VerifiedAssertion> {
    return this.inner.verifyAssertion(assertion);
  }

  issueSession(principal: Principal): Promise<Session> {
    return this.inner.issueSession(principal);
  }

  async verifySession(token: string): Promise<Principal> {
    const principal = await this.inner.verifySession(token);
    if (!isHotlinePrincipal(principal)) return principal;
    const signIn = principal.session;
    if (!signIn) {
      throw unauthenticated('SESSION_UNKNOWN', 'This token names no hotline sign-in; sign in again.');
    }
    const now = this.clock.now().getTime();
    const longest = this.settings.hotlineSessionHours * 3_600_000;
    const started = Date.parse(signIn.startedAt);
    if (Number.isNaN(started) || now - started >= longest) {
      this.seen.delete(signIn.id);
      throw unauthenticated(
        'SESSION_TOO_LONG',
        `A hotline session lasts at most ${this.settings.hotlineSessionHours} hours; sign in again.`,
      );
    }
    await this.touch(principal, signIn.id, started, now, started + longest);
    return principal;
  }

  /** Counts a use of the sign-in, refusing it when it has been idle too long. */
  private async touch(principal: HotlinePrincipal, id: string, started: number, now: number, ends: number) {
    const idle = this.settings.hotlineIdleMinutes * 60_000;
    const mine = this.seen.get(id);
    if (mine && now - mine.lastSeen < idle && now - mine.written < HOTLINE_SESSION_WRITE_MS) {
      mine.lastSeen = now;
      return;
    }
    const iso = (ms: number): Instant => new Date(ms).toISOString();
    await this.store.runInTransaction(async (tx) => {
      const stored = await tx.getHotlineSession(id);
      const last = Math.max(started, mine?.lastSeen ?? 0, stored ? Date.parse(stored.lastSeenAt) : 0);
      if (now - last >= idle) {
        throw unauthenticated(
          'SESSION_IDLE',
          `The session was idle for more than ${this.settings.hotlineIdleMinutes} minutes; sign in again.`,
        );
      }
      tx.putHotlineSession({
        id,
        actor: actorOf(principal),
        startedAt: iso(started),
        lastSeenAt: iso(now),
        expiresAt: iso(ends),
      });
    });
    this.remember(id, { lastSeen: now, written: now });
  }

  private remember(id: string, seen: Seen): void {
    this.seen.delete(id);
    if (this.seen.size >= HOTLINE_SESSION_CACHE_LIMIT) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    this.seen.set(id, seen);
  }
}
