import {
  acknowledgeAlert,
  addAnnouncement,
  addBatch,
  addStaffMember,
  adminCentre,
  adminVaccines,
  // FHIR R4 export for registries, and a patient's own record
  apiPath,
  approvePolicyChange,
  // The waiting room
  type BookingRecorder,
  bookAppointment,
  bookHousehold,
  bookWalkIn,
  type CentreDirectory,
  cancelAppointment,
  cancelCentreDay,
  changeAnnouncement,
  changeSchedule,
  changeStaffRole,
  checkIn,
  closeBatch,
  closeCentre,
  completeVaccination,
  correctVaccination,
  currentAnnouncements,
  type Deps,
  DomainError,
  decideReview,
  eligibilityPolicyAt,
  exportFhirDay,
  FUNCTION_NAMES,
  type FunctionName,
  fhirDayManifest,
  findPatientByPesel,
  findVisitsByReference,
  getAppointment,
  getCentre,
  getCentreDay,
  getSchedule,
  grantGroup,
  type Identity,
  invalid,
  inviteStaff,
  joinQueue,
  joinStandby,
  leaveStandby,
  listAccessLog,
  listAnnouncements,
  listAppointments,
  listBatches,
  listCentreStaff,
  listEligibilityRules,
  listFreeSlots,
  listGroupUploads,
  listHotlineAlerts,
  listLookupReviews,
  listPolicyChanges,
  listWatchList,
  localToday,
  login,
  logWastedDose,
  lookUpCaller,
  markNoShow,
  markNotGiven,
  noteWouldBeWasted,
  type OpenDataFile,
  onboardCentre,
  type PreviewData,
  type Principal,
  PUBLIC_SUPPRESSION,
  passQueue,
  passStandbyOffer,
  patientEligibility,
  patientFhirRecord,
  pauseRule,
  previewBooking,
  previewEligibilityChange,
  previewScheduleChange,
  proposePolicyChange,
  queryAuditLog,
  queueSms,
  queueState,
  type RateLimits,
  type ReportsReader,
  ROUTES,
  type RouteName,
  type RouteResponses,
  type RouteSpec,
  registerCaller,
  rejectPolicyChange,
  removeStaffMember,
  reportFilter,
  reportSummary,
  rescheduleAppointment,
  resendConfirmation,
  resumeCentre,
  revealField,
  saveVaccine,
  searchCentres,
  searchSlots,
  standbyState,
  stockOutlook,
  suspendCentre,
  takeStandbyOffer,
  unwatchPesel,
  updateContact,
  uploadGroupReferrals,
  useQueuePass,
  vaccineImpact,
  type WebLoginConfig,
  watchPesel,
  whoAmI,
  withdrawPolicyChange,
} from '@ereg/shared';
import { openDataFile } from '../reports/open-data.ts';
import type { LogSink } from './error-response.ts';
import { type HttpFunction, StreamedBody } from './http-types.ts';
import { bindRoutes, createRouter, type Handler, Reply } from './router.ts';
import { schedulingFile, schedulingManifest } from './scheduling-links.ts';

/** The open data files change once a day at most: a cache may keep one for five minutes. */
const OPEN_DATA_CACHE = 'public, max-age=300';
/** The same for everyone and changed rarely: a cache (the browser's, the CDN's) may keep it for a minute. */
const ANNOUNCEMENTS_CACHE = 'public, max-age=60';

/** The patient a request is about: a patient acts for themselves; others must name the patient. */
function patientIdOf(principal: Principal, given: string | undefined): string {
  if (given) return given;
  if (principal.role === 'patient') return principal.patientId;
  throw invalid('PATIENT_REQUIRED', 'Say which patient this is for.', 'patientId');
}

/**
 * The embedded default: the development identity provider's pages (staff, the hotline and the reports'
 * dashboard have their own), and bearer sessions.
 */
export const LOCAL_WEB_LOGIN: WebLoginConfig = {
  idpLoginUrl: '/dev-idp/login',
  session: { kind: 'bearer' },
  staff: { kind: 'dev-idp', url: '/dev-idp/login/staff' },
  hotline: { kind: 'dev-idp', url: '/dev-idp/login/hotline' },
  reports: { kind: 'dev-idp', url: '/dev-idp/login/reports' },
};

type RoutesOf<F extends FunctionName> = {
  [N in RouteName]: (typeof ROUTES)[N]['fn'] extends F ? N : never;
}[RouteName];

/**
 * A handler for every route of function F, each typed by its route's schemas and answer (RouteResponses);
 * an answer that is not JSON (a file) comes as a Reply the handler writes itself.
 */
export type ApiHandlers<F extends FunctionName> = {
  [N in RoutesOf<F>]: Handler<(typeof ROUTES)[N], RouteResponses[N] | Reply>;
};

function apiFunction<F extends FunctionName>(
  fn: F,
  handlers: ApiHandlers<F>,
  options: { identity: Identity; limits?: RateLimits | undefined; log?: LogSink | undefined },
): HttpFunction {
  const table: Partial<Record<RouteName, RouteSpec>> = {};
  for (const [name, spec] of Object.entries(ROUTES)) if (spec.fn === fn) table[name as RouteName] = spec;
  const routes = bindRoutes(table as Pick<typeof ROUTES, RoutesOf<F>>, handlers);
  return createRouter(routes, { surface: fn, ...options });
}

export interface HttpFunctionsOptions {
  web?: WebLoginConfig;
  /** The warehouse the reports read (the report routes fail without it). */
  reports?: ReportsReader;
  /** The warehouse's aggregates the preview of an eligibility change reads (the preview fails without them). */
  preview?: PreviewData;
  /** The rate limits of the routes that declare a class in ROUTES; without them nothing is limited. */
  limits?: RateLimits;
  log?: LogSink;
  // The waiting room
  /** Counts bookings (completed, failed, how long they took) for the waiting room's admission controller. */
  bookingMeter?: BookingRecorder;
}

/** The session of a request to a public route, when it carries one (a patient searching logged in). */
async function optionalPrincipal(identity: Identity, headers: Record<string, string | undefined>) {
  const [scheme, token] = (headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) return null;
  return identity.verifySession(token);
}

/** Every HTTP function of the API, bound to one set of dependencies. */
export function buildHttpFunctions(
  deps: Deps,
  centres: CentreDirectory,
  options: HttpFunctionsOptions = {},
): Record<FunctionName, HttpFunction> {
  const web = options.web ?? LOCAL_WEB_LOGIN;
  const { limits } = options;
  const common = { identity: deps.identity, limits, log: options.log };
  const summary = (query: Parameters<typeof reportFilter>[0], suppressBelow: number | null) => {
    if (!options.reports) throw new Error('The reports have no warehouse to read in this deployment.');
    const today = localToday(deps.clock.now(), deps.settings.timeZone);
    return reportSummary(options.reports, reportFilter(query, today), today, suppressBelow);
  };
  const openData = async (file: OpenDataFile) => {
    if (!options.reports) throw new Error('The reports have no warehouse to read in this deployment.');
    return new Reply({
      status: 200,
      body: await openDataFile(options.reports, file),
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${file}"`,
        'cache-control': OPEN_DATA_CACHE,
      },
    });
  };
  const functions: Record<FunctionName, HttpFunction> = {
    login: apiFunction(
      'login',
      {
        login: async ({ body }) => {
          // Per person: counted once the assertion is verified, before anything is read or written.
          const result = await login(deps, body.assertion, body.language, {
            admit: async (person) => limits?.admit('login', 'identity', person.pesel),
          });
          return {
            token: result.session.token,
            expiresAt: result.session.expiresAt,
            tokenKind: result.session.kind,
            patient: result.patient,
            eligibility: result.eligibility,
            referral: result.referral,
          };
        },
        me: (_, { principal }) => whoAmI(deps, principal),
        loginConfig: async () => web,
      },
      common,
    ),

    search: apiFunction(
      'search',
      {
        search: async ({ query }, { request }) => {
          // The waiting room: a patient searching with their session passes the gate of their opening.
          const principal = await optionalPrincipal(deps.identity, request.headers);
          if (principal?.role === 'patient') await passQueue(deps, principal, principal.patientId);
          return searchSlots(deps, centres, query);
        },
        vaccines: async () => ({ vaccines: deps.vaccines }),
        currentAnnouncements: async () =>
          new Reply({
            status: 200,
            body: { announcements: await currentAnnouncements(deps) },
            headers: { 'cache-control': ANNOUNCEMENTS_CACHE },
          }),
        // Scheduling links
        schedulingManifest: async ({ query }, { request }) => schedulingManifest(query, request),
        schedulingFile: async ({ params, query }, { request }) => schedulingFile(deps, params, query, request),
      },
      common,
    ),

    booking: apiFunction(
      'booking',
      {
        book: async ({ body, headers }, { principal }) => {
          const patientId = patientIdOf(principal, body.patientId);
          const pass = await passQueue(deps, principal, patientId, headers['Queue-Ticket']);
          const started = Date.now();
          let failed = true;
          try {
            const booked = await bookAppointment(deps, principal, {
              patientId,
              slotId: body.slotId,
              nextSlotId: body.nextSlotId ?? null,
              idempotencyKey: headers['Idempotency-Key'] ?? null,
              reason: body.reason,
            });
            failed = false;
            await useQueuePass(deps, pass);
            options.bookingMeter?.record(deps.clock.now(), { booked: true, failed, ms: Date.now() - started });
            return booked;
          } catch (error) {
            // Only the server's own failures count against capacity; a refused booking is an answer.
            failed = !(error instanceof DomainError);
            options.bookingMeter?.record(deps.clock.now(), { booked: false, failed, ms: Date.now() - started });
            throw error;
          }
        },
        previewBooking: async ({ body }, { principal }) => {
          const patientId = patientIdOf(principal, body.patientId);
          await passQueue(deps, principal, patientId);
          return previewBooking(deps, principal, { patientId, slotId: body.slotId, reason: body.reason });
        },
        patientEligibility: ({ params, query }, { principal }) =>
          patientEligibility(deps, principal, params.patientId, query.reason),
        updateContact: async ({ params, body }, { principal }) => ({
          patient: await updateContact(deps, principal, { patientId: params.patientId, ...body }),
        }),
        listAppointments: async ({ params, query }, { principal }) => ({
          appointments: await listAppointments(deps, principal, params.patientId, query.reason),
        }),
        getAppointment: ({ params, query }, { principal }) =>
          getAppointment(deps, principal, params.appointmentId, query.reason),
        cancel: async ({ params, body }, { principal }) => ({
          cancelled: await cancelAppointment(deps, principal, {
            appointmentId: params.appointmentId,
            reason: body.reason,
          }),
        }),
        reschedule: async ({ params, body }, { principal }) => ({
          appointments: await rescheduleAppointment(deps, principal, {
            appointmentId: params.appointmentId,
            slotId: body.slotId,
            reason: body.reason,
          }),
        }),
        findPatient: async ({ body }, { principal }) => ({
          patient: await findPatientByPesel(deps, principal, body.pesel, body.reason),
        }),

        // The hotline.
        lookUpCaller: ({ body }, { principal }) => lookUpCaller(deps, principal, body),
        revealField: ({ params, body }, { principal }) =>
          revealField(deps, principal, { patientId: params.patientId, field: body.field }),
        registerCaller: async ({ body }, { principal }) => ({ caller: await registerCaller(deps, principal, body) }),
        bookHousehold: ({ body, headers }, { principal }) =>
          bookHousehold(deps, principal, { ...body, idempotencyKey: headers['Idempotency-Key'] ?? null }),
        resendConfirmation: ({ params, body }, { principal }) =>
          resendConfirmation(deps, principal, { appointmentId: params.appointmentId, reason: body.reason }),
        accessLog: async ({ params }, { principal }) => ({
          entries: await listAccessLog(deps, principal, params.patientId),
        }),

        // The waiting room
        joinQueue: async ({ body }, { principal }) => {
          const joined = await joinQueue(deps, principal, body.patientId, body.reason);
          return new Reply({ status: joined.created ? 201 : 200, body: { queue: joined.queue } });
        },
        queueState: ({ params, query }, { principal }) => queueState(deps, principal, params.patientId, query.reason),
        queueSms: ({ params, body }, { principal }) =>
          queueSms(deps, principal, params.patientId, body.notify, body.reason),

        // FHIR R4 export for registries, and a patient's own record
        myFhirRecord: async (_, { principal }) =>
          new Reply({
            status: 200,
            body: await patientFhirRecord(deps, principal),
            headers: {
              'content-type': 'application/fhir+json; charset=utf-8',
              'content-disposition': 'attachment; filename="record.fhir.json"',
            },
          }),
        // The standby list
        standby: ({ params, query }, { principal }) => standbyState(deps, principal, params.patientId, query.reason),
        joinStandby: async ({ params, body }, { principal }) => ({
          standby: await joinStandby(deps, centres, principal, params.patientId, body),
        }),
        leaveStandby: async ({ params, query }, { principal }) => ({
          standby: await leaveStandby(deps, principal, params.patientId, query.reason),
        }),
        takeStandbyOffer: ({ params, body }, { principal }) =>
          takeStandbyOffer(deps, principal, { ...params, reason: body.reason }),
        passStandbyOffer: ({ params, body }, { principal }) =>
          passStandbyOffer(deps, principal, { ...params, reason: body.reason }),
      },
      common,
    ),

    centres: apiFunction(
      'centres',
      {
        centre: ({ params }) => getCentre(deps, params.centreId),
        centreSlots: ({ params, query }) => listFreeSlots(deps, params.centreId, query),
        getSchedule: ({ params }, { principal }) => getSchedule(deps, principal, params.centreId),
        putSchedule: ({ params, body: { confirmCancellations = [], ...schedule } }, { principal }) =>
          changeSchedule(deps, principal, params.centreId, schedule, confirmCancellations),
        previewSchedule: ({ params, body: { confirmCancellations: _, ...schedule } }, { principal }) =>
          previewScheduleChange(deps, principal, params.centreId, schedule),
        day: ({ params, query }, { principal }) =>
          getCentreDay(deps, principal, params.centreId, query.date, query.since),
        visitsByReference: ({ params }, { principal }) =>
          findVisitsByReference(deps, principal, params.centreId, params.reference),
        cancelDay: ({ params, body }, { principal }) =>
          cancelCentreDay(deps, principal, params.centreId, params.date, body.reason, body.from ?? null),
        checkIn: ({ params, body, headers }, { principal }) =>
          checkIn(deps, principal, params.centreId, params.appointmentId, {
            idempotencyKey: headers['Idempotency-Key'],
            asked: 'check-in',
            at: body.at,
          }),
        complete: ({ params, body, headers }, { principal }) =>
          completeVaccination(deps, principal, params.centreId, {
            ...body,
            appointmentId: params.appointmentId,
            idempotencyKey: headers['Idempotency-Key'],
          }),
        walkIn: ({ params, body, headers }, { principal }) =>
          bookWalkIn(deps, principal, params.centreId, { ...body, idempotencyKey: headers['Idempotency-Key'] }),
        notGiven: ({ params, body, headers }, { principal }) =>
          markNotGiven(deps, principal, params.centreId, {
            ...body,
            appointmentId: params.appointmentId,
            idempotencyKey: headers['Idempotency-Key'],
          }),
        correct: ({ params, body, headers }, { principal }) =>
          correctVaccination(deps, principal, params.centreId, {
            ...body,
            appointmentId: params.appointmentId,
            idempotencyKey: headers['Idempotency-Key'],
          }),
        noShow: ({ params, headers }, { principal }) =>
          markNoShow(deps, principal, params.centreId, params.appointmentId, {
            idempotencyKey: headers['Idempotency-Key'],
            asked: 'no-show',
          }),
        listBatches: async ({ params }, { principal }) => ({
          batches: await listBatches(deps, principal, params.centreId),
        }),
        addBatch: ({ params, body }, { principal }) => addBatch(deps, principal, params.centreId, body),
        closeBatch: ({ params }, { principal }) => closeBatch(deps, principal, params.centreId, params.batchId),
        // The standby list
        wouldBeWasted: ({ params, body }, { principal }) => noteWouldBeWasted(deps, principal, params.centreId, body),
        wasteDoses: ({ params, body }, { principal }) =>
          logWastedDose(deps, principal, params.centreId, { ...body, batchId: params.batchId }),
        stockOutlook: ({ params }, { principal }) => stockOutlook(deps, principal, params.centreId),
        listStaff: ({ params }, { principal }) => listCentreStaff(deps, principal, params.centreId),
        addStaff: ({ params, body }, { principal }) => addStaffMember(deps, principal, params.centreId, body),
        removeStaff: ({ params }, { principal }) => removeStaffMember(deps, principal, params.centreId, params.staffId),
        changeStaffRole: ({ params, body }, { principal }) =>
          changeStaffRole(deps, principal, params.centreId, params.staffId, body.role),
      },
      common,
    ),

    admin: apiFunction(
      'admin',
      {
        rules: async () => ({ rules: await listEligibilityRules(deps) }),
        // The administration: eligibility policy.
        policyAt: ({ query }, { principal }) => eligibilityPolicyAt(deps, principal, query.at),
        listPolicyChanges: ({ query }, { principal }) => listPolicyChanges(deps, principal, query.status),
        proposePolicyChange: ({ body }, { principal }) => proposePolicyChange(deps, principal, body),
        approvePolicyChange: ({ params, body }, { principal }) =>
          approvePolicyChange(deps, principal, params.changeId, body.note),
        rejectPolicyChange: ({ params, body }, { principal }) =>
          rejectPolicyChange(deps, principal, params.changeId, body.note),
        withdrawPolicyChange: ({ params, body }, { principal }) =>
          withdrawPolicyChange(deps, principal, params.changeId, body.note),
        pauseRule: ({ params, body }, { principal }) => pauseRule(deps, principal, params.ruleId, body.reason),
        onboard: ({ body }, { principal }) => onboardCentre(deps, principal, body),
        // The administration: centres and the vaccine catalogue.
        searchCentres: ({ query }, { principal }) => searchCentres(deps, principal, query),
        adminCentre: ({ params }, { principal }) => adminCentre(deps, principal, params.centreId),
        suspendCentre: ({ params, body }, { principal }) => suspendCentre(deps, principal, params.centreId, body),
        resumeCentre: ({ params }, { principal }) => resumeCentre(deps, principal, params.centreId),
        closeCentre: ({ params, body }, { principal }) => closeCentre(deps, principal, params.centreId, body),
        inviteStaff: ({ params, body }, { principal }) => inviteStaff(deps, principal, params.centreId, body),
        adminVaccines: (_, { principal }) => adminVaccines(deps, principal),
        vaccineImpact: ({ body }, { principal }) => vaccineImpact(deps, principal, body.vaccine),
        saveVaccine: ({ params, body }, { principal }) => saveVaccine(deps, principal, params.vaccineId, body),
        grantGroup: async ({ body }, { principal }) => ({ referral: await grantGroup(deps, principal, body) }),

        // The administration: priority-group referrals and announcements
        uploadGroupReferrals: ({ body }, { principal }) => uploadGroupReferrals(deps, principal, body),
        listGroupUploads: async (_, { principal }) => ({ uploads: await listGroupUploads(deps, principal) }),
        listAnnouncements: async (_, { principal }) => ({
          announcements: await listAnnouncements(deps, principal),
        }),
        addAnnouncement: async ({ body }, { principal }) => ({
          announcement: await addAnnouncement(deps, principal, body),
        }),
        changeAnnouncement: async ({ params, body }, { principal }) => ({
          announcement: await changeAnnouncement(deps, principal, params.announcementId, body),
        }),

        // The hotline's supervisors.
        auditLog: ({ query }, { principal }) => queryAuditLog(deps, principal, query),
        listAlerts: async ({ query }, { principal }) => ({
          alerts: await listHotlineAlerts(
            deps,
            principal,
            query.open === undefined ? undefined : query.open === 'true',
          ),
        }),
        acknowledgeAlert: ({ params, body }, { principal }) =>
          acknowledgeAlert(deps, principal, { alertId: params.alertId, note: body.note }),
        listReviews: async ({ query }, { principal }) => ({
          reviews: await listLookupReviews(
            deps,
            principal,
            query.pending === undefined ? undefined : query.pending === 'true',
          ),
        }),
        decideReview: ({ params, body }, { principal }) =>
          decideReview(deps, principal, { reviewId: params.reviewId, ...body }),
        watchList: async (_, { principal }) => ({ entries: await listWatchList(deps, principal) }),
        watchPesel: ({ body }, { principal }) => watchPesel(deps, principal, body),
        unwatchPesel: ({ body }, { principal }) => unwatchPesel(deps, principal, body),

        // The administration: the preview of an eligibility change
        previewPolicy: ({ body }, { principal }) => {
          if (!options.preview) throw new Error('The preview has no warehouse to read in this deployment.');
          return previewEligibilityChange(deps, options.preview, principal, body.rules);
        },

        // FHIR R4 export for registries, and a patient's own record
        fhirDayManifest: async ({ params }, { principal }) =>
          fhirDayManifest(deps, principal, params.date, (file) =>
            apiPath(ROUTES.fhirDayFile, { date: params.date, file }),
          ),
        fhirDayFile: async ({ params }, { principal }) =>
          new Reply({
            status: 200,
            body: new StreamedBody(await exportFhirDay(deps, principal, params.date, params.file)),
            headers: {
              'content-type': 'application/fhir+ndjson',
              'content-disposition': `attachment; filename="${params.date}-${params.file}"`,
            },
          }),
      },
      common,
    ),

    reports: apiFunction(
      'reports',
      {
        reportSummary: ({ query }) => summary(query, null),
        publicReport: ({ query }) => summary(query, PUBLIC_SUPPRESSION),
        openData: ({ params }) => openData(params.file),
      },
      common,
    ),
  };
  for (const name of FUNCTION_NAMES) if (!functions[name]) throw new Error(`No HTTP function ${name}.`);
  return functions;
}
