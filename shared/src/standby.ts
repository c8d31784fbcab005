import type { GeoPoint, Instant, Language, LocalDate } from './model.ts';

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
