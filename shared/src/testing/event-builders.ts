import { type DomainEvent, EVENT_TYPES, type EventData, type EventOf, type EventType, makeEvent } from '../events.ts';
import type { Actor } from '../model.ts';

const SCHEDULE: EventData<'schedule.changed'>['schedule'] = {
  weekly: { days: { mon: [{ from: '08:00', to: '16:00' }] }, slotMinutes: 15, capacity: { comirnaty: 4 } },
  closedDates: [],
  extraHours: [],
};

/** A complete, plausible payload of every event type: a new type does not compile until it has one. */
// The standby list
const STANDBY_ENTRY: EventData<'standby.joined'> = {
  patientId: 'pat-1',
  sequence: 7,
  channel: 'web',
  dose: 1,
  from: '2026-03-02',
  to: '2026-03-20',
  maxKm: 25,
  vaccineIds: null,
};
const STANDBY_OFFER: EventData<'standby.declined'> = {
  offerId: 'sbo-1',
  patientId: 'pat-1',
  slotId: 'slt-1',
  centreId: 'ctr-1',
  vaccineId: 'comirnaty',
  start: '2026-03-02T09:00:00.000Z',
  localDate: '2026-03-02',
  dose: 1,
  placeReason: 'freed',
};

const EXAMPLE_DATA: { [T in EventType]: EventData<T> } = {
  'patient.registered': { patientId: 'pat-1', birthDate: '1950-04-02', sex: 'female' },
  'patient.registered.v2': { patientId: 'pat-1', birthYear: 1950, sex: 'female' },
  'patient.contact_changed': { patientId: 'pat-1', hasPhone: true, language: 'pl' },
  'referral.issued': {
    id: 'ref-1',
    patientId: 'pat-1',
    ruleId: 'born-1950-from-2026-03-01',
    issuedAt: '2026-03-02T08:00:00.000Z',
    validUntil: '2026-05-31T22:00:00.000Z',
  },
  'appointment.booked': {
    appointmentId: 'apt-1',
    bookingId: 'bkg-1',
    patientId: 'pat-1',
    centreId: 'ctr-1',
    slotId: 'slt-1',
    vaccineId: 'comirnaty',
    dose: 1,
    start: '2026-03-10T08:15:00.000Z',
    localDate: '2026-03-10',
    version: 1,
    autoBooked: false,
  },
  'appointment.cancelled': {
    appointmentId: 'apt-1',
    bookingId: 'bkg-1',
    patientId: 'pat-1',
    centreId: 'ctr-1',
    slotId: 'slt-1',
    vaccineId: 'comirnaty',
    dose: 1,
    start: '2026-03-10T08:15:00.000Z',
    localDate: '2026-03-10',
    version: 2,
    reason: 'Cancelled by the patient.',
    reasonCode: 'requested',
    cascade: false,
  },
  'appointment.rescheduled': {
    appointmentId: 'apt-1',
    bookingId: 'bkg-1',
    patientId: 'pat-1',
    vaccineId: 'comirnaty',
    dose: 1,
    version: 2,
    from: { centreId: 'ctr-1', slotId: 'slt-1', start: '2026-03-10T08:15:00.000Z', localDate: '2026-03-10' },
    to: { centreId: 'ctr-2', slotId: 'slt-9', start: '2026-03-12T09:00:00.000Z', localDate: '2026-03-12' },
  },
  'appointment.checked_in': { appointmentId: 'apt-1', patientId: 'pat-1', centreId: 'ctr-1' },
  'appointment.completed': {
    appointmentId: 'apt-1',
    patientId: 'pat-1',
    centreId: 'ctr-1',
    slotId: 'slt-1',
    vaccineId: 'spikevax',
    dose: 1,
    lot: 'LOT-42',
    start: '2026-03-10T08:15:00.000Z',
    localDate: '2026-03-10',
    at: '2026-03-10T08:20:00.000Z',
  },
  'appointment.no_show': {
    appointmentId: 'apt-1',
    patientId: 'pat-1',
    centreId: 'ctr-1',
    slotId: 'slt-1',
    vaccineId: 'comirnaty',
    dose: 1,
    start: '2026-03-10T08:15:00.000Z',
    localDate: '2026-03-10',
  },
  'appointment.not_given': {
    appointmentId: 'apt-1',
    patientId: 'pat-1',
    centreId: 'ctr-1',
    slotId: 'slt-1',
    vaccineId: 'comirnaty',
    dose: 1,
    start: '2026-03-10T08:15:00.000Z',
    localDate: '2026-03-10',
    reasonCode: 'unwell',
  },
  'vaccination.corrected': {
    appointmentId: 'apt-1',
    patientId: 'pat-1',
    centreId: 'ctr-1',
    slotId: 'slt-1',
    vaccineId: 'spikevax',
    dose: 1,
    lot: 'LOT-43',
    start: '2026-03-10T08:15:00.000Z',
    localDate: '2026-03-10',
    at: '2026-03-10T08:20:00.000Z',
    batchId: 'bat-2',
    site: 'left_deltoid',
    previousBatchId: 'bat-1',
  },
  'schedule.changed': { centreId: 'ctr-1', schedule: SCHEDULE },
  'slots.published': {
    centreId: 'ctr-1',
    date: '2026-03-10',
    created: 32,
    resized: 0,
    removed: 0,
    cancelledAppointments: 0,
    capacity: 128,
  },
  'centre.day_cancelled': { centreId: 'ctr-1', date: '2026-03-10', reason: 'Power cut.' },
  'centre.day_closed': { centreId: 'ctr-1', date: '2026-03-10', noShows: 3, checkedInNotRecorded: 1 },
  'centre.onboarded': { centreId: 'ctr-1', name: 'Punkt Szczepień Mokotów', voivodeship: 'mazowieckie', staff: 2 },
  'centre.suspended': { centreId: 'ctr-1', reason: 'Inspection of the cold chain' },
  'centre.resumed': { centreId: 'ctr-1' },
  'centre.closed': { centreId: 'ctr-1', from: '2026-03-10', reason: 'The building is handed back', cancelled: 3 },
  'vaccine.changed': { vaccineId: 'comirnaty', added: false, withdrawn: false, affected: 2 },
  'eligibility.rule_added': {
    id: 'born-1950-from-2026-03-01',
    kind: 'birthYear',
    bornInOrBefore: 1950,
    from: '2026-03-01',
    description: 'Born in 1950 or before',
  },
  'policy.change_proposed': { changeId: 'pch-1', action: 'open', ruleIds: ['born-1951-at-2026-03-01T1900Z'] },
  'policy.change_approved': {
    changeId: 'pch-1',
    action: 'open',
    version: 2,
    ruleIds: ['born-1950-from-2026-03-01', 'born-1951-at-2026-03-01T1900Z'],
  },
  'policy.change_rejected': { changeId: 'pch-1', action: 'open' },
  'policy.change_withdrawn': { changeId: 'pch-1', action: 'open' },
  'eligibility.rule_paused': { ruleId: 'born-1951-at-2026-03-01T1900Z', version: 3 },
  'eligibility.rule_resumed': { ruleId: 'born-1951-at-2026-03-01T1900Z', version: 4, changeId: 'pch-2' },
  'eligibility.rule_cancelled': {
    ruleId: 'born-1951-at-2026-03-01T1900Z',
    version: 5,
    changeId: 'pch-3',
    opened: true,
  },
  'batch.added': {
    batchId: 'bat-1',
    centreId: 'ctr-1',
    vaccineId: 'comirnaty',
    number: 'FK1234',
    expiry: '2026-04-30',
    doses: 600,
  },
  'batch.depleted': { batchId: 'bat-1', centreId: 'ctr-1', vaccineId: 'comirnaty', cause: 'used_up' },
  'dose.wasted': {
    batchId: 'bat-1',
    centreId: 'ctr-1',
    vaccineId: 'comirnaty',
    count: 2,
    reasonCode: 'other',
    note: 'Vial dropped by the patient',
  },
  'staff.added': { centreId: 'ctr-1', staffId: 'stf-2', role: 'staff' },
  'staff.removed': { centreId: 'ctr-1', staffId: 'stf-2', role: 'staff' },
  'staff.role_changed': { centreId: 'ctr-1', staffId: 'stf-2', from: 'staff', to: 'centre-manager' },
  'group.referrals_uploaded': { uploadId: 'upl-1', rows: 3, accepted: 2, rejected: 1, groups: ['medical'] },
  'patient.groups_changed': { patientId: 'pat-1', groups: ['medical'] },
  'announcement.published': {
    announcementId: 'ann-1',
    from: '2026-03-01T08:00:00.000Z',
    until: '2026-03-08T08:00:00.000Z',
  },
  'announcement.changed': {
    announcementId: 'ann-1',
    from: '2026-03-01T08:00:00.000Z',
    until: '2026-03-02T08:00:00.000Z',
  },
  'hotline.looked_up': { by: 'pesel', reasonCode: 'caller-booking', found: 1 },
  'hotline.field_revealed': { patientId: 'pat-1', field: 'phone' },
  'hotline.alert_raised': { alertId: 'alr-1', kind: 'lookup_budget', agentId: 'agt-1', patientId: null, count: 61 },
  'hotline.alert_acknowledged': { alertId: 'alr-1', kind: 'lookup_budget' },
  'hotline.watch_list_changed': { entryId: 'wl-1', change: 'added' },
  'hotline.review_queued': { reviewId: 'aud-1', date: '2026-03-01', agentId: 'agt-1' },
  'hotline.review_decided': { reviewId: 'aud-1', outcome: 'justified' },
  'booking.confirmation_resent': { bookingId: 'bkg-1', patientId: 'pat-1', centreId: 'ctr-1', appointmentId: 'apt-1' },
  'sms.status_changed': { purpose: 'reminder', status: 'delivered', attempts: 1, language: 'pl' },
  // The waiting room
  'queue.joined': { roomId: 'born-1950', patientId: 'pat-1', early: true },
  'queue.admitted': { roomId: 'born-1950', from: 1, through: 40, count: 38 },
  'queue.expired': { roomId: 'born-1950', count: 2, positions: [3, 17] },
  // The standby list
  'standby.joined': STANDBY_ENTRY,
  'standby.changed': { ...STANDBY_ENTRY, maxKm: 40 },
  'standby.left': { patientId: 'pat-1', sequence: 7, cause: 'left' },
  'standby.paused': { patientId: 'pat-1', sequence: 7, silentOffers: 2 },
  'standby.vacancy_noted': {
    slotId: 'slt-1',
    centreId: 'ctr-1',
    vaccineId: 'comirnaty',
    localDate: '2026-03-02',
    placeReason: 'freed',
  },
  'standby.offered': { ...STANDBY_OFFER, expiresAt: '2026-03-02T08:15:00.000Z', texted: true, handedOverFrom: null },
  'standby.taken': { ...STANDBY_OFFER, appointmentIds: ['apt-1', 'apt-2'] },
  'standby.declined': STANDBY_OFFER,
  'standby.expired': { ...STANDBY_OFFER, paused: false },
  'standby.released': STANDBY_OFFER,
  'standby.withdrawn': STANDBY_OFFER,
};

const AT = new Date('2026-03-02T08:00:00.000Z');
const SYSTEM: Actor = { role: 'system', id: 'login' };
const PATIENT: Actor = { role: 'patient', id: 'pat-1' };
const STAFF: Actor = { role: 'staff', id: 'stf-1' };
const ADMIN: Actor = { role: 'admin', id: 'adm-1' };
const AGENT: Actor = { role: 'agent', id: 'agt-1' };
const SUPERVISOR: Actor = { role: 'supervisor', id: 'sup-1' };
const SMS_PROVIDER: Actor = { role: 'system', id: 'sms-delivery-report' };

function example<T extends EventType>(type: T, actor: Actor, subjectId: string): EventOf<T> {
  return makeEvent(`evt-${type}`, type, AT, actor, subjectId, EXAMPLE_DATA[type]);
}

const EXAMPLES: { [T in EventType]: EventOf<T> } = {
  'patient.registered': example('patient.registered', SYSTEM, 'pat-1'),
  'patient.registered.v2': example('patient.registered.v2', SYSTEM, 'pat-1'),
  'patient.contact_changed': example('patient.contact_changed', PATIENT, 'pat-1'),
  'referral.issued': example('referral.issued', PATIENT, 'pat-1'),
  'appointment.booked': example('appointment.booked', PATIENT, 'apt-1'),
  'appointment.cancelled': example('appointment.cancelled', PATIENT, 'apt-1'),
  'appointment.rescheduled': example('appointment.rescheduled', PATIENT, 'apt-1'),
  'appointment.checked_in': example('appointment.checked_in', STAFF, 'apt-1'),
  'appointment.completed': example('appointment.completed', STAFF, 'apt-1'),
  'appointment.no_show': example('appointment.no_show', STAFF, 'apt-1'),
  'appointment.not_given': example('appointment.not_given', STAFF, 'apt-1'),
  'vaccination.corrected': example('vaccination.corrected', STAFF, 'apt-1'),
  'schedule.changed': example('schedule.changed', STAFF, 'ctr-1'),
  'slots.published': example('slots.published', STAFF, 'ctr-1'),
  'centre.day_cancelled': example('centre.day_cancelled', STAFF, 'ctr-1'),
  'centre.day_closed': example('centre.day_closed', SYSTEM, 'ctr-1'),
  'centre.onboarded': example('centre.onboarded', ADMIN, 'ctr-1'),
  'centre.suspended': example('centre.suspended', ADMIN, 'ctr-1'),
  'centre.resumed': example('centre.resumed', ADMIN, 'ctr-1'),
  'centre.closed': example('centre.closed', ADMIN, 'ctr-1'),
  'vaccine.changed': example('vaccine.changed', ADMIN, 'comirnaty'),
  'eligibility.rule_added': example('eligibility.rule_added', ADMIN, 'born-1950-from-2026-03-01'),
  'policy.change_proposed': example('policy.change_proposed', ADMIN, 'pch-1'),
  'policy.change_approved': example('policy.change_approved', ADMIN, 'pch-1'),
  'policy.change_rejected': example('policy.change_rejected', ADMIN, 'pch-1'),
  'policy.change_withdrawn': example('policy.change_withdrawn', ADMIN, 'pch-1'),
  'eligibility.rule_paused': example('eligibility.rule_paused', ADMIN, 'born-1951-at-2026-03-01T1900Z'),
  'eligibility.rule_resumed': example('eligibility.rule_resumed', ADMIN, 'born-1951-at-2026-03-01T1900Z'),
  'eligibility.rule_cancelled': example('eligibility.rule_cancelled', ADMIN, 'born-1951-at-2026-03-01T1900Z'),
  'batch.added': example('batch.added', STAFF, 'bat-1'),
  'batch.depleted': example('batch.depleted', STAFF, 'bat-1'),
  'dose.wasted': example('dose.wasted', STAFF, 'bat-1'),
  'staff.added': example('staff.added', STAFF, 'stf-2'),
  'staff.removed': example('staff.removed', STAFF, 'stf-2'),
  'staff.role_changed': example('staff.role_changed', STAFF, 'stf-2'),
  'group.referrals_uploaded': example('group.referrals_uploaded', ADMIN, 'upl-1'),
  'patient.groups_changed': example('patient.groups_changed', ADMIN, 'pat-1'),
  'announcement.published': example('announcement.published', ADMIN, 'ann-1'),
  'announcement.changed': example('announcement.changed', ADMIN, 'ann-1'),
  'hotline.looked_up': example('hotline.looked_up', AGENT, 'agt-1'),
  'hotline.field_revealed': example('hotline.field_revealed', AGENT, 'pat-1'),
  'hotline.alert_raised': example('hotline.alert_raised', SYSTEM, 'alr-1'),
  'hotline.alert_acknowledged': example('hotline.alert_acknowledged', SUPERVISOR, 'alr-1'),
  'hotline.watch_list_changed': example('hotline.watch_list_changed', SUPERVISOR, 'wl-1'),
  'hotline.review_queued': example('hotline.review_queued', SYSTEM, 'aud-1'),
  'hotline.review_decided': example('hotline.review_decided', SUPERVISOR, 'aud-1'),
  'booking.confirmation_resent': example('booking.confirmation_resent', AGENT, 'bkg-1'),
  'sms.status_changed': example('sms.status_changed', SMS_PROVIDER, 'reminder:apt-1:1'),
  // The waiting room
  'queue.joined': example('queue.joined', PATIENT, 'pat-1'),
  'queue.admitted': example('queue.admitted', SYSTEM, 'born-1950'),
  'queue.expired': example('queue.expired', SYSTEM, 'born-1950'),
  // The standby list
  'standby.joined': example('standby.joined', PATIENT, 'pat-1'),
  'standby.changed': example('standby.changed', PATIENT, 'pat-1'),
  'standby.left': example('standby.left', PATIENT, 'pat-1'),
  'standby.paused': example('standby.paused', SYSTEM, 'pat-1'),
  'standby.vacancy_noted': example('standby.vacancy_noted', SYSTEM, 'slt-1'),
  'standby.offered': example('standby.offered', SYSTEM, 'sbo-1'),
  'standby.taken': example('standby.taken', PATIENT, 'sbo-1'),
  'standby.declined': example('standby.declined', PATIENT, 'sbo-1'),
  'standby.expired': example('standby.expired', SYSTEM, 'sbo-1'),
  'standby.released': example('standby.released', SYSTEM, 'sbo-1'),
  'standby.withdrawn': example('standby.withdrawn', SYSTEM, 'sbo-1'),
};

/**
 * An event of the given type with a complete example payload, for tests; `data` replaces fields of
 * the payload, `envelope` fields of the envelope.
 */
export function anEvent<T extends EventType>(
  type: T,
  data: Partial<EventData<T>> = {},
  envelope: Partial<Omit<EventOf<T>, 'type' | 'data'>> = {},
): EventOf<T> {
  const event: EventOf<T> = EXAMPLES[type];
  return { ...event, ...envelope, data: { ...event.data, ...data } };
}

/** One example event of every type, in the order of EVENT_TYPES. */
export function anEventOfEveryType(): DomainEvent[] {
  return EVENT_TYPES.map((type) => EXAMPLES[type]);
}

/** The instant test analytics rows say they arrived. */
export const TEST_RECEIVED_AT = '2026-03-02T08:15:02.000Z';

/**
 * What a test sink gives its rows: the country's zone, pseudonyms that show the id they stand for
 * (`ps(apt-1)`), and a clock standing at `TEST_RECEIVED_AT`.
 */
export const TEST_ANALYTICS = {
  timeZone: 'Europe/Warsaw',
  pseudonym: (id: string) => `ps(${id})`,
  clock: { now: () => new Date(TEST_RECEIVED_AT) },
  receivedAt: TEST_RECEIVED_AT,
} as const;
