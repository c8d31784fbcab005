import { type Eligibility, evaluateEligibility } from '../eligibility.ts';
import { DomainError } from '../errors.ts';
import { parsePostalCode } from '../geo.ts';
import { normalizeMobile } from '../messages/phone.ts';
import { type InboundSms, parseInboundSms } from '../messages/sms-commands.ts';
import type { SmsTemplateInput } from '../messages/sms-templates.ts';
import type { Actor, Appointment, Language, Patient, UnverifiedBooking } from '../model.ts';
import { parsePesel } from '../pesel.ts';
import type { Transaction } from '../ports.ts';
import type { SmsRecord, SmsSession } from '../sms.ts';
import { isOnStandby, type StandbyEntry, type StandbyOffer } from '../standby.ts';
import { addDays, localToday, toLocal } from '../time-zone.ts';
import { planNextDose } from '../vaccines.ts';
import { bookAppointment } from './book-appointment.ts';
import { audit } from './deps.ts';
import { enrolPatient } from './login.ts';
import { searchSlots } from './search-slots.ts';
import { joinStandbyByText, passOffer, takeStandbyOfferByText, textJoinDates } from './standby.ts';
import { queueReply, type SmsDeps } from './text-messages.ts';

/** A text message someone sent us (Twilio's inbound webhook, or the local phone page). */
export interface InboundText {
  from: string;
  body: string;
  /** The provider's id of the message: a retried webhook carries the same one. */
  providerMessageId: string;
}

interface Offer {
  slotId: string;
  date: string;
  time: string;
  centre: { name: string; street: string; city: string };
}

interface Answer {
  template: SmsTemplateInput;
  patientId: string | null;
}

/** How many centres and slots one proposal looks through, so that several NOs still find a next one. */
const CANDIDATE_CENTRES = 5;
const CANDIDATE_SLOTS = 5;

/** Why look-ups and bookings by text are audited. */
const AUDIT_REASON = 'booking by text message';

const say = (template: SmsTemplateInput, patientId: string | null = null): Answer => ({ template, patientId });

/** The actor a phone that texted us is recorded as: it proves who holds the phone, not who the person is. */
export function smsActor(phone: string): Actor {
  return { role: 'sms', id: phone };
}

/**
 * Booking by text message, an unverified channel: anyone may text a PESEL (relatives book for older
 * people), so the conversation tells the phone nothing about the person beyond public policy, and
 * keeps nothing of the phone as the person's. The person texts a keyword with a PESEL and postal
 * code; we check eligibility and propose the soonest free slot near that postal code; YES books it
 * (with the course's next dose), NO brings the next proposal. A standby keyword joins the standby list
 * instead, and while a standby offer texted to the phone is open, YES takes it and NO passes it on. Each
 * text gets one reply, queued in the ledger under the inbound message's id, so a retried webhook is
 * answered once and changes nothing twice.
 */
export async function receiveText(deps: SmsDeps, inbound: InboundText): Promise<SmsRecord> {
  const from = normalizeMobile(inbound.from, 'From');
  const key = `reply:${inbound.providerMessageId}`;
  const answered = await deps.store.runInTransaction((tx) => tx.getSmsMessage(key));
  if (answered) return answered;
  const now = deps.clock.now().toISOString();
  const session = await deps.store.runInTransaction((tx) => tx.getSmsSession(from));
  const live = session && session.expiresAt > now ? session : null;
  const command = parseInboundSms(inbound.body);
  const standby = command.kind === 'yes' || command.kind === 'no' ? await standbyOfferOf(deps, from, live) : null;
  const language: Language =
    ('language' in command ? command.language : null) ?? standby?.language ?? live?.language ?? 'pl';
  const answer =
    standby && (command.kind === 'yes' || command.kind === 'no')
      ? await answerStandbyOffer(deps, from, command.kind, standby.offer)
      : await respond(deps, from, command, live, language);
  return queueReply(deps, { key, to: from, language, template: answer.template, patientId: answer.patientId });
}

/**
 * The standby offer a YES or NO from the phone answers: the open one texted to it (one phone holds one
 * at a time). One whose hold has just run out still gets its answer (that it is closed), unless the phone
 * is in a booking conversation, which the answer is then for.
 */
async function standbyOfferOf(
  deps: SmsDeps,
  phone: string,
  live: SmsSession | null,
): Promise<{ offer: StandbyOffer; language: Language } | null> {
  const now = deps.clock.now().toISOString();
  const open = await deps.store.listOpenStandbyOffersOfPhone(phone);
  const offer = open.find((o) => o.expiresAt > now) ?? (live?.offeredSlotId ? undefined : open[0]);
  if (!offer) return null;
  const entry = await deps.store.getStandbyEntry(offer.patientId);
  return { offer, language: entry?.language ?? 'pl' };
}

/**
 * YES takes the standby offer (the visit moves to it, or the course is booked from it as a booking by
 * text is); NO passes it to the next person. A YES that can no longer be done is told so, and a place
 * the person turns out not to be able to take passes on at once rather than stay held.
 */
async function answerStandbyOffer(
  deps: SmsDeps,
  from: string,
  answer: 'yes' | 'no',
  offer: StandbyOffer,
): Promise<Answer> {
  const contact = deps.smsSettings.contact;
  if (answer === 'no') {
    await passOffer(deps, offer.id, 'declined', smsActor(from));
    const after = await deps.store.getStandbyOffer(offer.id);
    return say({ kind: after?.status === 'declined' ? 'standby_passed' : 'standby_closed', contact }, offer.patientId);
  }
  try {
    await takeStandbyOfferByText(deps, offer, from);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.code !== 'OFFER_CLOSED') await passOffer(deps, offer.id, 'declined', smsActor(from));
    return say({ kind: 'standby_closed', contact }, offer.patientId);
  }
  const centre = await deps.store.getCentre(offer.centreId);
  if (!centre) return say({ kind: 'booked_reply', contact }, offer.patientId);
  const local = toLocal(new Date(offer.start), centre.timeZone);
  return say(
    {
      kind: 'standby_taken',
      date: local.date,
      time: local.time,
      centre: { name: centre.name, street: centre.address.street, city: centre.address.city },
      contact,
    },
    offer.patientId,
  );
}

async function respond(
  deps: SmsDeps,
  from: string,
  command: InboundSms,
  live: SmsSession | null,
  language: Language,
): Promise<Answer> {
  const contact = deps.smsSettings.contact;
  switch (command.kind) {
    case 'start':
      return start(deps, from, command.pesel, command.postalCode, language);
    case 'start_incomplete':
      return say({ kind: command.missing === 'pesel' ? 'invalid_pesel' : 'invalid_postal_code', contact });
    case 'standby':
      return joinByText(deps, from, command.pesel, command.postalCode, command.km, language);
    case 'standby_incomplete':
      return say({ kind: 'standby_how', contact });
    case 'yes':
      if (!live?.offeredSlotId) return say({ kind: 'no_offer', contact });
      return accept(deps, live);
    case 'no':
      if (!live?.offeredSlotId) return say({ kind: 'no_offer', contact });
      return proposeNext(deps, { ...live, declinedSlotIds: [...live.declinedSlotIds, live.offeredSlotId] }, 'offer');
    case 'help':
    case 'unknown':
      return say({ kind: 'help', contact });
  }
}

/** What a look-up by text found: nothing is created for the person until a slot is booked. */
type LookUp =
  | { kind: 'over_limit' }
  | { kind: 'found'; patient: Patient | null; history: Appointment[]; eligibility: Eligibility };

async function start(
  deps: SmsDeps,
  from: string,
  peselText: string,
  postalText: string,
  language: Language,
): Promise<Answer> {
  const contact = deps.smsSettings.contact;
  let pesel: string;
  let postalCode: string;
  try {
    pesel = parsePesel(peselText).pesel;
  } catch {
    return say({ kind: 'invalid_pesel', contact });
  }
  try {
    postalCode = parsePostalCode(postalText);
  } catch {
    return say({ kind: 'invalid_postal_code', contact });
  }
  const found = await deps.store.runInTransaction((tx) => lookUp(deps, tx, from, pesel));
  if (found.kind === 'over_limit') {
    return say({ kind: 'phone_limit', people: deps.smsSettings.peoplePerPhonePerDay, contact });
  }
  const { patient, history, eligibility } = found;
  const patientId = patient?.id ?? null;
  if (history.some(holdsADose) && !isOwnPhone(patient, from)) return say({ kind: 'visit_exists', contact }, patientId);
  if (!eligibility.eligible) {
    const openingTime = eligibility.eligibleAt
      ? toLocal(new Date(eligibility.eligibleAt), deps.settings.timeZone).time
      : null;
    return say({ kind: 'not_eligible', eligibleFrom: eligibility.eligibleFrom, openingTime, contact }, patientId);
  }
  const session: SmsSession = {
    phone: from,
    language,
    pesel,
    postalCode,
    offeredSlotId: null,
    declinedSlotIds: [],
    expiresAt: '',
    updatedAt: '',
  };
  return proposeNext(deps, session, 'offer');
}

/**
 * Inside a transaction: counts the PESEL against the phone's people of the day (refusing one past
 * `peoplePerPhonePerDay`), looks the person up and audits the look-up as made by the phone, hit or
 * miss. Only the person's own phone has their eligibility judged by their groups: for any other,
 * by age alone, since a group (a profession) is personal and the answer would show it.
 */
async function lookUp(deps: SmsDeps, tx: Transaction, from: string, pesel: string): Promise<LookUp> {
  const now = deps.clock.now();
  const today = localToday(now, deps.settings.timeZone);
  const day = await tx.getSmsPhoneDay(from, today);
  const counted = day?.pesels ?? [];
  const isNew = !counted.includes(pesel);
  if (isNew && counted.length >= deps.smsSettings.peoplePerPhonePerDay) return { kind: 'over_limit' };
  const patient = await tx.getPatientByPesel(pesel);
  const history = patient ? await tx.listAppointmentsOfPatient(patient.id) : [];
  const rules = await tx.listEligibilityRules();
  if (isNew) tx.putSmsPhoneDay({ phone: from, date: today, pesels: [...counted, pesel], updatedAt: now.toISOString() });
  audit(deps, tx, smsActor(from), patient?.id ?? null, patient ? 'sms-lookup' : 'sms-lookup-miss', AUDIT_REASON);
  const person = patient ?? { ...parsePesel(pesel), groups: [] };
  const groups = isOwnPhone(patient, from) ? person.groups : [];
  const eligibility = evaluateEligibility({ birthDate: person.birthDate, groups }, rules, today, {
    now: now.toISOString(),
    timeZone: deps.settings.timeZone,
  });
  return { kind: 'found', patient, history, eligibility };
}

/**
 * A standby keyword: the person joins the standby list with this phone as where offers go, trusted as a
 * booking by text is — the PESEL counted against the phone and the look-up audited; a person with a visit
 * or a dose on record, or already on the list with another phone, only from their own phone (a stranger
 * must not move a visit, or take over where offers go); a record with no names and no phone made for a
 * person not yet known; what they take is booked as made by the phone.
 */
async function joinByText(
  deps: SmsDeps,
  from: string,
  peselText: string,
  postalText: string,
  km: number | null,
  language: Language,
): Promise<Answer> {
  const contact = deps.smsSettings.contact;
  let pesel: string;
  try {
    pesel = parsePesel(peselText).pesel;
  } catch {
    return say({ kind: 'standby_how', contact });
  }
  const found = await deps.store.runInTransaction((tx) => lookUp(deps, tx, from, pesel));
  if (found.kind === 'over_limit') {
    return say({ kind: 'phone_limit', people: deps.smsSettings.peoplePerPhonePerDay, contact });
  }
  const { patient, history, eligibility } = found;
  const own = isOwnPhone(patient, from);
  const entry = patient ? await deps.store.getStandbyEntry(patient.id) : null;
  const elsewhere = entry !== null && isOnStandby(entry) && entry.phone !== from;
  if ((history.some(holdsADose) || elsewhere) && !own)
    return say({ kind: 'visit_exists', contact }, patient?.id ?? null);
  if (!history.some(holdsADose) && !eligibility.eligible) {
    const openingTime = eligibility.eligibleAt
      ? toLocal(new Date(eligibility.eligibleAt), deps.settings.timeZone).time
      : null;
    return say(
      { kind: 'not_eligible', eligibleFrom: eligibility.eligibleFrom, openingTime, contact },
      patient?.id ?? null,
    );
  }
  const enrolled =
    patient ??
    (await deps.store.runInTransaction((tx) => enrolPatient(deps, tx, { pesel, language, verified: null }))).patient;
  const settings = deps.settings.standby;
  const maxKm = Math.min(Math.max(1, km ?? settings.textKm), settings.maxKm);
  const dates = textJoinDates(deps, deps.clock.now());
  let joined: StandbyEntry;
  try {
    joined = await joinStandbyByText(deps, deps.centres, {
      patientId: enrolled.id,
      phone: from,
      postalCode: postalText,
      ...dates,
      maxKm,
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.field === 'postalCode') return say({ kind: 'standby_how', contact }, enrolled.id);
    return say({ kind: 'not_eligible', eligibleFrom: null, openingTime: null, contact }, enrolled.id);
  }
  return say(
    { kind: 'standby_joined', from: joined.wishes.from, to: joined.wishes.to, maxKm: joined.wishes.maxKm, contact },
    enrolled.id,
  );
}

/** A visit booked or a dose given: what an unverified phone must not learn anything about. */
const holdsADose = (a: Appointment): boolean => a.status === 'booked' || a.status === 'completed';

/** Whether the phone texting is the person's own, verified one. */
const isOwnPhone = (patient: Patient | null, phone: string): boolean => patient?.phone === phone;

/** Proposes the soonest slot not yet declined and keeps the conversation; ends it when there is none. */
async function proposeNext(deps: SmsDeps, session: SmsSession, kind: 'offer' | 'taken_offer'): Promise<Answer> {
  const contact = deps.smsSettings.contact;
  const patient = await deps.store.runInTransaction((tx) => tx.getPatientByPesel(session.pesel));
  const patientId = patient?.id ?? null;
  let offer: Offer | null;
  try {
    offer = await findOffer(deps, session, patient);
  } catch (error) {
    await endSession(deps, session.phone);
    if (error instanceof DomainError && error.code === 'ALREADY_BOOKED') {
      return alreadyBooked(deps, session.phone, patient);
    }
    if (error instanceof DomainError && error.code === 'UNKNOWN_POSTAL_CODE') {
      return say({ kind: 'invalid_postal_code', contact }, patientId);
    }
    if (error instanceof DomainError) return say({ kind: 'not_eligible', eligibleFrom: null, contact }, patientId);
    throw error;
  }
  if (!offer) {
    await endSession(deps, session.phone);
    return say({ kind: 'no_slots', contact }, patientId);
  }
  const now = deps.clock.now();
  const kept: SmsSession = {
    ...session,
    offeredSlotId: offer.slotId,
    expiresAt: new Date(now.getTime() + deps.smsSettings.sessionMinutes * 60_000).toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.store.runInTransaction(async (tx) => {
    tx.putSmsSession(kept);
  });
  return say({ kind, date: offer.date, time: offer.time, centre: offer.centre, contact }, patientId);
}

/**
 * The answer for a person who already has a visit: its time only to their own phone; any other
 * phone learns that one exists and whom to call, never when or where.
 */
async function alreadyBooked(deps: SmsDeps, phone: string, patient: Patient | null): Promise<Answer> {
  const contact = deps.smsSettings.contact;
  const patientId = patient?.id ?? null;
  if (!patient || !isOwnPhone(patient, phone)) return say({ kind: 'visit_exists', contact }, patientId);
  const next = (await deps.store.listAppointmentsOfPatient(patient.id)).find((a) => a.status === 'booked');
  const centre = next ? await deps.store.getCentre(next.centreId) : null;
  if (!next || !centre) return say({ kind: 'visit_exists', contact }, patientId);
  const local = toLocal(new Date(next.start), centre.timeZone);
  return say({ kind: 'already_booked', date: local.date, time: local.time, contact }, patientId);
}

/** The soonest free slot near the session's postal code for the person's next dose, not yet declined. */
async function findOffer(deps: SmsDeps, session: SmsSession, patient: Patient | null): Promise<Offer | null> {
  const history = patient ? await deps.store.listAppointmentsOfPatient(patient.id) : [];
  const next = planNextDose(history, deps.vaccines);
  const today = localToday(deps.clock.now(), deps.settings.timeZone);
  const earliest = next.earliest ? localToday(new Date(next.earliest), deps.settings.timeZone) : today;
  const from = earliest.localeCompare(today) > 0 ? earliest : today;
  const found = await searchSlots(deps, deps.centres, {
    postalCode: session.postalCode,
    vaccineId: next.vaccineIds.length === 1 ? next.vaccineIds[0] : undefined,
    from,
    to: addDays(from, deps.settings.searchWindowDays),
    limit: CANDIDATE_CENTRES,
    // Each NO rules out a time (of every product), so look further for every one given.
    slotsPerCentre: CANDIDATE_SLOTS + 2 * session.declinedSlotIds.length,
  });
  // A NO turns down that time at that centre, whichever product its slot was for.
  const declinedSlots = await Promise.all(session.declinedSlotIds.map((id) => deps.store.getSlot(id)));
  const declined = new Set(session.declinedSlotIds);
  const declinedTimes = new Set(declinedSlots.flatMap((slot) => (slot ? [`${slot.centreId}|${slot.start}`] : [])));
  const candidates = found.results
    .flatMap((offer) => offer.slots.map((slot) => ({ offer, slot })))
    .filter(({ slot }) => !declined.has(slot.slotId) && next.vaccineIds.includes(slot.vaccineId))
    .filter(({ offer, slot }) => !declinedTimes.has(`${offer.centre.id}|${slot.start}`))
    .filter(({ slot }) => next.latest === null || slot.start <= next.latest)
    .sort((a, b) => (a.slot.start < b.slot.start ? -1 : a.slot.start > b.slot.start ? 1 : 0));
  const best = candidates[0];
  if (!best) return null;
  const [date, time] = best.slot.localStart.split('T') as [string, string];
  const { centre } = best.offer;
  return {
    slotId: best.slot.slotId,
    date,
    time,
    centre: { name: centre.name, street: centre.address.street, city: centre.address.city },
  };
}

/**
 * YES: the person's record is made now if there is none (with no names and no phone: a text proves
 * neither), then the slot is booked as made by the phone, which becomes that booking's contact.
 */
async function accept(deps: SmsDeps, session: SmsSession): Promise<Answer> {
  const contact = deps.smsSettings.contact;
  const slotId = session.offeredSlotId as string;
  const { patient } = await deps.store.runInTransaction((tx) =>
    enrolPatient(deps, tx, { pesel: session.pesel, language: session.language, verified: null }),
  );
  const booker: UnverifiedBooking = { channel: 'sms', phone: session.phone, language: session.language };
  try {
    await bookAppointment(
      deps,
      { role: 'patient', patientId: patient.id },
      // Scoped to the phone by bookAppointment; one phone books the same slot for several people.
      { patientId: patient.id, slotId, idempotencyKey: `sms:${patient.id}:${slotId}` },
      booker,
    );
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'SLOT_FULL' || error.code === 'SLOT_BUSY')) {
      return proposeNext(deps, { ...session, declinedSlotIds: [...session.declinedSlotIds, slotId] }, 'taken_offer');
    }
    if (error instanceof DomainError) {
      return proposeNext(deps, { ...session, declinedSlotIds: [...session.declinedSlotIds, slotId] }, 'offer');
    }
    throw error;
  }
  await endSession(deps, session.phone);
  return say({ kind: 'booked_reply', contact }, patient.id);
}

async function endSession(deps: SmsDeps, phone: string): Promise<void> {
  await deps.store.runInTransaction(async (tx) => {
    tx.deleteSmsSession(phone);
  });
}
