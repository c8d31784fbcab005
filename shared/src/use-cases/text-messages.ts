import type { CentreDirectory } from '../centre-directory.ts';
import { notFound } from '../errors.ts';
import { type DomainEvent, type EventOf, makeEvent, unhandledEvent } from '../events.ts';
import { maskPhone } from '../messages/phone.ts';
import { isQuietTime, outOfQuietHours, reminderMoment } from '../messages/quiet-hours.ts';
import {
  renderSms,
  type SmsCentre,
  type SmsContact,
  type SmsReason,
  type SmsRebook,
  type SmsTemplateInput,
  type SmsVisit,
} from '../messages/sms-templates.ts';
import type { Actor, Appointment, CancellationCode, Centre, Language, Patient } from '../model.ts';
import type { EventConsumer } from '../ports.ts';
import {
  isSmsRejected,
  isSmsUnavailable,
  type SmsOutcome,
  type SmsPurpose,
  type SmsRecord,
  type SmsSender,
  type SmsSession,
  type SmsStatus,
} from '../sms.ts';
import type { TaskQueue } from '../task-queue.ts';
import { toLocal } from '../time-zone.ts';
import { cancellationCause, type Deps } from './deps.ts';
import { type RebookSlot, soonestSlotsInstead } from './rebook-offers.ts';

/** How messages are worded and timed. */
export interface SmsSettings {
  /** How to cancel or get help, named in every message. */
  contact: SmsContact;
  /** Local time, the day before a visit, when its reminder goes. */
  reminderLocalTime: string;
  /** How long an SMS booking conversation waits for an answer. */
  sessionMinutes: number;
  /** How many different people one phone may start booking for by SMS in a local day (a household's worth). */
  peoplePerPhonePerDay: number;
}

export const DEFAULT_SMS_SETTINGS: SmsSettings = {
  contact: { hotline: '989', web: null },
  reminderLocalTime: '17:00',
  sessionMinutes: 15,
  peoplePerPhonePerDay: 5,
};

/** What the text-message use cases need beyond the common dependencies. */
export interface SmsDeps extends Deps {
  tasks: TaskQueue;
  sms: SmsSender;
  smsSettings: SmsSettings;
  centres: CentreDirectory;
}

/** The payload of the task that sends one message of the ledger. */
export interface SendSmsTask {
  key: string;
  /** How many times the task has been put off (a time beyond the queue's horizon, or quiet hours). */
  hop?: number;
}

/** Cloud Tasks takes a task at most 30 days ahead; a later message is put off in steps. */
const QUEUE_HORIZON_MS = 28 * 86_400_000;
/** The least time between a confirmation and the reminder of the same visit. */
const REMINDER_AFTER_CONFIRMATION_MS = 3 * 3_600_000;
/** A task that fires this much early still sends (queues do not fire to the millisecond). */
const EARLY_MS = 60_000;
/** How long a phone that booked by text may answer YES or NO to the time offered after a cancellation. */
const REBOOK_REPLY_MS = 12 * 3_600_000;

const FINAL: readonly SmsStatus[] = ['sending', 'sent', 'delivered', 'undelivered', 'failed', 'rejected', 'skipped'];

/** Who changes a message's status: the planner (skips), the sender (the provider's answer), the delivery reports. */
const PLANNER: Actor = { role: 'system', id: 'sms-planner' };
const SENDER: Actor = { role: 'system', id: 'sms-sender' };
const DELIVERY_REPORTS: Actor = { role: 'system', id: 'sms-delivery-report' };

/**
 * The event telling what became of a message, added to the transaction that changes its status. Its
 * subject is the message's key; it carries no phone number and no text.
 */
function outcomeOf(
  deps: Deps,
  record: SmsRecord,
  status: SmsOutcome,
  actor: Actor,
  at: Date,
): EventOf<'sms.status_changed'> {
  return makeEvent(deps.ids.next('evt'), 'sms.status_changed', at, actor, record.key, {
    purpose: record.purpose,
    status,
    attempts: record.attempts,
    language: record.language,
  });
}

/** The task name of a message key: its characters that a task name may not hold become `-`. */
export function smsTaskName(key: string, hop = 0): string {
  const base = `sms-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return hop > 0 ? `${base}-h${hop}` : base;
}

const localOf = (instant: string, zone: string) => {
  const local = toLocal(new Date(instant), zone);
  return { date: local.date, time: local.time };
};

const centreOf = (centre: Centre): SmsCentre => ({
  name: centre.name,
  street: centre.address.street,
  city: centre.address.city,
});

/** A visit as a message tells it: on its centre's wall clock, with its centre. */
const visitOf = (visit: { dose: number; start: string }, centre: Centre): SmsVisit => ({
  dose: visit.dose,
  ...localOf(visit.start, centre.timeZone),
  centre: centreOf(centre),
});

/** The centres of some visits, by id (each read once); a visit whose centre is gone is left out. */
async function centresOf(deps: SmsDeps, visits: readonly Appointment[]): Promise<Map<string, Centre>> {
  const ids = [...new Set(visits.map((v) => v.centreId))];
  const found = await Promise.all(ids.map((id) => deps.store.getCentre(id)));
  return new Map(found.filter((c): c is Centre => c !== null).map((c) => [c.id, c]));
}

/** Why a visit was cancelled, as the person is told it: from the event's code and who cancelled. */
export function smsReasonOf(event: Extract<DomainEvent, { type: 'appointment.cancelled' }>): SmsReason {
  return cancellationCause(event.data.reasonCode, event.actor.role, event.data.reason);
}

/** Where a message goes, and in which language. */
interface Recipient {
  phone: string;
  language: Language;
}

interface PlannedMessage {
  key: string;
  purpose: SmsPurpose;
  patientId: string;
  /** Null: nobody to tell (the person gave no phone). */
  to: Recipient | null;
  template: SmsTemplateInput;
  validWhile: SmsRecord['validWhile'];
  zone: string | null;
  sendAt: Date;
  /**
   * The SMS conversation the message opens with its recipient (a time offered to answer YES or NO to),
   * written with the message, once; `otherwise` is said instead when the phone is already in one.
   */
  conversation?: { session: Omit<SmsSession, 'expiresAt' | 'updatedAt'>; otherwise: SmsTemplateInput };
}

/**
 * Writes a planned message to the ledger (once per key) and schedules the task that sends it. The
 * task is scheduled again when the record already exists but is still pending: the schedule is
 * idempotent by name, and a crash between the two steps must not leave a message without its task.
 */
async function enqueue(
  deps: SmsDeps,
  message: Omit<PlannedMessage, 'to' | 'patientId'> & { to: string; language: Language; patientId: string | null },
): Promise<SmsRecord> {
  const now = deps.clock.now();
  const sendAt = message.zone ? outOfQuietHours(message.sendAt, message.zone) : message.sendAt;
  const record = await deps.store.runInTransaction(async (tx) => {
    const existing = await tx.getSmsMessage(message.key);
    if (existing) return existing;
    let template = message.template;
    const conversation = message.conversation;
    if (conversation) {
      // The message opens a conversation only where none is going on: a phone booking for someone
      // else keeps its own, and this message then offers the link instead.
      const going = await tx.getSmsSession(message.to);
      if (going && going.expiresAt > now.toISOString()) template = conversation.otherwise;
      else {
        const expiresAt = new Date(sendAt.getTime() + REBOOK_REPLY_MS).toISOString();
        tx.putSmsSession({ ...conversation.session, expiresAt, updatedAt: now.toISOString() });
      }
    }
    const created: SmsRecord = {
      key: message.key,
      purpose: message.purpose,
      to: message.to,
      body: renderSms(template, message.language),
      language: message.language,
      patientId: message.patientId,
      validWhile: message.validWhile,
      quietZone: message.zone,
      sendAt: sendAt.toISOString(),
      status: 'pending',
      attempts: 0,
      providerId: null,
      error: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      sentAt: null,
    };
    tx.putSmsMessage(created);
    return created;
  });
  if (record.status !== 'pending') return record;
  await scheduleSend(deps, record.key, Date.parse(record.sendAt), 0);
  return record;
}

async function scheduleSend(deps: SmsDeps, key: string, at: number, hop: number): Promise<void> {
  const now = deps.clock.now().getTime();
  const payload: SendSmsTask = { key, hop };
  await deps.tasks.schedule({
    name: smsTaskName(key, hop),
    at: new Date(Math.min(at, now + QUEUE_HORIZON_MS)),
    payload: { ...payload },
  });
}

async function plan(deps: SmsDeps, message: PlannedMessage): Promise<void> {
  const { to, ...rest } = message;
  if (!to) return;
  await enqueue(deps, { ...rest, to: to.phone, language: to.language });
}

/**
 * Where a visit's messages go: to the phone that booked it by text, which is that booking's contact
 * (the person's own phone gets a notice instead); otherwise to the person's own phone.
 */
function recipientOf(patient: Patient, appointment: Appointment | null): Recipient | null {
  const booker = appointment?.unverifiedBooking;
  if (booker) return { phone: booker.phone, language: booker.language };
  return patient.phone ? { phone: patient.phone, language: patient.language } : null;
}

/**
 * The notice to a person's own phone that a visit was booked for them by text from another phone,
 * so that someone who did not ask for it can say so; none when the person has no phone of their own
 * or booked from it.
 */
function noticeOf(deps: SmsDeps, patient: Patient, first: Appointment, centre: Centre): PlannedMessage | null {
  const booker = first.unverifiedBooking;
  if (!booker || !patient.phone || patient.phone === booker.phone) return null;
  return {
    key: `booked_by_text:${first.bookingId}`,
    purpose: 'booked_by_text',
    patientId: patient.id,
    to: { phone: patient.phone, language: patient.language },
    template: { kind: 'booked_by_text', bookedBy: maskPhone(booker.phone), contact: deps.smsSettings.contact },
    // Told even when the visit is cancelled before it goes: someone used the person's PESEL.
    validWhile: [],
    zone: centre.timeZone,
    sendAt: deps.clock.now(),
  };
}

/** The reminder of an appointment at its current version; none when the visit is too close. */
function reminderOf(deps: SmsDeps, patient: Patient, appointment: Appointment, centre: Centre): PlannedMessage | null {
  const at = reminderMoment(appointment.start, centre.timeZone, deps.clock.now(), {
    localTime: deps.smsSettings.reminderLocalTime,
  });
  // A reminder due within hours of the confirmation (booked the evening before) would only repeat it.
  if (!at || at.getTime() - deps.clock.now().getTime() < REMINDER_AFTER_CONFIRMATION_MS) return null;
  return {
    key: `reminder:${appointment.id}:${appointment.version}`,
    purpose: 'reminder',
    patientId: patient.id,
    to: recipientOf(patient, appointment),
    template: {
      kind: 'reminder',
      visit: visitOf(appointment, centre),
      reference: appointment.reference,
      contact: deps.smsSettings.contact,
    },
    validWhile: [{ appointmentId: appointment.id, version: appointment.version }],
    zone: centre.timeZone,
    sendAt: at,
  };
}

/** The reminder planned for an earlier version of an appointment is dropped: its visit changed. */
async function dropReminder(deps: SmsDeps, appointmentId: string, version: number, why: string): Promise<void> {
  if (version < 1) return;
  const key = `reminder:${appointmentId}:${version}`;
  const now = deps.clock.now();
  await deps.store.runInTransaction(async (tx) => {
    const record = await tx.getSmsMessage(key);
    if (record && (record.status === 'pending' || record.status === 'retrying')) {
      tx.putSmsMessage({ ...record, status: 'skipped', error: why, updatedAt: now.toISOString() });
      tx.addEvent(outcomeOf(deps, record, 'skipped', PLANNER, now));
    }
  });
  await deps.tasks.cancel(smsTaskName(key));
}

async function bookingOf(deps: SmsDeps, patientId: string, bookingId: string): Promise<Appointment[]> {
  const all = await deps.store.listAppointmentsOfPatient(patientId);
  return all.filter((a) => a.bookingId === bookingId && a.status === 'booked').sort((a, b) => a.dose - b.dose);
}

async function context(deps: SmsDeps, patientId: string, centreId: string) {
  const [patient, centre] = await Promise.all([deps.store.getPatient(patientId), deps.store.getCentre(centreId)]);
  return patient && centre ? { patient, centre } : null;
}

/**
 * A message listing a booking's visits as they are now, true while each stays as it is; sent where
 * `about`'s messages go. A phone that booked by text hears only of the visits it booked, not of one
 * the person has since taken over.
 */
async function aboutVisits(
  deps: SmsDeps,
  key: string,
  kind: 'booked' | 'later_dose' | 'moved',
  ctx: { patient: Patient; centre: Centre },
  about: Appointment,
  booking: Appointment[],
): Promise<PlannedMessage> {
  const booker = about.unverifiedBooking;
  const mine = booker ? booking.filter((a) => a.unverifiedBooking?.phone === booker.phone) : booking;
  const centres = await centresOf(deps, mine);
  const visits = mine.filter((a) => centres.has(a.centreId));
  return {
    key,
    purpose: kind,
    patientId: ctx.patient.id,
    to: recipientOf(ctx.patient, about),
    template: {
      kind,
      // Each visit with its own centre: moving one dose elsewhere leaves the other where it was.
      visits: visits.map((a) => visitOf(a, centres.get(a.centreId) as Centre)),
      reference: about.reference,
      contact: deps.smsSettings.contact,
    },
    validWhile: visits.map((a) => ({ appointmentId: a.id, version: a.version })),
    zone: ctx.centre.timeZone,
    sendAt: deps.clock.now(),
  };
}

/** A cancellation the centre caused (its day closed, its hours changed): the patient is offered other times. */
const offersOtherTimes = (code: CancellationCode | undefined): boolean =>
  code === 'day_cancelled' || code === 'capacity_removed';

/** The address in the patients' app that opens the booking of a slot (after logging in). */
export function bookingLink(web: string, slotId: string): string {
  return `${web.trim().replace(/\/+$/, '')}/book/${encodeURIComponent(slotId)}`;
}

const slotOf = (slot: RebookSlot) => {
  const [date, time] = slot.localStart.split('T') as [string, string];
  return {
    date,
    time: time.slice(0, 5),
    centre: { name: slot.centre.name, street: slot.centre.address.street, city: slot.centre.address.city },
  };
};

/**
 * The other times a cancellation offers: the soonest free slots for the same dose and product at the
 * centre or nearby (two; one in Ukrainian, whose messages are short), with a link to book the first in
 * the app. A phone that booked the visit by text is offered the first to answer YES or NO to instead,
 * in the SMS dialogue's conversation (YES books it, NO brings the next one).
 */
async function otherTimes(
  deps: SmsDeps,
  cancelled: { patientId: string; vaccineId: string; dose: number },
  ctx: { patient: Patient; centre: Centre },
  to: Recipient,
  visit: Appointment | null,
): Promise<{
  rebook: SmsRebook;
  conversation?: { session: Omit<SmsSession, 'expiresAt' | 'updatedAt'>; otherwise: SmsRebook };
} | null> {
  const slots = await soonestSlotsInstead(deps, deps.centres, cancelled, ctx.centre, to.language === 'uk' ? 1 : 2);
  const first = slots[0];
  if (!first) return null;
  const web = deps.smsSettings.contact.web?.trim() || null;
  const link: SmsRebook = {
    kind: 'link',
    slots: slots.map(slotOf),
    link: web === null ? null : bookingLink(web, first.slotId),
  };
  const booker = visit?.unverifiedBooking;
  if (!booker || booker.phone !== to.phone) return { rebook: link };
  return {
    rebook: { kind: 'reply', slot: slotOf(first) },
    conversation: {
      session: {
        phone: booker.phone,
        language: booker.language,
        pesel: ctx.patient.pesel,
        postalCode: ctx.centre.address.postalCode,
        offeredSlotId: first.slotId,
        declinedSlotIds: [],
      },
      otherwise: link,
    },
  };
}

/**
 * Works out the text messages an event calls for — confirmation of a booking (both doses when
 * booked together), of a later dose, of a move or a cancellation, and the reminders the day before —
 * and puts them in the ledger with their tasks. Run after commit, at least once per event: every
 * message has a key, so running again plans nothing new.
 */
export async function planMessagesFor(deps: SmsDeps, event: DomainEvent): Promise<void> {
  const now = deps.clock.now();
  switch (event.type) {
    case 'appointment.booked': {
      const d = event.data;
      const ctx = await context(deps, d.patientId, d.centreId);
      if (!ctx) return;
      const visits = await bookingOf(deps, ctx.patient.id, d.bookingId);
      const self = visits.find((a) => a.id === d.appointmentId);
      if (!self) return; // cancelled since: its own message tells
      const first = visits[0] as Appointment;
      const kind = first.dose === 1 || visits.length > 1 ? 'booked' : 'later_dose';
      await plan(deps, await aboutVisits(deps, `booked:${d.bookingId}`, kind, ctx, first, visits));
      const notice = noticeOf(deps, ctx.patient, first, ctx.centre);
      if (notice) await plan(deps, notice);
      // The visit as it is now: moved since the booking, its reminder names where it went.
      const at = self.centreId === ctx.centre.id ? ctx.centre : await deps.store.getCentre(self.centreId);
      const reminder = at ? reminderOf(deps, ctx.patient, self, at) : null;
      if (reminder) await plan(deps, reminder);
      return;
    }
    case 'booking.confirmation_resent': {
      // The booking's confirmation as it stands now, once more: keyed by the event, so a second
      // request sends again while a redelivered event does not.
      const d = event.data;
      const ctx = await context(deps, d.patientId, d.centreId);
      if (!ctx) return;
      const visits = await bookingOf(deps, ctx.patient.id, d.bookingId);
      const first = visits[0];
      if (!first) return;
      const kind = first.dose === 1 || visits.length > 1 ? 'booked' : 'later_dose';
      await plan(deps, await aboutVisits(deps, `resent:${d.bookingId}:${event.id}`, kind, ctx, first, visits));
      return;
    }
    case 'appointment.rescheduled': {
      const d = event.data;
      const appointment = await deps.store.getAppointment(d.appointmentId);
      await dropReminder(deps, d.appointmentId, d.version - 1, 'the visit was moved');
      if (appointment?.status !== 'booked' || appointment.version !== d.version) return;
      const ctx = await context(deps, appointment.patientId, appointment.centreId);
      if (!ctx) return;
      const visits = await bookingOf(deps, appointment.patientId, appointment.bookingId);
      // A later dose moved along with an earlier one in the same change is told in that one's message.
      const movedWith = visits.some(
        (a) => a.dose < appointment.dose && a.updatedAt === appointment.updatedAt && a.id !== appointment.id,
      );
      if (!movedWith) {
        const moved = await aboutVisits(
          deps,
          `moved:${appointment.id}:${appointment.version}`,
          'moved',
          ctx,
          appointment,
          visits,
        );
        await plan(deps, moved);
      }
      const reminder = reminderOf(deps, ctx.patient, appointment, ctx.centre);
      if (reminder) await plan(deps, reminder);
      return;
    }
    case 'appointment.cancelled': {
      const d = event.data;
      await dropReminder(deps, d.appointmentId, d.version - 1, 'the visit was cancelled');
      // A later dose cancelled with an earlier one is told in that one's message; one cancelled because
      // the earlier dose was not given has no such message, so it is told on its own.
      if (d.cascade && d.reasonCode !== 'dose_missed') return;
      const ctx = await context(deps, d.patientId, d.centreId);
      if (!ctx) return;
      const all = await deps.store.listAppointmentsOfPatient(ctx.patient.id);
      const cancelled = all.find((a) => a.id === d.appointmentId) ?? null;
      const laterDosesToo = all.some(
        (a) =>
          a.bookingId === d.bookingId &&
          a.status === 'cancelled' &&
          a.dose > d.dose &&
          a.cancellation?.at === event.occurredAt,
      );
      const to = recipientOf(ctx.patient, cancelled);
      const template: Extract<SmsTemplateInput, { kind: 'cancelled' }> = {
        kind: 'cancelled',
        visit: visitOf(d, ctx.centre),
        reason: smsReasonOf(event),
        laterDosesToo,
        contact: deps.smsSettings.contact,
      };
      const offer = to && offersOtherTimes(d.reasonCode) ? await otherTimes(deps, d, ctx, to, cancelled) : null;
      await plan(deps, {
        key: `cancelled:${d.appointmentId}:${d.version}`,
        purpose: 'cancelled',
        patientId: ctx.patient.id,
        to,
        template: { ...template, rebook: offer?.rebook ?? null },
        validWhile: [],
        zone: ctx.centre.timeZone,
        sendAt: now,
        ...(offer?.conversation
          ? {
              conversation: { ...offer.conversation, otherwise: { ...template, rebook: offer.conversation.otherwise } },
            }
          : {}),
      });
      return;
    }
    // A day cancelled reaches its patients through the appointment.cancelled events it causes.
    case 'appointment.checked_in':
    case 'appointment.completed':
    case 'appointment.no_show':
    case 'appointment.not_given':
    case 'vaccination.corrected':
    case 'centre.day_closed':
    case 'patient.registered':
    case 'patient.registered.v2':
    case 'patient.contact_changed':
    case 'referral.issued':
    case 'schedule.changed':
    case 'slots.published':
    case 'centre.day_cancelled':
    case 'centre.onboarded':
    // A closing's cancelled visits reach their patients through their appointment.cancelled events.
    case 'centre.suspended':
    case 'centre.resumed':
    case 'centre.closed':
    case 'vaccine.changed':
    case 'eligibility.rule_added':
    case 'policy.change_proposed':
    case 'policy.change_approved':
    case 'policy.change_rejected':
    case 'policy.change_withdrawn':
    case 'eligibility.rule_paused':
    case 'eligibility.rule_resumed':
    case 'eligibility.rule_cancelled':
    case 'batch.added':
    case 'batch.depleted':
    case 'dose.wasted':
    case 'staff.added':
    case 'staff.removed':
    case 'staff.role_changed':
    case 'group.referrals_uploaded':
    case 'patient.groups_changed':
    case 'announcement.published':
    case 'announcement.changed':
    case 'hotline.looked_up':
    case 'hotline.field_revealed':
    case 'hotline.alert_raised':
    case 'hotline.alert_acknowledged':
    case 'hotline.watch_list_changed':
    case 'hotline.review_queued':
    case 'hotline.review_decided':
    // What became of a message calls for no other.
    case 'sms.status_changed':
    // The waiting room: a join and an expiry tell nobody.
    case 'queue.joined':
    case 'queue.expired':
    // The standby list: a join or a take by text is answered in the reply, a take in the app by the
    // visit's confirmation; a place noted, passed on or released tells nobody.
    case 'standby.joined':
    case 'standby.changed':
    case 'standby.left':
    case 'standby.paused':
    case 'standby.vacancy_noted':
    case 'standby.taken':
    case 'standby.declined':
    case 'standby.released':
    case 'standby.withdrawn':
      return;
    // The standby list
    case 'standby.offered': {
      const d = event.data;
      const offer = await deps.store.getStandbyOffer(d.offerId);
      const entry = await deps.store.getStandbyEntry(d.patientId);
      const centre = await deps.store.getCentre(d.centreId);
      if (!offer?.phone || !entry || !centre) return;
      await plan(deps, {
        key: `standby_offer:${d.offerId}`,
        purpose: 'standby_offer',
        patientId: d.patientId,
        to: { phone: offer.phone, language: entry.language },
        template: {
          kind: 'standby_offer',
          ...localOf(d.start, centre.timeZone),
          centre: centreOf(centre),
          until: localOf(d.expiresAt, centre.timeZone).time,
          contact: deps.smsSettings.contact,
        },
        validWhile: [],
        // Sent at once: the place is held only minutes (the matcher makes no offer in the quiet hours).
        zone: null,
        sendAt: now,
      });
      return;
    }
    case 'standby.expired': {
      const d = event.data;
      const offer = await deps.store.getStandbyOffer(d.offerId);
      const entry = await deps.store.getStandbyEntry(d.patientId);
      if (!offer?.phone || !entry) return;
      const paused = d.paused;
      await plan(deps, {
        key: `${paused ? 'standby_paused' : 'standby_expired'}:${d.offerId}`,
        purpose: paused ? 'standby_paused' : 'standby_expired',
        patientId: d.patientId,
        to: { phone: offer.phone, language: entry.language },
        template: paused
          ? {
              kind: 'standby_paused',
              offers: deps.settings.standby.silentOffersBeforePause,
              contact: deps.smsSettings.contact,
            }
          : { kind: 'standby_expired', contact: deps.smsSettings.contact },
        validWhile: [],
        zone: null,
        sendAt: now,
      });
      return;
    }
    // The waiting room
    case 'queue.admitted': {
      // Those who asked for a text when their turn came, among the positions this tick admitted.
      const d = event.data;
      const tickets = await deps.store.listQueueTicketsByPosition(d.roomId, d.from, d.through);
      for (const ticket of tickets) {
        if (!ticket.smsWhenTurn || ticket.status !== 'admitted' || ticket.admittedAt !== event.occurredAt) continue;
        const patient = await deps.store.getPatient(ticket.patientId);
        if (!patient?.phone) continue;
        await plan(deps, {
          key: `queue_turn:${d.roomId}:${ticket.patientId}`,
          purpose: 'queue_turn',
          patientId: patient.id,
          to: { phone: patient.phone, language: patient.language },
          template: {
            kind: 'queue_turn',
            minutes: deps.settings.queueAdmittedMinutes,
            contact: deps.smsSettings.contact,
          },
          validWhile: [],
          // Sent at once whatever the hour: the person asked for it and the place waits only minutes.
          zone: null,
          sendAt: now,
        });
      }
      return;
    }
    default:
      return unhandledEvent(event);
  }
}

/** The event consumer that plans text messages (locally on the outbox dispatcher, in the cloud on Pub/Sub). */
export class SmsPlanner implements EventConsumer {
  readonly name = 'sms';
  private readonly deps: SmsDeps;

  constructor(deps: SmsDeps) {
    this.deps = deps;
  }

  handle(event: DomainEvent): Promise<void> {
    return planMessagesFor(this.deps, event);
  }
}

/** Queues a reply to someone who texted us: sent at once, whatever the hour (they are waiting for it). */
export async function queueReply(
  deps: SmsDeps,
  reply: { key: string; to: string; language: Language; template: SmsTemplateInput; patientId: string | null },
): Promise<SmsRecord> {
  return enqueue(deps, {
    patientId: reply.patientId,
    key: reply.key,
    purpose: 'reply',
    template: reply.template,
    validWhile: [],
    zone: null,
    sendAt: deps.clock.now(),
    to: reply.to,
    language: reply.language,
  });
}

export type DeliveryOutcome = 'sent' | 'rejected' | 'skipped' | 'postponed' | 'already_handled' | 'unknown_key';

type Decision =
  | { kind: 'unknown_key' }
  | { kind: 'already_handled' }
  | { kind: 'postpone'; at: number }
  | { kind: 'skipped' }
  | { kind: 'send'; record: SmsRecord };

/**
 * Sends one message of the ledger when its task fires, at most once. Checked first against the
 * appointments it speaks of (a cancelled or moved visit gets no reminder), its time (not early, not
 * in quiet hours) and its status (handed to the provider once: a claimed message is never sent
 * again). A provider failure on its side is recorded and thrown, so the queue tries the task again
 * with backoff; a refusal for good is recorded and ends the task.
 */
export async function deliverMessage(deps: SmsDeps, task: SendSmsTask): Promise<DeliveryOutcome> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const decision = await deps.store.runInTransaction(async (tx): Promise<Decision> => {
    const record = await tx.getSmsMessage(task.key);
    if (!record) return { kind: 'unknown_key' };
    if (FINAL.includes(record.status)) return { kind: 'already_handled' };
    const appointments = await Promise.all(record.validWhile.map((v) => tx.getAppointment(v.appointmentId)));
    if (Date.parse(record.sendAt) > now.getTime() + EARLY_MS)
      return { kind: 'postpone', at: Date.parse(record.sendAt) };
    if (record.quietZone && isQuietTime(now, record.quietZone)) {
      const later = outOfQuietHours(now, record.quietZone);
      tx.putSmsMessage({ ...record, sendAt: later.toISOString(), updatedAt: at });
      return { kind: 'postpone', at: later.getTime() };
    }
    const stale = record.validWhile.some((v, i) => {
      const appointment = appointments[i];
      return appointment?.status !== 'booked' || appointment.version !== v.version;
    });
    if (stale) {
      tx.putSmsMessage({ ...record, status: 'skipped', error: 'the visit was cancelled or moved', updatedAt: at });
      tx.addEvent(outcomeOf(deps, record, 'skipped', SENDER, now));
      return { kind: 'skipped' };
    }
    const claimed: SmsRecord = { ...record, status: 'sending', attempts: record.attempts + 1, updatedAt: at };
    tx.putSmsMessage(claimed);
    return { kind: 'send', record: claimed };
  });
  if (decision.kind === 'unknown_key' || decision.kind === 'already_handled' || decision.kind === 'skipped') {
    return decision.kind;
  }
  if (decision.kind === 'postpone') {
    await scheduleSend(deps, task.key, decision.at, (task.hop ?? 0) + 1);
    return 'postponed';
  }
  const { record } = decision;
  try {
    const { providerId } = await deps.sms.send({ key: record.key, to: record.to, body: record.body });
    await settle(deps, record.key, { status: 'sent', providerId });
    return 'sent';
  } catch (error) {
    if (isSmsRejected(error)) {
      await settle(deps, record.key, { status: 'rejected', error: error.message });
      return 'rejected';
    }
    // Unavailable, or an error nobody classified: the provider did not take it, so it may go again.
    const message = error instanceof Error ? error.message : String(error);
    await settle(deps, record.key, { status: 'retrying', error: message });
    if (isSmsUnavailable(error)) throw error;
    throw new Error(`Sending ${record.key} failed: ${message}`, { cause: error });
  }
}

/** What the provider answered when a claimed message was handed to it. */
type ProviderAnswer = { status: 'sent'; providerId: string } | { status: 'rejected' | 'retrying'; error: string };

/**
 * Records the provider's answer to a claimed message, with its event when the answer is an outcome.
 * A delivery report may have come before the answer (it marks the message accepted, `sentAt`): the
 * report's status stands, and the acceptance it already told is not told again.
 */
async function settle(deps: SmsDeps, key: string, answer: ProviderAnswer): Promise<void> {
  const told = await deps.store.runInTransaction(async (tx) => {
    const record = await tx.getSmsMessage(key);
    if (!record) return null;
    const now = deps.clock.now();
    const at = now.toISOString();
    if (record.sentAt !== null) {
      // Reported on already: accepted, whatever the answer (a timeout after the provider took it).
      if (answer.status === 'sent') tx.putSmsMessage({ ...record, providerId: answer.providerId, updatedAt: at });
      return null;
    }
    if (answer.status === 'sent') {
      tx.putSmsMessage({
        ...record,
        status: 'sent',
        providerId: answer.providerId,
        error: null,
        sentAt: at,
        updatedAt: at,
      });
      tx.addEvent(outcomeOf(deps, record, 'sent', SENDER, now));
      return 'sent';
    }
    tx.putSmsMessage({ ...record, status: answer.status, error: answer.error, updatedAt: at });
    if (answer.status === 'rejected') tx.addEvent(outcomeOf(deps, record, 'rejected', SENDER, now));
    // Refused by the provider: the message failed; one to be retried has no outcome yet.
    return answer.status === 'rejected' ? 'failed' : null;
  });
  if (told) deps.telemetry?.smsOutcome(told);
}

/** The provider's delivery report for a message (Twilio's status callback), mapped to the ledger. */
export interface DeliveryReport {
  key: string;
  providerId: string | null;
  /** The provider's word: queued, sending, sent, delivered, undelivered, failed, … */
  status: string;
  errorCode: string | null;
}

const REPORTED: Record<string, Extract<SmsOutcome, 'sent' | 'delivered' | 'undelivered' | 'failed'>> = {
  accepted: 'sent',
  queued: 'sent',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
};

/**
 * Order of states a report moves a message along, only ever forward: a late "sent" never undoes
 * "delivered", and the first final word stands. A message refused or skipped was never handed over:
 * no report moves it.
 */
const RANK: Partial<Record<SmsStatus, number>> = {
  sending: 0,
  retrying: 0,
  sent: 1,
  delivered: 2,
  undelivered: 2,
  failed: 2,
  rejected: 2,
  skipped: 2,
};

/**
 * Records a delivery report, with the events of what it tells: that the provider accepted the message
 * (when its answer has not told it yet) and the report's final word. An unknown key is a 404; a report
 * that would not move a message forward (a duplicate, a late one, one after the final word) changes
 * nothing, so a report delivered twice writes its events once.
 */
export async function recordDeliveryReport(deps: Deps, report: DeliveryReport): Promise<SmsRecord> {
  const status = REPORTED[report.status.toLowerCase()];
  let told: Array<'sent' | 'delivered' | 'undelivered' | 'failed'> = [];
  const recorded = await deps.store.runInTransaction(async (tx) => {
    told = [];
    const record = await tx.getSmsMessage(report.key);
    if (!record) throw notFound('SMS_NOT_FOUND', 'There is no message with this key.', 'messageKey');
    if (!status || (RANK[status] ?? 0) <= (RANK[record.status] ?? -1)) return record;
    const now = deps.clock.now();
    const updated: SmsRecord = {
      ...record,
      status,
      providerId: record.providerId ?? report.providerId,
      error: report.errorCode ? `provider error ${report.errorCode}` : record.error,
      updatedAt: now.toISOString(),
      sentAt: record.sentAt ?? now.toISOString(),
    };
    tx.putSmsMessage(updated);
    if (record.sentAt === null) {
      tx.addEvent(outcomeOf(deps, updated, 'sent', DELIVERY_REPORTS, now));
      told.push('sent');
    }
    if (status !== 'sent') {
      tx.addEvent(outcomeOf(deps, updated, status, DELIVERY_REPORTS, now));
      told.push(status);
    }
    return updated;
  });
  for (const outcome of told) deps.telemetry?.smsOutcome(outcome);
  return recorded;
}
