import type { Eligibility } from '../eligibility.ts';
// FHIR R4 export for registries, and a patient's own record
import type { FhirBundle } from '../fhir/fhir-resources.ts';
import type { Patient, Referral, Vaccine } from '../model.ts';
import type { PolicyPreview } from '../policy-preview.ts';
import type { Session } from '../ports.ts';
import type { ReportSummary } from '../reports.ts';
import type { manifestOf } from '../scheduling-links.ts';
import type { StandbyView, WouldBeWastedResult } from '../standby.ts';
import type {
  adminCentre,
  closeCentre,
  inviteStaff,
  resumeCentre,
  searchCentres,
  suspendCentre,
} from '../use-cases/admin-centres.ts';
import type { adminVaccines, saveVaccine, vaccineImpact } from '../use-cases/admin-vaccines.ts';
import type { getCentre, grantGroup, listEligibilityRules, onboardCentre } from '../use-cases/administration.ts';
import type {
  addAnnouncement,
  changeAnnouncement,
  currentAnnouncements,
  listAnnouncements,
} from '../use-cases/announcements.ts';
import type { bookAppointment, previewBooking } from '../use-cases/book-appointment.ts';
import type { checkIn, findVisitsByReference, getCentreDay } from '../use-cases/centre-day.ts';
import type {
  cancelCentreDay,
  changeSchedule,
  getSchedule,
  previewScheduleChange,
} from '../use-cases/centre-schedule.ts';
import type { addStaffMember, changeStaffRole, listCentreStaff, removeStaffMember } from '../use-cases/centre-staff.ts';
import type { BatchView, stockOutlook } from '../use-cases/centre-stock.ts';
import type { AppointmentView } from '../use-cases/deps.ts';
import type {
  approvePolicyChange,
  eligibilityPolicyAt,
  listPolicyChanges,
  pauseRule,
  proposePolicyChange,
  rejectPolicyChange,
  withdrawPolicyChange,
} from '../use-cases/eligibility-policy.ts';
import type { FhirDayManifest } from '../use-cases/fhir-export.ts';
import type { findPatientByPesel } from '../use-cases/find-patient.ts';
import type { listGroupUploads, uploadGroupReferrals } from '../use-cases/group-referrals.ts';
import type { bookHousehold, resendConfirmation } from '../use-cases/hotline-booking.ts';
import type { lookUpCaller, registerCaller, revealField } from '../use-cases/hotline-lookup.ts';
import type {
  acknowledgeAlert,
  decideReview,
  listAccessLog,
  listHotlineAlerts,
  listLookupReviews,
  listWatchList,
  queryAuditLog,
  unwatchPesel,
  watchPesel,
} from '../use-cases/hotline-review.ts';
import type { whoAmI } from '../use-cases/login.ts';
import type {
  cancelAppointment,
  getAppointment,
  listAppointments,
  rescheduleAppointment,
} from '../use-cases/manage-appointments.ts';
import type { updateContact } from '../use-cases/patient-contact.ts';
import type { patientEligibility } from '../use-cases/patient-eligibility.ts';
import type {
  completeVaccination,
  correctVaccination,
  markNoShow,
  markNotGiven,
} from '../use-cases/record-vaccination.ts';
import type { listFreeSlots, searchSlots } from '../use-cases/search-slots.ts';
import type { queueSms, queueState } from '../use-cases/waiting-room.ts';
import type { bookWalkIn } from '../use-cases/walk-in.ts';
import type { QueueView } from '../waiting-room.ts';

/**
 * How centre staff sign in: locally on the development identity provider's staff page; on Google Cloud
 * with their Firebase Authentication account (e-mail and password, or a link sent by e-mail), through
 * the Identity Toolkit REST API with the project's web API key — or the Auth emulator's copy of it.
 */
export type StaffSignInConfig =
  | { kind: 'dev-idp'; url: string }
  | { kind: 'firebase'; apiKey: string; authEmulatorUrl?: string };

/**
 * What the web apps need to know to log someone in: where the patients' identity provider is, the kind
 * of session it ends in, how centre staff sign in, how hotline agents and supervisors do, and how the
 * ministry's analysts and administrators sign in to the reports' dashboard.
 */
export interface WebLoginConfig {
  idpLoginUrl: string;
  session: { kind: 'bearer' } | { kind: 'firebase'; apiKey: string };
  staff: StaffSignInConfig;
  hotline: StaffSignInConfig;
  reports: StaffSignInConfig;
}

/** The answer of `POST /api/login`. */
export interface LoginResponse {
  token: string;
  expiresAt: string;
  tokenKind: Session['kind'];
  patient: Patient;
  eligibility: Eligibility;
  referral: Referral | null;
}

type Answer<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/** The body of each route's successful answer: the server's handlers are checked against it, the web client typed by it. */
export interface RouteResponses {
  login: LoginResponse;
  loginConfig: WebLoginConfig;
  me: Answer<typeof whoAmI>;
  search: Answer<typeof searchSlots>;
  vaccines: { vaccines: readonly Vaccine[] };
  book: Answer<typeof bookAppointment>;
  previewBooking: Answer<typeof previewBooking>;
  listAppointments: { appointments: Answer<typeof listAppointments> };
  patientEligibility: Answer<typeof patientEligibility>;
  updateContact: { patient: Answer<typeof updateContact> };
  getAppointment: Answer<typeof getAppointment>;
  cancel: { cancelled: Answer<typeof cancelAppointment> };
  reschedule: { appointments: Answer<typeof rescheduleAppointment> };
  findPatient: { patient: Answer<typeof findPatientByPesel> };
  centre: Answer<typeof getCentre>;
  centreSlots: Answer<typeof listFreeSlots>;
  getSchedule: Answer<typeof getSchedule>;
  putSchedule: Answer<typeof changeSchedule>;
  previewSchedule: Answer<typeof previewScheduleChange>;
  day: Answer<typeof getCentreDay>;
  visitsByReference: Answer<typeof findVisitsByReference>;
  cancelDay: Answer<typeof cancelCentreDay>;
  checkIn: Answer<typeof checkIn>;
  complete: Answer<typeof completeVaccination>;
  walkIn: Answer<typeof bookWalkIn>;
  notGiven: Answer<typeof markNotGiven>;
  correct: Answer<typeof correctVaccination>;
  noShow: Answer<typeof markNoShow>;
  listBatches: { batches: BatchView[] };
  addBatch: BatchView;
  closeBatch: BatchView;
  wasteDoses: BatchView;
  stockOutlook: Answer<typeof stockOutlook>;
  listStaff: Answer<typeof listCentreStaff>;
  addStaff: Answer<typeof addStaffMember>;
  removeStaff: Answer<typeof removeStaffMember>;
  changeStaffRole: Answer<typeof changeStaffRole>;
  rules: { rules: Answer<typeof listEligibilityRules> };
  // The administration: eligibility policy.
  policyAt: Answer<typeof eligibilityPolicyAt>;
  listPolicyChanges: Answer<typeof listPolicyChanges>;
  proposePolicyChange: Answer<typeof proposePolicyChange>;
  approvePolicyChange: Answer<typeof approvePolicyChange>;
  rejectPolicyChange: Answer<typeof rejectPolicyChange>;
  withdrawPolicyChange: Answer<typeof withdrawPolicyChange>;
  pauseRule: Answer<typeof pauseRule>;
  onboard: Answer<typeof onboardCentre>;
  // The administration: centres and the vaccine catalogue.
  searchCentres: Answer<typeof searchCentres>;
  adminCentre: Answer<typeof adminCentre>;
  suspendCentre: Answer<typeof suspendCentre>;
  resumeCentre: Answer<typeof resumeCentre>;
  closeCentre: Answer<typeof closeCentre>;
  inviteStaff: Answer<typeof inviteStaff>;
  adminVaccines: Answer<typeof adminVaccines>;
  vaccineImpact: Answer<typeof vaccineImpact>;
  saveVaccine: Answer<typeof saveVaccine>;
  grantGroup: { referral: Answer<typeof grantGroup> };

  // The administration: priority-group referrals and announcements
  uploadGroupReferrals: Answer<typeof uploadGroupReferrals>;
  listGroupUploads: { uploads: Answer<typeof listGroupUploads> };
  listAnnouncements: { announcements: Answer<typeof listAnnouncements> };
  addAnnouncement: { announcement: Answer<typeof addAnnouncement> };
  changeAnnouncement: { announcement: Answer<typeof changeAnnouncement> };
  currentAnnouncements: { announcements: Answer<typeof currentAnnouncements> };

  // The hotline.
  lookUpCaller: Answer<typeof lookUpCaller>;
  revealField: Answer<typeof revealField>;
  registerCaller: { caller: Answer<typeof registerCaller> };
  bookHousehold: Answer<typeof bookHousehold>;
  resendConfirmation: Answer<typeof resendConfirmation>;
  accessLog: { entries: Answer<typeof listAccessLog> };
  auditLog: Answer<typeof queryAuditLog>;
  listAlerts: { alerts: Answer<typeof listHotlineAlerts> };
  acknowledgeAlert: Answer<typeof acknowledgeAlert>;
  listReviews: { reviews: Answer<typeof listLookupReviews> };
  decideReview: Answer<typeof decideReview>;
  watchList: { entries: Answer<typeof listWatchList> };
  watchPesel: Answer<typeof watchPesel>;
  unwatchPesel: Answer<typeof unwatchPesel>;

  // The ministry's reports.
  reportSummary: ReportSummary;
  publicReport: ReportSummary;
  /** The file's CSV text (text/csv). */
  openData: string;

  // The administration: the preview of an eligibility change
  previewPolicy: PolicyPreview;

  // The waiting room
  joinQueue: { queue: QueueView };
  queueState: Answer<typeof queueState>;
  queueSms: Answer<typeof queueSms>;

  // FHIR R4 export for registries, and a patient's own record
  fhirDayManifest: FhirDayManifest;
  /** The file's NDJSON text (application/fhir+ndjson), one resource a line. */
  fhirDayFile: string;
  /** The Bundle (application/fhir+json). */
  myFhirRecord: FhirBundle;
  // The standby list
  standby: StandbyView;
  joinStandby: { standby: StandbyView };
  leaveStandby: { standby: StandbyView };
  takeStandbyOffer: { standby: StandbyView; appointments: AppointmentView[] };
  passStandbyOffer: { standby: StandbyView };
  wouldBeWasted: WouldBeWastedResult;
  // Scheduling links
  schedulingManifest: ReturnType<typeof manifestOf>;
  /** The file's NDJSON text (application/fhir+ndjson). */
  schedulingFile: string;
}
