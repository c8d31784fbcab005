import type { z } from 'zod';
import type { Role } from '../principal.ts';
import type { LimitClass } from '../rate-limits.ts';
import type { FunctionName } from './function-names.ts';
import { type HttpMethod, ROUTE_PATHS, type RouteName } from './route-paths.ts';
import * as S from './schemas.ts';

/**
 * One route: where it answers, who may call it, and the zod schemas of everything it reads (path
 * parameters, query, JSON body and headers), from which handlers get typed input.
 */
export interface RouteSpec {
  fn: FunctionName;
  method: HttpMethod;
  /** Path inside the function, with `:param` segments. */
  path: string;
  summary: string;
  /** Who may call it; `public` needs no token. */
  roles: readonly Role[] | 'public';
  params?: z.ZodType<Record<string, string>>;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The request headers the route reads, named as HTTP spells them (`Idempotency-Key`). */
  headers?: z.ZodObject;
  /** Status of a successful answer. */
  status?: number;
  /**
   * The rate limits that count its requests (`shared/src/rate-limits.ts`): those of the class per
   * network, and per caller (the signed-in subject; for login the person asserted).
   */
  limit?: LimitClass;
}

/** Every route of the API: the single source for routing, roles, limits, validation and the OpenAPI document. */
export const ROUTES = {
  login: {
    ...ROUTE_PATHS.login,
    limit: 'login',
    summary: 'Exchange an identity provider assertion for a session',
    body: S.LoginRequest,
  },
  loginConfig: {
    ...ROUTE_PATHS.loginConfig,
    summary: 'Where the web apps send a person to log in, and how they keep the session',
  },
  me: {
    ...ROUTE_PATHS.me,
    summary: 'Who am I; for a patient also eligibility and referral',
  },
  search: {
    ...ROUTE_PATHS.search,
    limit: 'search',
    summary: 'Soonest free slots near a postal code or coordinates',
    query: S.SearchQuery,
  },
  vaccines: {
    ...ROUTE_PATHS.vaccines,
    summary: 'The vaccine catalogue',
  },
  book: {
    ...ROUTE_PATHS.book,
    limit: 'booking',
    summary: 'Book a slot (and the course’s next dose)',
    body: S.BookRequest,
    headers: S.QueuedBookHeaders,
    status: 201,
  },
  previewBooking: {
    ...ROUTE_PATHS.previewBooking,
    limit: 'search',
    summary: 'What booking a slot would do, checked without booking: the dose, and the next dose proposed with it',
    body: S.PreviewRequest,
  },
  listAppointments: {
    ...ROUTE_PATHS.listAppointments,
    summary: 'A patient’s visits',
    params: S.PatientParams,
    query: S.ReasonQuery,
  },
  patientEligibility: {
    ...ROUTE_PATHS.patientEligibility,
    summary: 'Whether a patient may book today, and why (agents: a person looked up, audited)',
    params: S.PatientParams,
    query: S.ReasonQuery,
  },
  updateContact: {
    ...ROUTE_PATHS.updateContact,
    summary:
      'Set the mobile number and language of a patient’s text messages, or a landline instead (one number: the new one replaces the other; 400 NOT_A_LANDLINE for a mobile given as landline)',
    params: S.PatientParams,
    body: S.ContactRequest,
  },
  getAppointment: {
    ...ROUTE_PATHS.getAppointment,
    summary: 'One visit',
    params: S.AppointmentParams,
    query: S.ReasonQuery,
  },
  cancel: {
    ...ROUTE_PATHS.cancel,
    limit: 'booking',
    summary: 'Cancel a visit (and later doses booked after it)',
    params: S.AppointmentParams,
    body: S.CancelRequest,
  },
  reschedule: {
    ...ROUTE_PATHS.reschedule,
    limit: 'booking',
    summary: 'Move a visit to another slot',
    params: S.AppointmentParams,
    body: S.RescheduleRequest,
  },
  findPatient: {
    ...ROUTE_PATHS.findPatient,
    limit: 'lookup',
    summary: 'Hotline: find a caller by PESEL (audited)',
    body: S.FindPatientRequest,
  },
  centre: {
    ...ROUTE_PATHS.centre,
    summary: 'A centre’s public card',
    params: S.CentreParams,
  },
  centreSlots: {
    ...ROUTE_PATHS.centreSlots,
    limit: 'search',
    summary: 'A centre’s free slots of one product between two dates',
    params: S.CentreParams,
    query: S.FreeSlotsQuery,
  },
  getSchedule: {
    ...ROUTE_PATHS.getSchedule,
    summary: 'The centre’s schedule',
    params: S.CentreParams,
  },
  putSchedule: {
    ...ROUTE_PATHS.putSchedule,
    summary:
      'Change the schedule; future free capacity is regenerated. Visits it cancels must be listed in confirmCancellations (409 CANCELLATIONS_NOT_CONFIRMED otherwise, nothing written)',
    params: S.CentreParams,
    body: S.ScheduleChange,
  },
  previewSchedule: {
    ...ROUTE_PATHS.previewSchedule,
    summary:
      'What a schedule change would do, without doing it: slots added, resized and removed, visits it would cancel',
    params: S.CentreParams,
    body: S.ScheduleChange,
  },
  day: {
    ...ROUTE_PATHS.day,
    summary: 'The day list (audited)',
    params: S.CentreParams,
    query: S.DayQuery,
  },
  visitsByReference: {
    ...ROUTE_PATHS.visitsByReference,
    // Counted as searches per network, not as an agent's look-ups: a desk checks in hundreds a day.
    limit: 'search',
    summary: 'The visits at this centre booked under a reference (typed or scanned), for check-in (audited)',
    params: S.CentreReferenceParams,
  },
  cancelDay: {
    ...ROUTE_PATHS.cancelDay,
    summary: 'Cancel a day, or its rest from a local time (from); its visits are cancelled with the reason',
    params: S.CentreDayParams,
    body: S.CancelDayRequest,
  },
  checkIn: {
    ...ROUTE_PATHS.checkIn,
    summary: 'Patient arrived (now, or at a time of that day for a check-in sent later)',
    params: S.CentreAppointmentParams,
    body: S.CheckInRequest,
    headers: S.DeskHeaders,
  },
  complete: {
    ...ROUTE_PATHS.complete,
    summary: 'Record a vaccination given: product, lot, dose, site, time, who vaccinated (warnings never block)',
    params: S.CentreAppointmentParams,
    body: S.CompleteRequest,
    headers: S.DeskHeaders,
  },
  walkIn: {
    ...ROUTE_PATHS.walkIn,
    limit: 'booking',
    summary: 'Book a person at the desk into the slot running now and check them in, in one step',
    params: S.CentreParams,
    body: S.WalkInRequest,
    headers: S.DeskHeaders,
    status: 201,
  },
  notGiven: {
    ...ROUTE_PATHS.notGiven,
    summary: 'The person came and was not vaccinated, and why; later doses booked after it are cancelled',
    params: S.CentreAppointmentParams,
    body: S.NotGivenRequest,
    headers: S.DeskHeaders,
  },
  correct: {
    ...ROUTE_PATHS.correct,
    summary: 'Correct a recorded vaccination; the earlier recording is kept',
    params: S.CentreAppointmentParams,
    body: S.CorrectRequest,
    headers: S.DeskHeaders,
  },
  noShow: {
    ...ROUTE_PATHS.noShow,
    summary: 'Mark a missed visit',
    params: S.CentreAppointmentParams,
    headers: S.DeskHeaders,
  },
  listBatches: {
    ...ROUTE_PATHS.listBatches,
    summary: 'The centre’s vaccine batches, active first, with the doses left and wasted',
    params: S.CentreParams,
  },
  addBatch: {
    ...ROUTE_PATHS.addBatch,
    summary: 'Record a delivered batch (lot number, product, last day of use, doses)',
    params: S.CentreParams,
    body: S.BatchRequest,
    status: 201,
  },
  closeBatch: {
    ...ROUTE_PATHS.closeBatch,
    summary: 'Close a batch; the doses left in it are logged as wasted',
    params: S.CentreBatchParams,
  },
  wasteDoses: {
    ...ROUTE_PATHS.wasteDoses,
    summary: 'Log doses of a batch wasted, with the reason',
    params: S.CentreBatchParams,
    body: S.WasteRequest,
  },
  stockOutlook: {
    ...ROUTE_PATHS.stockOutlook,
    summary: 'Visits booked in the coming 7 days against the doses on hand, per product',
    params: S.CentreParams,
  },
  listStaff: {
    ...ROUTE_PATHS.listStaff,
    summary: 'The centre’s staff and managers (the e-mails only to its manager)',
    params: S.CentreParams,
  },
  addStaff: {
    ...ROUTE_PATHS.addStaff,
    summary: 'Add a member to the centre, with a sign-in account',
    params: S.CentreParams,
    body: S.AddStaffRequest,
    status: 201,
  },
  removeStaff: {
    ...ROUTE_PATHS.removeStaff,
    summary: 'Remove a member from the centre; their sessions end',
    params: S.CentreStaffParams,
  },
  changeStaffRole: {
    ...ROUTE_PATHS.changeStaffRole,
    summary: 'Make a member staff or manager; their sessions end, to sign in again in the new role',
    params: S.CentreStaffParams,
    body: S.StaffRoleRequest,
  },
  rules: {
    ...ROUTE_PATHS.rules,
    summary: 'The eligibility policy',
  },
  // The administration: eligibility policy.
  policyAt: {
    ...ROUTE_PATHS.policyAt,
    summary: 'The eligibility policy in force at an instant (now when not given): its version and each rule’s state',
    query: S.PolicyAtQuery,
  },
  listPolicyChanges: {
    ...ROUTE_PATHS.listPolicyChanges,
    summary: 'Proposed changes of the eligibility policy, of one status when asked, newest first',
    query: S.PolicyChangesQuery,
  },
  proposePolicyChange: {
    ...ROUTE_PATHS.proposePolicyChange,
    summary:
      'Propose opening rules at an instant, resuming a paused rule or cancelling one; a second administrator approves',
    body: S.PolicyChangeRequest,
    status: 201,
  },
  approvePolicyChange: {
    ...ROUTE_PATHS.approvePolicyChange,
    summary: 'Approve a pending change (not its proposer: 403 SAME_ADMIN); it takes effect as a new policy version',
    params: S.PolicyChangeParams,
    body: S.ApproveChangeRequest,
  },
  rejectPolicyChange: {
    ...ROUTE_PATHS.rejectPolicyChange,
    summary: 'Reject a pending change, saying why',
    params: S.PolicyChangeParams,
    body: S.RejectChangeRequest,
  },
  withdrawPolicyChange: {
    ...ROUTE_PATHS.withdrawPolicyChange,
    summary: 'Withdraw one’s own pending change',
    params: S.PolicyChangeParams,
    body: S.WithdrawChangeRequest,
  },
  pauseRule: {
    ...ROUTE_PATHS.pauseRule,
    summary: 'Pause a rule at once (one administrator, with a reason); resuming it waits for approval',
    params: S.RuleParams,
    body: S.PauseRuleRequest,
  },
  onboard: {
    ...ROUTE_PATHS.onboard,
    summary: 'Onboard a centre and its staff',
    body: S.OnboardRequest,
    status: 201,
  },
  // The administration: centres and the vaccine catalogue.
  searchCentres: {
    ...ROUTE_PATHS.searchCentres,
    summary: 'Find centres by name or town, voivodeship and status',
    query: S.CentreSearchQuery,
  },
  adminCentre: {
    ...ROUTE_PATHS.adminCentre,
    summary: 'A centre with its staff, for the ministry',
    params: S.CentreParams,
  },
  suspendCentre: {
    ...ROUTE_PATHS.suspendCentre,
    summary: 'Stop a centre’s bookings for a while (its booked visits stay)',
    params: S.CentreParams,
    body: S.SuspendCentreRequest,
  },
  resumeCentre: {
    ...ROUTE_PATHS.resumeCentre,
    summary: 'Let a suspended centre take bookings again',
    params: S.CentreParams,
  },
  closeCentre: {
    ...ROUTE_PATHS.closeCentre,
    summary: 'Close a centre from a date, cancelling its visits from then on with other times offered',
    params: S.CentreParams,
    body: S.CloseCentreRequest,
  },
  inviteStaff: {
    ...ROUTE_PATHS.inviteStaff,
    summary: 'Add a manager or staff member to a centre, with a sign-in account',
    params: S.CentreParams,
    body: S.AddStaffRequest,
    status: 201,
  },
  adminVaccines: {
    ...ROUTE_PATHS.adminVaccines,
    summary: 'The vaccine catalogue as stored, withdrawn products included',
  },
  vaccineImpact: {
    ...ROUTE_PATHS.vaccineImpact,
    summary: 'The booked visits a product’s new definition would no longer allow',
    body: S.VaccineImpactRequest,
  },
  saveVaccine: {
    ...ROUTE_PATHS.saveVaccine,
    summary: 'Add or change a product of the catalogue, acknowledging its impact',
    params: S.VaccineParams,
    body: S.SaveVaccineRequest,
  },
  grantGroup: {
    ...ROUTE_PATHS.grantGroup,
    summary: 'Refer a person to a priority group (e.g. medical staff)',
    body: S.GroupMemberRequest,
  },

  // The administration: priority-group referrals and announcements
  uploadGroupReferrals: {
    ...ROUTE_PATHS.uploadGroupReferrals,
    summary:
      'Upload a CSV list of priority-group referrals (pesel,group; at most 20,000 rows and 1 MB): each accepted row refers that PESEL, registered or not; answered with a report of every row, alike for registered and unknown PESELs; the same list sent again changes nothing and answers the same',
    body: S.GroupReferralsRequest,
  },
  listGroupUploads: {
    ...ROUTE_PATHS.listGroupUploads,
    summary: 'The lists of priority-group referrals uploaded, newest first (counts and groups, no PESEL)',
  },
  listAnnouncements: {
    ...ROUTE_PATHS.listAnnouncements,
    summary: 'Every announcement, past, current and planned',
  },
  addAnnouncement: {
    ...ROUTE_PATHS.addAnnouncement,
    summary: 'Write an announcement in Polish, English and Ukrainian, shown to everyone between two instants',
    body: S.AnnouncementRequest,
    status: 201,
  },
  changeAnnouncement: {
    ...ROUTE_PATHS.changeAnnouncement,
    summary: 'Change an announcement’s texts or window; an end of now ends it early',
    params: S.AnnouncementParams,
    body: S.AnnouncementRequest,
  },
  currentAnnouncements: {
    ...ROUTE_PATHS.currentAnnouncements,
    limit: 'search',
    summary: 'The announcements showing now (a cache may keep the answer for a minute)',
  },

  // The hotline.
  lookUpCaller: {
    ...ROUTE_PATHS.lookUpCaller,
    limit: 'lookup',
    summary:
      'Hotline: find a caller by PESEL, booking reference or phone number, with a reason (audited; counted against the hourly budget, 429 LOOKUP_BUDGET_EXCEEDED past it); name and birth date shown, the rest masked',
    body: S.LookupRequest,
  },
  revealField: {
    ...ROUTE_PATHS.revealField,
    summary: 'Hotline: show a masked field (phone, landline, PESEL) of a person looked up (audited)',
    params: S.PatientParams,
    body: S.RevealRequest,
  },
  registerCaller: {
    ...ROUTE_PATHS.registerCaller,
    limit: 'lookup',
    summary:
      'Hotline: register a caller who never logged in, after the checking questions, with a mobile or a landline (marked registered by phone: the centre checks identity)',
    body: S.RegisterCallerRequest,
    status: 201,
  },
  bookHousehold: {
    ...ROUTE_PATHS.bookHousehold,
    limit: 'booking',
    summary:
      'Hotline: book up to five people of one household in one request, each with their own eligibility, at one centre and close times; all or nothing',
    body: S.HouseholdRequest,
    headers: S.BookHeaders,
    status: 201,
  },
  resendConfirmation: {
    ...ROUTE_PATHS.resendConfirmation,
    limit: 'booking',
    summary: 'Send the confirmation of a visit’s booking again (to the person’s mobile; none to a landline)',
    params: S.AppointmentParams,
    body: S.ResendRequest,
  },
  accessLog: {
    ...ROUTE_PATHS.accessLog,
    summary: 'Who looked at my data: the hotline’s and centres’ look-ups of the patient (agents pseudonymised)',
    params: S.PatientParams,
  },
  auditLog: {
    ...ROUTE_PATHS.auditLog,
    summary: 'Supervisors: the audit log by agent, patient, reason and dates, newest first, a page at a time',
    query: S.AuditQuerySchema,
  },
  listAlerts: {
    ...ROUTE_PATHS.listAlerts,
    summary: 'Supervisors: the hotline’s alerts (budgets, many agents on one person, watched PESELs)',
    query: S.AlertsQuery,
  },
  acknowledgeAlert: {
    ...ROUTE_PATHS.acknowledgeAlert,
    summary: 'Supervisors: acknowledge an alert',
    params: S.AlertParams,
    body: S.AcknowledgeRequest,
  },
  listReviews: {
    ...ROUTE_PATHS.listReviews,
    summary: 'Supervisors: the look-ups drawn for review each day',
    query: S.ReviewsQuery,
  },
  decideReview: {
    ...ROUTE_PATHS.decideReview,
    summary: 'Supervisors: the verdict on a sampled look-up',
    params: S.ReviewParams,
    body: S.VerdictRequest,
  },
  watchList: {
    ...ROUTE_PATHS.watchList,
    summary: 'The PESELs whose every look-up alerts the supervisors',
  },
  watchPesel: {
    ...ROUTE_PATHS.watchPesel,
    summary: 'Add a PESEL to the watch list',
    body: S.WatchRequest,
    status: 201,
  },
  unwatchPesel: {
    ...ROUTE_PATHS.unwatchPesel,
    summary: 'Remove a PESEL from the watch list',
    body: S.UnwatchRequest,
  },
  reportSummary: {
    ...ROUTE_PATHS.reportSummary,
    summary: 'The ministry’s dashboard: tiles, uptake per voivodeship and doses per day, every figure',
    query: S.ReportQuery,
  },
  publicReport: {
    ...ROUTE_PATHS.publicReport,
    limit: 'search',
    summary: 'The public summary of the dashboard: every count under 10 withheld',
    query: S.ReportQuery,
  },
  openData: {
    ...ROUTE_PATHS.openData,
    limit: 'search',
    summary: 'An open data file as CSV: the ECDC weekly, the OWID daily, waiting times or no-shows per powiat',
    params: S.OpenDataParams,
  },

  // The administration: the preview of an eligibility change
  previewPolicy: {
    ...ROUTE_PATHS.previewPolicy,
    summary:
      'What opening drafted rules would do: registered people newly eligible, residents by voivodeship, free places in 7, 14 and 28 days',
    body: S.PolicyPreviewRequest,
  },

  // The waiting room
  joinQueue: {
    ...ROUTE_PATHS.joinQueue,
    summary:
      'Take a place in the waiting room of an opening: one ticket per person, a second join answers the same (201 the first time, 200 after; 409 NO_QUEUE when no room gates the person)',
    body: S.JoinQueueRequest,
    status: 201,
  },
  queueState: {
    ...ROUTE_PATHS.queueState,
    summary:
      'A person’s place in their waiting room: position, people ahead, estimated wait, time left to book (null: no room gates them)',
    params: S.PatientParams,
    query: S.ReasonQuery,
  },
  queueSms: {
    ...ROUTE_PATHS.queueSms,
    summary: 'Ask for a text message when the person’s turn comes (or stop it)',
    params: S.PatientParams,
    body: S.QueueSmsRequest,
  },

  // FHIR R4 export for registries, and a patient's own record
  fhirDayManifest: {
    ...ROUTE_PATHS.fhirDayManifest,
    summary:
      'A registry: the manifest of a day’s FHIR R4 export (the centres’ local date of the visits), listing its NDJSON files',
    params: S.FhirDayParams,
  },
  fhirDayFile: {
    ...ROUTE_PATHS.fhirDayFile,
    summary:
      'A registry: one NDJSON file of a day’s FHIR R4 export (Immunization, Appointment or Patient), streamed; every fetch is audited',
    params: S.FhirDayFileParams,
  },
  myFhirRecord: {
    ...ROUTE_PATHS.myFhirRecord,
    summary: 'A patient’s own record as a FHIR R4 Bundle (collection): their Patient, Appointments and Immunizations',
  },
  // The standby list
  standby: {
    ...ROUTE_PATHS.standby,
    summary:
      'A person’s standby entry: status, people ahead, the offer open now and the latest ones (entry null: never joined)',
    params: S.PatientParams,
    query: S.ReasonQuery,
  },
  joinStandby: {
    ...ROUTE_PATHS.joinStandby,
    limit: 'booking',
    summary:
      'Join the standby list for earlier places, or change what places the person would take (their place in line is kept while waiting)',
    params: S.PatientParams,
    body: S.StandbyRequest,
  },
  leaveStandby: {
    ...ROUTE_PATHS.leaveStandby,
    summary: 'Leave the standby list (an open offer is passed on)',
    params: S.PatientParams,
    query: S.ReasonQuery,
  },
  takeStandbyOffer: {
    ...ROUTE_PATHS.takeStandbyOffer,
    limit: 'booking',
    summary:
      'Take the place offered: it becomes the visit (replacing the booked one of that dose; a later dose out of interval moves with it)',
    params: S.StandbyOfferParams,
    body: S.StandbyDecisionRequest,
  },
  passStandbyOffer: {
    ...ROUTE_PATHS.passStandbyOffer,
    summary: 'Pass on the place offered: it goes to the next person; the person stays on the list',
    params: S.StandbyOfferParams,
    body: S.StandbyDecisionRequest,
  },
  wouldBeWasted: {
    ...ROUTE_PATHS.wouldBeWasted,
    summary:
      'Doses left today that would otherwise be wasted: their places are offered at once to the standby list, people nearby first',
    params: S.CentreParams,
    body: S.WouldBeWastedRequest,
  },
  // Scheduling links
  schedulingManifest: {
    ...ROUTE_PATHS.schedulingManifest,
    limit: 'search',
    summary:
      'SMART Scheduling Links $bulk-publish manifest: the Location, Schedule and Slot files of each voivodeship (TERYT code as `state`); `_since` passed on to the files',
    query: S.SchedulingQuery,
  },
  schedulingFile: {
    ...ROUTE_PATHS.schedulingFile,
    limit: 'search',
    summary:
      'One SMART Scheduling Links file (application/fhir+ndjson): the FHIR R4 Locations, Schedules or Slots of a voivodeship; with `_since`, only those changed since',
    params: S.SchedulingFileParams,
    query: S.SchedulingQuery,
  },
} as const satisfies Record<RouteName, RouteSpec>;
