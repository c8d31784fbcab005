import type { Role } from '../principal.ts';
import type { FunctionName } from './function-names.ts';

// Plain data, no import at run time: the web apps load this module (they take only types from the rest
// of shared/), so every path of the API is written once, here.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RoutePath {
  fn: FunctionName;
  method: HttpMethod;
  /** Path inside the function, with `:param` segments. */
  path: string;
  /** Who may call it; `public` needs no token. */
  roles: readonly Role[] | 'public';
}

/** Where each route of the API answers (its function, method and path) and who may call it. */
export const ROUTE_PATHS = {
  login: { fn: 'login', method: 'POST', path: '/', roles: 'public' },
  loginConfig: { fn: 'login', method: 'GET', path: '/config', roles: 'public' },
  me: {
    fn: 'login',
    method: 'GET',
    path: '/me',
    roles: ['patient', 'agent', 'staff', 'centre-manager', 'admin', 'supervisor', 'analyst'],
  },
  search: { fn: 'search', method: 'GET', path: '/', roles: 'public' },
  vaccines: { fn: 'search', method: 'GET', path: '/vaccines', roles: 'public' },
  book: {
    fn: 'booking',
    method: 'POST',
    path: '/appointments',
    roles: ['patient', 'agent', 'staff', 'centre-manager'],
  },
  previewBooking: {
    fn: 'booking',
    method: 'POST',
    path: '/appointments/preview',
    roles: ['patient', 'agent', 'staff', 'centre-manager'],
  },
  listAppointments: {
    fn: 'booking',
    method: 'GET',
    path: '/patients/:patientId/appointments',
    roles: ['patient', 'agent', 'staff', 'centre-manager'],
  },
  patientEligibility: {
    fn: 'booking',
    method: 'GET',
    path: '/patients/:patientId/eligibility',
    roles: ['patient', 'agent'],
  },
  updateContact: { fn: 'booking', method: 'PUT', path: '/patients/:patientId/contact', roles: ['patient', 'agent'] },
  getAppointment: {
    fn: 'booking',
    method: 'GET',
    path: '/appointments/:appointmentId',
    roles: ['patient', 'agent', 'staff', 'centre-manager'],
  },
  cancel: {
    fn: 'booking',
    method: 'POST',
    path: '/appointments/:appointmentId/cancel',
    roles: ['patient', 'agent', 'staff', 'centre-manager'],
  },
  reschedule: {
    fn: 'booking',
    method: 'POST',
    path: '/appointments/:appointmentId/reschedule',
    roles: ['patient', 'agent', 'staff', 'centre-manager'],
  },
  findPatient: { fn: 'booking', method: 'POST', path: '/patients/lookup', roles: ['agent'] },
  centre: { fn: 'centres', method: 'GET', path: '/:centreId', roles: 'public' },
  centreSlots: { fn: 'centres', method: 'GET', path: '/:centreId/slots', roles: 'public' },
  getSchedule: { fn: 'centres', method: 'GET', path: '/:centreId/schedule', roles: ['staff', 'centre-manager'] },
  putSchedule: { fn: 'centres', method: 'PUT', path: '/:centreId/schedule', roles: ['centre-manager'] },
  previewSchedule: { fn: 'centres', method: 'POST', path: '/:centreId/schedule/preview', roles: ['centre-manager'] },
  day: { fn: 'centres', method: 'GET', path: '/:centreId/day', roles: ['staff', 'centre-manager'] },
  visitsByReference: {
    fn: 'centres',
    method: 'GET',
    path: '/:centreId/references/:reference',
    roles: ['staff', 'centre-manager'],
  },
  cancelDay: { fn: 'centres', method: 'POST', path: '/:centreId/days/:date/cancel', roles: ['centre-manager'] },
  checkIn: {
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/appointments/:appointmentId/check-in',
    roles: ['staff', 'centre-manager'],
  },
  complete: {
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/appointments/:appointmentId/complete',
    roles: ['staff', 'centre-manager'],
  },
  walkIn: { fn: 'centres', method: 'POST', path: '/:centreId/walk-ins', roles: ['staff', 'centre-manager'] },
  notGiven: {
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/appointments/:appointmentId/not-given',
    roles: ['staff', 'centre-manager'],
  },
  correct: {
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/appointments/:appointmentId/correct',
    roles: ['staff', 'centre-manager'],
  },
  noShow: {
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/appointments/:appointmentId/no-show',
    roles: ['staff', 'centre-manager'],
  },
  listBatches: { fn: 'centres', method: 'GET', path: '/:centreId/batches', roles: ['staff', 'centre-manager'] },
  addBatch: { fn: 'centres', method: 'POST', path: '/:centreId/batches', roles: ['centre-manager'] },
  closeBatch: { fn: 'centres', method: 'POST', path: '/:centreId/batches/:batchId/close', roles: ['centre-manager'] },
  wasteDoses: {
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/batches/:batchId/waste',
    roles: ['staff', 'centre-manager'],
  },
  stockOutlook: { fn: 'centres', method: 'GET', path: '/:centreId/stock-outlook', roles: ['staff', 'centre-manager'] },
  listStaff: { fn: 'centres', method: 'GET', path: '/:centreId/staff', roles: ['staff', 'centre-manager'] },
  addStaff: { fn: 'centres', method: 'POST', path: '/:centreId/staff', roles: ['centre-manager'] },
  removeStaff: {
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/staff/:staffId/remove',
    roles: ['centre-manager'],
  },
  changeStaffRole: { fn: 'centres', method: 'PUT', path: '/:centreId/staff/:staffId/role', roles: ['centre-manager'] },
  rules: { fn: 'admin', method: 'GET', path: '/eligibility-rules', roles: ['admin', 'agent'] },
  // The administration: eligibility policy.
  policyAt: { fn: 'admin', method: 'GET', path: '/eligibility-policy', roles: ['admin'] },
  listPolicyChanges: { fn: 'admin', method: 'GET', path: '/policy-changes', roles: ['admin'] },
  proposePolicyChange: { fn: 'admin', method: 'POST', path: '/policy-changes', roles: ['admin'] },
  approvePolicyChange: { fn: 'admin', method: 'POST', path: '/policy-changes/:changeId/approve', roles: ['admin'] },
  rejectPolicyChange: { fn: 'admin', method: 'POST', path: '/policy-changes/:changeId/reject', roles: ['admin'] },
  withdrawPolicyChange: { fn: 'admin', method: 'POST', path: '/policy-changes/:changeId/withdraw', roles: ['admin'] },
  pauseRule: { fn: 'admin', method: 'POST', path: '/eligibility-rules/:ruleId/pause', roles: ['admin'] },
  onboard: { fn: 'admin', method: 'POST', path: '/centres', roles: ['admin'] },
  // The administration: centres and the vaccine catalogue.
  searchCentres: { fn: 'admin', method: 'GET', path: '/centres', roles: ['admin'] },
  adminCentre: { fn: 'admin', method: 'GET', path: '/centres/:centreId', roles: ['admin'] },
  suspendCentre: { fn: 'admin', method: 'POST', path: '/centres/:centreId/suspend', roles: ['admin'] },
  resumeCentre: { fn: 'admin', method: 'POST', path: '/centres/:centreId/resume', roles: ['admin'] },
  closeCentre: { fn: 'admin', method: 'POST', path: '/centres/:centreId/close', roles: ['admin'] },
  inviteStaff: { fn: 'admin', method: 'POST', path: '/centres/:centreId/staff', roles: ['admin'] },
  adminVaccines: { fn: 'admin', method: 'GET', path: '/vaccines', roles: ['admin'] },
  vaccineImpact: { fn: 'admin', method: 'POST', path: '/vaccines/impact', roles: ['admin'] },
  saveVaccine: { fn: 'admin', method: 'PUT', path: '/vaccines/:vaccineId', roles: ['admin'] },
  grantGroup: { fn: 'admin', method: 'POST', path: '/group-members', roles: ['admin'] },

  // The administration: priority-group referrals and announcements
  uploadGroupReferrals: { fn: 'admin', method: 'POST', path: '/group-referrals', roles: ['admin'] },
  listGroupUploads: { fn: 'admin', method: 'GET', path: '/group-referrals', roles: ['admin'] },
  listAnnouncements: { fn: 'admin', method: 'GET', path: '/announcements', roles: ['admin'] },
  addAnnouncement: { fn: 'admin', method: 'POST', path: '/announcements', roles: ['admin'] },
  changeAnnouncement: { fn: 'admin', method: 'PUT', path: '/announcements/:announcementId', roles: ['admin'] },
  currentAnnouncements: { fn: 'search', method: 'GET', path: '/announcements', roles: 'public' },

  // The hotline: agents' look-ups and bookings (booking), supervisors' review (admin), the patient's access log.
  lookUpCaller: { fn: 'booking', method: 'POST', path: '/hotline/lookups', roles: ['agent'] },
  revealField: { fn: 'booking', method: 'POST', path: '/hotline/patients/:patientId/reveal', roles: ['agent'] },
  registerCaller: { fn: 'booking', method: 'POST', path: '/hotline/callers', roles: ['agent'] },
  bookHousehold: { fn: 'booking', method: 'POST', path: '/hotline/households', roles: ['agent'] },
  resendConfirmation: {
    fn: 'booking',
    method: 'POST',
    path: '/appointments/:appointmentId/resend-confirmation',
    roles: ['patient', 'agent'],
  },
  accessLog: { fn: 'booking', method: 'GET', path: '/patients/:patientId/access-log', roles: ['patient'] },
  auditLog: { fn: 'admin', method: 'GET', path: '/hotline/audit', roles: ['supervisor'] },
  listAlerts: { fn: 'admin', method: 'GET', path: '/hotline/alerts', roles: ['supervisor'] },
  acknowledgeAlert: {
    fn: 'admin',
    method: 'POST',
    path: '/hotline/alerts/:alertId/acknowledge',
    roles: ['supervisor'],
  },
  listReviews: { fn: 'admin', method: 'GET', path: '/hotline/reviews', roles: ['supervisor'] },
  decideReview: { fn: 'admin', method: 'POST', path: '/hotline/reviews/:reviewId/verdict', roles: ['supervisor'] },
  watchList: { fn: 'admin', method: 'GET', path: '/hotline/watch-list', roles: ['supervisor', 'admin'] },
  watchPesel: { fn: 'admin', method: 'POST', path: '/hotline/watch-list', roles: ['supervisor', 'admin'] },
  unwatchPesel: { fn: 'admin', method: 'POST', path: '/hotline/watch-list/remove', roles: ['supervisor', 'admin'] },
  reportSummary: { fn: 'reports', method: 'GET', path: '/summary', roles: ['analyst', 'admin'] },
  publicReport: { fn: 'reports', method: 'GET', path: '/public', roles: 'public' },
  openData: { fn: 'reports', method: 'GET', path: '/open-data/:file', roles: 'public' },

  // The administration: the preview of an eligibility change
  previewPolicy: { fn: 'admin', method: 'POST', path: '/policy-preview', roles: ['admin'] },

  // The waiting room
  joinQueue: { fn: 'booking', method: 'POST', path: '/queue', roles: ['patient', 'agent'] },
  queueState: { fn: 'booking', method: 'GET', path: '/queue/:patientId', roles: ['patient', 'agent'] },
  queueSms: { fn: 'booking', method: 'PUT', path: '/queue/:patientId/sms', roles: ['patient', 'agent'] },

  // FHIR R4 export for registries, and a patient's own record
  fhirDayManifest: { fn: 'admin', method: 'GET', path: '/fhir/days/:date', roles: ['registry'] },
  fhirDayFile: { fn: 'admin', method: 'GET', path: '/fhir/days/:date/:file', roles: ['registry'] },
  myFhirRecord: { fn: 'booking', method: 'GET', path: '/me/record.fhir.json', roles: ['patient'] },
  // The standby list
  standby: { fn: 'booking', method: 'GET', path: '/standby/:patientId', roles: ['patient', 'agent'] },
  joinStandby: { fn: 'booking', method: 'PUT', path: '/standby/:patientId', roles: ['patient', 'agent'] },
  leaveStandby: { fn: 'booking', method: 'DELETE', path: '/standby/:patientId', roles: ['patient', 'agent'] },
  takeStandbyOffer: {
    fn: 'booking',
    method: 'POST',
    path: '/standby/:patientId/offers/:offerId/take',
    roles: ['patient', 'agent'],
  },
  passStandbyOffer: {
    fn: 'booking',
    method: 'POST',
    path: '/standby/:patientId/offers/:offerId/pass',
    roles: ['patient', 'agent'],
  },
  wouldBeWasted: {
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/standby/would-be-wasted',
    roles: ['staff', 'centre-manager'],
  },
  // Scheduling links
  schedulingManifest: { fn: 'search', method: 'GET', path: '/$bulk-publish', roles: 'public' },
  schedulingFile: { fn: 'search', method: 'GET', path: '/scheduling-links/:voivodeship/:file', roles: 'public' },
} as const satisfies Record<string, RoutePath>;

export type RouteName = keyof typeof ROUTE_PATHS;

/** The names of a path's `:param` segments, as a type: `'/:centreId/days/:date'` → `'centreId' | 'date'`. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The site path of a route (`/api/<function><path>`), its parameters filled in and encoded. */
export function apiPath(route: RoutePath, params: Readonly<Record<string, string>> = {}): string {
  const inner = route.path === '/' ? '' : route.path;
  const filled = inner.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`The path ${route.path} needs the parameter ${name}.`);
    return encodeURIComponent(value);
  });
  return `/api/${route.fn}${filled}`;
}
