import type { EligibilityRule, Instant } from './model.ts';

/**
 * The waiting room in front of search and booking when an age group opens. A room belongs to one
 * eligibility rule with an opening time; people who arrive before the opening are shuffled once at
 * the opening, after that strictly first come, first served; positions are admitted at the rate the
 * system shows it serves. Everything here is pure: the clock, the random source and the signer are
 * handed in.
 */

/** When a rule's room lets people in, opens and closes. */
export interface RoomPlan {
  /** The rule's id: one room per planned opening. */
  id: string;
  opensAt: Instant;
  /** Doors open this long before the opening (`queueDoorsMinutes`): arrivals from then are early. */
  opensDoorsAt: Instant;
  /** The room stops gating `queueHours` after the opening (earlier once nobody waits: `closedAt`). */
  closesAt: Instant;
}

/** What the admission controller carries from one tick to the next. */
export interface AdmissionState {
  /** Positions admitted per second; null until the first tick after the opening. */
  ratePerSecond: number | null;
  /** The fraction of a position owed from earlier ticks. */
  carry: number;
  lastTickAt: Instant | null;
}

/** A room as stored. */
export interface QueueRoom extends RoomPlan {
  /** Every position up to this one has been admitted. */
  admittedThrough: number;
  /** Whether the early arrivals were shuffled (once, at the opening). */
  shuffled: boolean;
  /** How many arrived before the opening: they hold positions 1..earlyCount. */
  earlyCount: number;
  control: AdmissionState;
  /** Set when the room stopped gating before `closesAt` because nobody waited any more. */
  closedAt: Instant | null;
  /**
   * Free places of the next four weeks, all centres and products, as the tick last counted them
   * (absent in rooms stored before it counted).
   */
  freePlaces?: number | null;
  /** When the tick last counted `freePlaces`. */
  freePlacesAt?: Instant | null;
}

export type QueueTicketStatus = 'waiting' | 'admitted' | 'expired' | 'booked';

/** A person's place in a room: one per room and patient. */
export interface QueueTicket {
  roomId: string;
  patientId: string;
  arrivedAt: Instant;
  /** Random key of an arrival before the opening: the shuffle orders early arrivals by it. Null for later ones. */
  drawKey: string | null;
  /** Arrival number among those who came after the opening (1, 2, …); null for early arrivals. */
  sequence: number | null;
  /** Place in line; null until the shuffle for early arrivals. */
  position: number | null;
  admittedAt: Instant | null;
  /** Until when an admitted person may book. */
  expiresAt: Instant | null;
  smsWhenTurn: boolean;
  status: QueueTicketStatus;
}

/** What a person (or the agent on the phone with them) is shown. */
export interface QueueView {
  roomId: string;
  opensAt: Instant;
  status: 'before-opening' | QueueTicketStatus;
  position: number | null;
  ahead: number | null;
  estimatedWaitSeconds: number | null;
  admittedUntil: Instant | null;
  freePlaces: number | null;
  smsWhenTurn: boolean;
  /**
   * When to ask again, in seconds, while waiting with an estimate: a quarter of the wait, from 5 s to a
   * minute, so that people far back ask seldom and a crowd of waiting pages does not load the system.
   */
  checkAgainSeconds: number | null;
  /**
   * The signed ticket, accepted by the gate in the `Queue-Ticket` header; empty when answered by a
   * function that keeps no signing key (search's gate).
   */
  ticket: string;
}

/** The room's tunables (shared/src/use-cases/deps.ts Settings). */
export interface RoomSettings {
  queueDoorsMinutes: number;
  queueHours: number;
  queueAdmittedMinutes: number;
}

const MINUTE_MS = 60_000;

const shift = (instant: Instant, ms: number): Instant => new Date(Date.parse(instant) + ms).toISOString();

/** The rooms of the planned openings: every rule that opens at a time of day and is not paused gets one (none when `queueHours` is 0). */
export function roomPlans(rules: readonly EligibilityRule[], settings: RoomSettings): RoomPlan[] {
  if (settings.queueHours <= 0) return [];
  return rules.flatMap((rule) =>
    rule.opensAt === undefined || rule.pausedAt !== undefined
      ? []
      : [
          {
            id: rule.id,
            opensAt: rule.opensAt,
            opensDoorsAt: shift(rule.opensAt, -settings.queueDoorsMinutes * MINUTE_MS),
            closesAt: shift(rule.opensAt, settings.queueHours * 60 * MINUTE_MS),
          },
        ],
  );
}

/** Whether a room gates requests at `now`: its doors are open, it has not closed, nobody emptied it. */
export function roomInForce(plan: RoomPlan, room: QueueRoom | null, now: Instant): boolean {
  if (room?.closedAt) return false;
  return Date.parse(now) >= Date.parse(plan.opensDoorsAt) && Date.parse(now) < Date.parse(plan.closesAt);
}

/** A room as first stored: nobody admitted, not shuffled. */
export function newRoom(plan: RoomPlan): QueueRoom {
  return {
    ...plan,
    admittedThrough: 0,
    shuffled: false,
    earlyCount: 0,
    control: { ratePerSecond: null, carry: 0, lastTickAt: null },
    closedAt: null,
  };
}

/** Whether someone joining now is an early arrival: before the opening and before the shuffle. */
export function joinsEarly(room: QueueRoom, now: Instant): boolean {
  return !room.shuffled && Date.parse(now) < Date.parse(room.opensAt);
}

/**
 * A new ticket. An early arrival gets a draw key from the random source (shuffled at the opening);
 * a later one its arrival sequence, which becomes position earlyCount + sequence once the early
 * arrivals are placed. A later arrival whose position is already admitted is admitted at once.
 */
export function newTicket(args: {
  room: QueueRoom;
  patientId: string;
  now: Instant;
  settings: RoomSettings;
  /** A uniform random number in [0, 1) (early arrivals only). */
  random: () => number;
  /** The arrival sequence (later arrivals only). */
  sequence: number | null;
}): QueueTicket {
  const { room, now } = args;
  const early = joinsEarly(room, now);
  if (!early && args.sequence === null) throw new Error('A later arrival needs an arrival sequence.');
  const ticket: QueueTicket = {
    roomId: room.id,
    patientId: args.patientId,
    arrivedAt: now,
    drawKey: early ? drawKey(args.random) : null,
    sequence: early ? null : args.sequence,
    position: !early && room.shuffled ? room.earlyCount + (args.sequence ?? 0) : null,
    admittedAt: null,
    expiresAt: null,
    smsWhenTurn: false,
    status: 'waiting',
  };
  return ticket.position !== null && ticket.position <= room.admittedThrough
    ? admitTicket(ticket, now, args.settings)
    : ticket;
}

/** Sixteen hex digits from four draws: ties are left to the patient id and are vanishingly rare. */
function drawKey(random: () => number): string {
  let key = '';
  for (let i = 0; i < 4; i++)
    key += Math.floor(random() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return key;
}

/**
 * The shuffle at the opening, done once: the early arrivals ordered by their draw keys get positions
 * 1..N, and later arrivals already counted get earlyCount + sequence. A shuffled room refuses a second.
 */
export function shuffleRoom(
  room: QueueRoom,
  early: readonly QueueTicket[],
  later: readonly QueueTicket[],
): { room: QueueRoom; tickets: QueueTicket[] } {
  if (room.shuffled) throw new Error(`The room ${room.id} was shuffled already.`);
  const drawn = [...early].sort(
    (a, b) => compare(a.drawKey ?? '', b.drawKey ?? '') || compare(a.patientId, b.patientId),
  );
  const placed = drawn.map((ticket, i) => ({ ...ticket, position: i + 1 }));
  const shuffled = { ...room, shuffled: true, earlyCount: placed.length };
  return { room: shuffled, tickets: [...placed, ...later.map((ticket) => placeLater(shuffled, ticket))] };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A later arrival's position once the room is shuffled. */
export function placeLater(room: QueueRoom, ticket: QueueTicket): QueueTicket {
  if (!room.shuffled || ticket.sequence === null) return ticket;
  return { ...ticket, position: room.earlyCount + ticket.sequence };
}

/** Admits a waiting ticket: its holder has `queueAdmittedMinutes` to book. */
export function admitTicket(ticket: QueueTicket, now: Instant, settings: RoomSettings): QueueTicket {
  if (ticket.status !== 'waiting') return ticket;
  return {
    ...ticket,
    status: 'admitted',
    admittedAt: now,
    expiresAt: shift(now, settings.queueAdmittedMinutes * MINUTE_MS),
  };
}

/**
 * Admits positions up to `through` (never back): the room's mark moves and each waiting ticket among
 * the positions given is admitted.
 */
export function admitThrough(
  room: QueueRoom,
  tickets: readonly QueueTicket[],
  through: number,
  now: Instant,
  settings: RoomSettings,
): { room: QueueRoom; admitted: QueueTicket[] } {
  const mark = Math.max(room.admittedThrough, through);
  const admitted = tickets
    .filter(
      (t) => t.status === 'waiting' && t.position !== null && t.position > room.admittedThrough && t.position <= mark,
    )
    .map((t) => admitTicket(t, now, settings));
  return { room: { ...room, admittedThrough: mark }, admitted };
}

/** The ticket as it stands at `now`: an admission not used in time has expired. */
export function ticketAt(ticket: QueueTicket, now: Instant): QueueTicket {
  if (ticket.status === 'admitted' && ticket.expiresAt !== null && Date.parse(now) >= Date.parse(ticket.expiresAt))
    return { ...ticket, status: 'expired' };
  return ticket;
}

/** Whether the holder may search and book now: admitted and within the window. */
export function ticketLetsIn(ticket: QueueTicket, now: Instant): boolean {
  return ticketAt(ticket, now).status === 'admitted';
}

/** The ticket after its holder booked: the place is used, nobody else gets it. */
export function markBooked(ticket: QueueTicket): QueueTicket {
  return { ...ticket, status: 'booked' };
}

/** Seconds until a position is admitted at the measured admission rate; null when unknown. */
export function estimatedWaitSeconds(ahead: number | null, ratePerSecond: number | null): number | null {
  if (ahead === null || ratePerSecond === null || ratePerSecond <= 0) return null;
  return Math.ceil(ahead / ratePerSecond);
}

/** A quarter of the estimated wait, from 5 s to a minute; null without an estimate. */
export function checkAgainSeconds(waitSeconds: number | null): number | null {
  if (waitSeconds === null) return null;
  return Math.min(60, Math.max(5, Math.round(waitSeconds / 4)));
}

/** The person's view of their ticket. */
export function viewTicket(args: {
  room: QueueRoom;
  ticket: QueueTicket;
  now: Instant;
  freePlaces: number | null;
  signed: string;
}): QueueView {
  const { room, now } = args;
  const ticket = ticketAt(args.ticket, now);
  const position = ticket.position;
  const ahead =
    ticket.status === 'waiting' && position !== null ? Math.max(0, position - room.admittedThrough - 1) : null;
  const before = ticket.status === 'waiting' && position === null && Date.parse(now) < Date.parse(room.opensAt);
  const wait = ticket.status === 'waiting' ? estimatedWaitSeconds(ahead, room.control.ratePerSecond) : null;
  return {
    roomId: room.id,
    opensAt: room.opensAt,
    status: before ? 'before-opening' : ticket.status,
    position,
    ahead,
    estimatedWaitSeconds: wait,
    admittedUntil: ticket.status === 'admitted' ? ticket.expiresAt : null,
    freePlaces: args.freePlaces,
    smsWhenTurn: ticket.smsWhenTurn,
    checkAgainSeconds: before ? null : checkAgainSeconds(wait),
    ticket: args.signed,
  };
}

/** A keyed hash (HMAC) of text: the runtimes implement it over their secret; shared/ holds no key. */
export interface TicketSigner {
  /** The signature of the text, as URL-safe text. */
  sign(text: string): string;
  /** Whether a signature is the text's (compared in constant time). */
  verify(text: string, signature: string): boolean;
  /**
   * False where the runtime keeps no key (a function that reads tickets from the store only): `sign`
   * throws there, and the views it answers carry an empty `ticket`.
   */
  readonly signs?: boolean;
}

/** What a signed ticket says. */
export interface TicketClaims {
  roomId: string;
  patientId: string;
  position: number | null;
}

const TICKET_VERSION = 'q1';

/** The signed ticket: `q1.<room>.<patient>.<position or ->.<signature>`, each part URL-encoded. */
export function signTicket(signer: TicketSigner, claims: TicketClaims): string {
  const text = ticketText(claims);
  return `${text}.${signer.sign(text)}`;
}

function ticketText(claims: TicketClaims): string {
  const part = (value: string) => encodeURIComponent(value).replaceAll('.', '%2E');
  return [TICKET_VERSION, part(claims.roomId), part(claims.patientId), claims.position ?? '-'].join('.');
}

/** The claims of a signed ticket, or null when it is malformed or any part was changed. */
export function readTicket(signer: TicketSigner, token: string): TicketClaims | null {
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== TICKET_VERSION) return null;
  const [, room, patient, position, signature] = parts as [string, string, string, string, string];
  if (position !== '-' && !/^[1-9][0-9]{0,9}$/.test(position)) return null;
  let claims: TicketClaims;
  try {
    claims = {
      roomId: decodeURIComponent(room),
      patientId: decodeURIComponent(patient),
      position: position === '-' ? null : Number(position),
    };
  } catch {
    return null;
  }
  if (ticketText(claims) !== parts.slice(0, 4).join('.')) return null;
  return signer.verify(ticketText(claims), signature) ? claims : null;
}

/** What the runtime measured over the last seconds of booking. */
export interface Measured {
  /** Bookings completed per second. */
  bookingsPerSecond: number;
  /** Share of booking requests that failed on the server's side (0..1). */
  errorRate: number;
  /** 95th percentile latency of booking requests, in milliseconds; null when none were made. */
  p95Ms: number | null;
}

/** How the controller reacts; the defaults suit a national opening. */
export interface ControllerTuning {
  /** Latency above which the system counts as strained. */
  targetP95Ms: number;
  /** Error share at or above which it counts as strained. */
  maxErrorRate: number;
  /** Added to the rate each second while healthy (per second, per second), at least. */
  increasePerSecond: number;
  /** While healthy the rate also grows by this share of itself each second, so it reaches capacity in seconds. */
  growthShare: number;
  /** The rate is multiplied by this when strained. */
  decreaseFactor: number;
  /**
   * …but not below this share of the bookings measured per second: what is being served goes on being
   * let in, so a strain that does not come from the admitted (a storm of logins and joins) does not
   * bring admissions to a stop, while one that does is drained.
   */
  servedShare: number;
  /** Never slower than this: someone is always let in, so a quiet system can show it serves more. */
  minRatePerSecond: number;
  /** The rate stays within this multiple of what is measured (plus the increase), so it follows capacity. */
  headroom: number;
}

export const DEFAULT_TUNING: ControllerTuning = {
  targetP95Ms: 150,
  maxErrorRate: 0.01,
  increasePerSecond: 5,
  growthShare: 0.5,
  decreaseFactor: 0.5,
  servedShare: 0.8,
  minRatePerSecond: 2,
  headroom: 4,
};

/** A tick longer than this (a paused timer) is not paid back at once. */
const MAX_TICK_SECONDS = 5;

/**
 * How many more positions to admit now. The rate starts from the measured bookings per second, grows
 * by half of itself each second (or a constant, when more) while errors stay under 1 % and latency
 * under the target, and is halved otherwise; it never leaves `headroom` times what is measured, so it
 * follows what the system serves rather than a fixed guess. People book a second or two after they are
 * let in, and the measure looks back a few seconds: the headroom is what lets the rate outrun that lag
 * at an opening, and latency is what stops it.
 */
export function admissionsFor(
  measured: Measured,
  state: AdmissionState,
  now: Instant,
  tuning: ControllerTuning = DEFAULT_TUNING,
): { admit: number; state: AdmissionState } {
  const elapsed =
    state.lastTickAt === null
      ? 1
      : Math.min(MAX_TICK_SECONDS, Math.max(0, (Date.parse(now) - Date.parse(state.lastTickAt)) / 1000));
  const healthy =
    measured.errorRate < tuning.maxErrorRate && (measured.p95Ms === null || measured.p95Ms < tuning.targetP95Ms);
  const start = Math.max(tuning.minRatePerSecond, measured.bookingsPerSecond);
  const ceiling =
    Math.max(tuning.minRatePerSecond, measured.bookingsPerSecond * tuning.headroom) + tuning.increasePerSecond;
  let rate: number;
  if (state.ratePerSecond === null) rate = start;
  else if (healthy) {
    const growth = Math.max(tuning.increasePerSecond, state.ratePerSecond * tuning.growthShare);
    rate = Math.min(ceiling, state.ratePerSecond + growth * elapsed);
  } else rate = Math.max(state.ratePerSecond * tuning.decreaseFactor, measured.bookingsPerSecond * tuning.servedShare);
  rate = Math.max(tuning.minRatePerSecond, rate);
  const owed = rate * elapsed + state.carry;
  const admit = Math.floor(owed);
  return { admit, state: { ratePerSecond: rate, carry: owed - admit, lastTickAt: now } };
}

/** What the waiting room needs beyond the common dependencies; without it no room gates anyone. */
export interface WaitingRoomDeps {
  /** Signs and checks queue tickets (an HMAC under a secret of the runtime). */
  signer: TicketSigner;
  /** Uniform in [0, 1): the draw of early arrivals (crypto-strength in the runtimes). */
  random: () => number;
}

/**
 * What the runtimes measure of booking over the last seconds, for the admission controller: counted in
 * memory by one server, or read from what every instance wrote (a promise then).
 */
export interface BookingMeter {
  measure(now: Date): Measured | Promise<Measured>;
}

/** Where the booking function reports each booking attempt; the meter the admission tick reads. */
export interface BookingRecorder extends BookingMeter {
  record(at: Date, outcome: { booked: boolean; failed: boolean; ms: number }): void;
}
