import { distanceKm } from './geo.ts';
import type { Appointment, Centre, GeoPoint, Instant, Language, LocalDate, Slot } from './model.ts';

/**
 * The standby list: people who would come earlier than the visit they have (or than any free place
 * they found) if a place frees up. A freed place — a cancellation, a move, a centre's extra hours, doses
 * that would otherwise be wasted at the end of a day — is offered to the first matching person in
 * joining order and held for them for a while; taken, it becomes their visit; passed or let lapse, it
 * goes to the next. These are the records; the rules live beside them.
 */

/** How a person joined: in the patients' app, through the hotline, or by a text message. */
export type StandbyChannel = 'web' | 'phone' | 'sms';

/**
 * `waiting`: in line for an offer. `offered`: holding an open offer (never two). `placed`: took an
 * offer. `paused`: taken off after offers passed in silence; joining again puts them back at the end.
 * `left`: left the list, or booked elsewhere.
 */
export type StandbyStatus = 'waiting' | 'offered' | 'placed' | 'paused' | 'left';

/** What places a person would take. */
export interface StandbyWishes {
  /** The first and last centre-local dates they can come (both included). */
  from: LocalDate;
  to: LocalDate;
  /** Where they come from: a postal code (`00-950`)… */
  postalCode: string;
  /** …and how far they would travel, in km. */
  maxKm: number;
  /** The products they would take; null for any their course allows. */
  vaccineIds: string[] | null;
}

/** A person on the standby list: one entry per person. */
export interface StandbyEntry {
  /** The person's patient id: one entry each. */
  patientId: string;
  /** Joining order (1, 2, …), never handed out twice; joining again after leaving takes a new one. */
  sequence: number;
  joinedAt: Instant;
  channel: StandbyChannel;
  wishes: StandbyWishes;
  /** Where the postal code lies, for distances. */
  position: GeoPoint;
  /** The dose the entry is for: 1 for a course not yet begun, n to bring the booked dose n earlier. */
  dose: number;
  /** The booked visit of that dose an offer would replace; null when the person has none. */
  appointmentId: string | null;
  /** Where offers go by text (E.164); null when only the app (or the hotline) can tell them. */
  phone: string | null;
  language: Language;
  status: StandbyStatus;
  /** The open offer while `offered`. */
  offerId: string | null;
  /** Offers in a row that passed in silence; after `StandbySettings.silentOffersBeforePause` the entry pauses. */
  silentOffers: number;
  updatedAt: Instant;
}

/** Why a place is offered: freed (a cancellation, a move, extra hours) or doses left at the end of a day. */
export type StandbyReason = 'freed' | 'would_be_wasted';

/**
 * A place noted as worth offering, waiting for the matcher: one per slot. Noting it twice keeps one
 * record; the matcher reads the slot itself to see how many places are free.
 */
export interface StandbyVacancy {
  slotId: string;
  centreId: string;
  vaccineId: string;
  start: Instant;
  localDate: LocalDate;
  reason: StandbyReason;
  notedAt: Instant;
  /**
   * At most this many of the slot's places are offered from this note: the doses a centre has left, not
   * every free place of its day. Absent: every free place.
   */
  places?: number;
}

/** `open` holds the place; the others end the offer. `withdrawn`: the place went away (a day cancelled). */
export type StandbyOfferStatus = 'open' | 'taken' | 'declined' | 'expired' | 'withdrawn';

/**
 * One place held for one person. While open, the place counts as taken in its slot (`Slot.booked`), so
 * nobody else — search, booking, another offer — can have it; taking it turns the hold into the
 * person's visit, passing or lapsing hands it to the next person or back to search.
 */
export interface StandbyOffer {
  id: string;
  patientId: string;
  slotId: string;
  centreId: string;
  vaccineId: string;
  start: Instant;
  localDate: LocalDate;
  reason: StandbyReason;
  /** The phone the offer was texted to (TAK/NIE from it answers this offer); null when not texted. */
  phone: string | null;
  offeredAt: Instant;
  /** Until when the place is held. */
  expiresAt: Instant;
  status: StandbyOfferStatus;
  decidedAt: Instant | null;
  /** The visit the offer became, once taken. */
  appointmentId: string | null;
}

/** How long places are held and how often silence is tolerated: policy, set per deployment. */
export interface StandbySettings {
  /** How long an offered place is held for the person before it passes to the next. */
  holdMinutes: number;
  /** Offers in a row passed in silence before the entry pauses (the person is told how to rejoin). */
  silentOffersBeforePause: number;
  /** The farthest a person may ask to travel, in km. */
  maxKm: number;
  /** The longest range of dates one entry may cover, in days. */
  maxDays: number;
  /** How far from the centre a same-day place that would be wasted is first offered, in km. */
  wouldBeWastedReachKm: number;
  /** How far a person joining by text message would travel when the message names no distance, in km. */
  textKm: number;
}

export const DEFAULT_STANDBY_SETTINGS: StandbySettings = {
  holdMinutes: 15,
  silentOffersBeforePause: 2,
  maxKm: 100,
  maxDays: 90,
  wouldBeWastedReachKm: 15,
  textKm: 20,
};

/** An offer as people see it: the place on its centre's wall clock, and until when it is held. */
export interface StandbyOfferView {
  id: string;
  slotId: string;
  centre: { id: string; name: string; street: string; city: string; timeZone: string };
  vaccineId: string;
  /** The dose the place is for. */
  dose: number;
  start: Instant;
  /** `YYYY-MM-DDTHH:MM` on the centre's wall clock. */
  localStart: string;
  reason: StandbyReason;
  offeredAt: Instant;
  expiresAt: Instant;
  status: StandbyOfferStatus;
  /** The visit the offer became, once taken. */
  appointmentId: string | null;
}

/** A person's place on the standby list as the app and the hotline show it. */
export interface StandbyView {
  /** Null when the person never joined. */
  entry: {
    status: StandbyStatus;
    joinedAt: Instant;
    channel: StandbyChannel;
    wishes: StandbyWishes;
    dose: number;
    appointmentId: string | null;
    /** Whether offers are also texted (the entry has a phone). */
    texted: boolean;
    silentOffers: number;
  } | null;
  /** People ahead in joining order while waiting or holding an offer; null otherwise. */
  ahead: number | null;
  /** The offer open now, if any. */
  offer: StandbyOfferView | null;
  /** The latest offers, newest first (at most 10). */
  offers: StandbyOfferView[];
  /** How long an offer is held, in minutes. */
  holdMinutes: number;
}

/** What a centre's "doses would be wasted" action did: the places now offered to the standby list. */
export interface WouldBeWastedResult {
  centreId: string;
  vaccineId: string;
  localDate: LocalDate;
  /** The doses the centre said are left. */
  doses: number;
  /** Places added to the day's slots so that every dose has one (free places already there count). */
  placesAdded: number;
  /** The slots whose places are now offered, with how many of each (together: the doses). */
  slots: Array<{ slotId: string; start: Instant; localStart: string; free: number }>;
}

/** A place as the rules weigh it: a slot with room, at its centre. */
export interface StandbyPlace {
  slot: Pick<Slot, 'id' | 'centreId' | 'vaccineId' | 'start' | 'localDate'>;
  centre: Pick<Centre, 'id' | 'location'>;
  reason: StandbyReason;
}

/** How far a person on the list is from a place, in km. */
export function distanceToPlace(entry: Pick<StandbyEntry, 'position'>, place: StandbyPlace): number {
  return distanceKm(entry.position, place.centre.location);
}

/**
 * Whether an entry would take a place, by what the entry itself says: waiting, the date in its range,
 * the centre within its distance, a product it named, and earlier than the visit it holds (`visitStart`).
 * Eligibility, the dose's product and interval, and the course's next dose are checked where the place is
 * held, against the person's history read in that transaction.
 */
export function matchesPlace(
  entry: Pick<StandbyEntry, 'status' | 'wishes' | 'position'>,
  place: StandbyPlace,
  visitStart: Instant | null,
): boolean {
  if (entry.status !== 'waiting') return false;
  const { wishes } = entry;
  const { slot } = place;
  if (slot.localDate < wishes.from || slot.localDate > wishes.to) return false;
  if (wishes.vaccineIds !== null && !wishes.vaccineIds.includes(slot.vaccineId)) return false;
  if (visitStart !== null && slot.start >= visitStart) return false;
  return distanceToPlace(entry, place) <= wishes.maxKm;
}

/**
 * The order in which a place is offered: joining order; a same-day place that would be wasted goes
 * first to those within `reachKm` of its centre (in joining order), then to the rest.
 */
export function offerRank(
  entry: Pick<StandbyEntry, 'sequence' | 'position'>,
  place: StandbyPlace,
  reachKm: number,
): [number, number] {
  const far = place.reason === 'would_be_wasted' && distanceToPlace(entry, place) > reachKm ? 1 : 0;
  return [far, entry.sequence];
}

/** Compares two ranks (`offerRank`): negative when `a` comes first. */
export function compareRanks(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * What becomes of an entry whose offer passed: a NO leaves it waiting (silence counted from zero
 * again); silence adds one, and the `limit`-th in a row pauses it.
 */
export function afterPassing(
  entry: StandbyEntry,
  how: 'declined' | 'expired',
  limit: number,
  at: Instant,
): StandbyEntry {
  const silentOffers = how === 'expired' ? entry.silentOffers + 1 : 0;
  const status: StandbyStatus = how === 'expired' && silentOffers >= limit ? 'paused' : 'waiting';
  return { ...entry, status, offerId: null, silentOffers, updatedAt: at };
}

/** The booked visit an entry would bring forward: the person's soonest booked dose, or null with none. */
export function visitToBringForward(history: readonly Appointment[]): Appointment | null {
  const booked = history.filter((a) => a.status === 'booked').sort((a, b) => a.dose - b.dose);
  return booked[0] ?? null;
}

/** Whether an entry still stands on the list (in line, or holding an offer). */
export const isOnStandby = (entry: Pick<StandbyEntry, 'status'> | null): boolean =>
  entry?.status === 'waiting' || entry?.status === 'offered';
