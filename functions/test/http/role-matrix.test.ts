import { apiPath, ROUTES, type RouteName, VACCINES } from '@ereg/shared';
import { aCitizen, aSchedule } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// Who calls, and whose resource: patient A (visits at centre 1, looked up by agent-1) is "own";
// patient B (visits at centre 2, looked up by nobody) is "other". Staff and the manager work at centre 1.
const CELLS = [
  'none',
  'patient',
  'patientOther',
  'agentBefore',
  'agentAfter',
  'staff',
  'staffOther',
  'manager',
  'managerOther',
  'admin',
  'supervisor',
  'analyst',
  'registry',
] as const;
type Cell = (typeof CELLS)[number];
/** `ok`: let through by access control (the answer is not 401 or 403); a number: that exact status. */
type Expect = 'ok' | 401 | 403;
type Row = Record<Cell, Expect>;

const PUBLIC: Row = {
  none: 'ok',
  patient: 'ok',
  patientOther: 'ok',
  agentBefore: 'ok',
  agentAfter: 'ok',
  staff: 'ok',
  staffOther: 'ok',
  manager: 'ok',
  managerOther: 'ok',
  admin: 'ok',
  supervisor: 'ok',
  analyst: 'ok',
  registry: 'ok',
};
const PATIENT_DATA: Row = {
  none: 401,
  patient: 'ok',
  patientOther: 403,
  agentBefore: 403,
  agentAfter: 'ok',
  staff: 'ok',
  staffOther: 403,
  manager: 'ok',
  managerOther: 403,
  admin: 403,
  supervisor: 403,
  analyst: 403,
  registry: 403,
};
const CENTRE_STAFF: Row = {
  none: 401,
  patient: 403,
  patientOther: 403,
  agentBefore: 403,
  agentAfter: 403,
  staff: 'ok',
  staffOther: 403,
  manager: 'ok',
  managerOther: 403,
  admin: 403,
  supervisor: 403,
  analyst: 403,
  registry: 403,
};
const ADMIN: Row = {
  none: 401,
  patient: 403,
  patientOther: 403,
  agentBefore: 403,
  agentAfter: 403,
  staff: 403,
  staffOther: 403,
  manager: 403,
  managerOther: 403,
  admin: 'ok',
  supervisor: 403,
  analyst: 403,
  registry: 403,
};
/** The centre manager's own: schedules and closures of their centre. */
const CENTRE_MANAGER: Row = { ...CENTRE_STAFF, staff: 403 };
/** The hotline's supervisors' own: the audit log, alerts, reviews. */
const SUPERVISOR: Row = { ...ADMIN, admin: 403, supervisor: 'ok' };
/** Any agent: a look-up or a registration (each gives leave on the people it names). */
const AGENT: Row = { ...ADMIN, admin: 403, agentBefore: 'ok', agentAfter: 'ok' };
/** An agent acting on a person: only after looking them up. */
const AGENT_AFTER_LOOKUP: Row = { ...ADMIN, admin: 403, agentAfter: 'ok' };

/** The expected answer of every route, by caller. */
const MATRIX: Record<RouteName, Row> = {
  login: PUBLIC,
  loginConfig: PUBLIC,
  me: { ...PUBLIC, none: 401, registry: 403 },
  search: PUBLIC,
  vaccines: PUBLIC,
  book: PATIENT_DATA,
  previewBooking: PATIENT_DATA,
  listAppointments: PATIENT_DATA,
  updateContact: { ...PATIENT_DATA, staff: 403, manager: 403 },
  patientEligibility: { ...PATIENT_DATA, staff: 403, manager: 403 },
  getAppointment: PATIENT_DATA,
  cancel: PATIENT_DATA,
  reschedule: PATIENT_DATA,
  findPatient: { ...ADMIN, agentBefore: 'ok', agentAfter: 'ok', admin: 403 },
  centre: PUBLIC,
  centreSlots: PUBLIC,
  getSchedule: CENTRE_STAFF,
  putSchedule: CENTRE_MANAGER,
  previewSchedule: CENTRE_MANAGER,
  day: CENTRE_STAFF,
  visitsByReference: CENTRE_STAFF,
  cancelDay: CENTRE_MANAGER,
  checkIn: CENTRE_STAFF,
  complete: CENTRE_STAFF,
  notGiven: CENTRE_STAFF,
  walkIn: CENTRE_STAFF,
  correct: CENTRE_STAFF,
  noShow: CENTRE_STAFF,
  listBatches: CENTRE_STAFF,
  addBatch: CENTRE_MANAGER,
  closeBatch: CENTRE_MANAGER,
  wasteDoses: CENTRE_STAFF,
  stockOutlook: CENTRE_STAFF,
  listStaff: CENTRE_STAFF,
  addStaff: CENTRE_MANAGER,
  removeStaff: CENTRE_MANAGER,
  changeStaffRole: CENTRE_MANAGER,
  rules: { ...ADMIN, agentBefore: 'ok', agentAfter: 'ok' },
  // The administration: eligibility policy.
  policyAt: ADMIN,
  listPolicyChanges: ADMIN,
  proposePolicyChange: ADMIN,
  approvePolicyChange: ADMIN,
  rejectPolicyChange: ADMIN,
  withdrawPolicyChange: ADMIN,
  pauseRule: ADMIN,
  onboard: ADMIN,
  // The administration: centres and the vaccine catalogue.
  searchCentres: ADMIN,
  adminCentre: ADMIN,
  suspendCentre: ADMIN,
  resumeCentre: ADMIN,
  closeCentre: ADMIN,
  inviteStaff: ADMIN,
  adminVaccines: ADMIN,
  vaccineImpact: ADMIN,
  saveVaccine: ADMIN,
  grantGroup: ADMIN,
  // The administration: priority-group referrals and announcements
  uploadGroupReferrals: ADMIN,
  listGroupUploads: ADMIN,
  listAnnouncements: ADMIN,
  addAnnouncement: ADMIN,
  changeAnnouncement: ADMIN,
  currentAnnouncements: PUBLIC,
  lookUpCaller: AGENT,
  revealField: AGENT_AFTER_LOOKUP,
  registerCaller: AGENT,
  bookHousehold: AGENT_AFTER_LOOKUP,
  resendConfirmation: { ...PATIENT_DATA, staff: 403, manager: 403 },
  accessLog: { ...ADMIN, admin: 403, patient: 'ok' },
  auditLog: SUPERVISOR,
  listAlerts: SUPERVISOR,
  acknowledgeAlert: SUPERVISOR,
  listReviews: SUPERVISOR,
  decideReview: SUPERVISOR,
  watchList: { ...SUPERVISOR, admin: 'ok' },
  watchPesel: { ...SUPERVISOR, admin: 'ok' },
  unwatchPesel: { ...SUPERVISOR, admin: 'ok' },
  reportSummary: { ...ADMIN, analyst: 'ok' },
  publicReport: PUBLIC,
  openData: PUBLIC,

  // The administration: the preview of an eligibility change
  previewPolicy: ADMIN,
  // The waiting room
  joinQueue: { ...PATIENT_DATA, staff: 403, manager: 403 },
  queueState: { ...PATIENT_DATA, staff: 403, manager: 403 },
  queueSms: { ...PATIENT_DATA, staff: 403, manager: 403 },

  // FHIR R4 export for registries, and a patient's own record: personal data leaves the system, so
  // neither administrators nor analysts; a patient's own record (no patient named: their own).
  fhirDayManifest: { ...ADMIN, admin: 403, registry: 'ok' },
  fhirDayFile: { ...ADMIN, admin: 403, registry: 'ok' },
  myFhirRecord: { ...ADMIN, admin: 403, patient: 'ok', patientOther: 'ok' },
  // The standby list: the person, or an agent after looking them up; a centre's staff for its doses.
  standby: { ...PATIENT_DATA, staff: 403, manager: 403 },
  joinStandby: { ...PATIENT_DATA, staff: 403, manager: 403 },
  leaveStandby: { ...PATIENT_DATA, staff: 403, manager: 403 },
  takeStandbyOffer: { ...PATIENT_DATA, staff: 403, manager: 403 },
  passStandbyOffer: { ...PATIENT_DATA, staff: 403, manager: 403 },
  wouldBeWasted: CENTRE_STAFF,
  // Scheduling links
  schedulingManifest: PUBLIC,
  schedulingFile: PUBLIC,
};

interface Subject {
  patientId: string;
  pesel: string;
  centreId: string;
  appointmentId: string;
  date: string;
  freeSlotId: string;
  reference: string;
  /** A member of the subject's centre whom nobody calls as: the one removed or given another role. */
  staffId: string;
}

let system: TestSystem;
let close: () => Promise<void>;
let call: Call;
const tokens: Partial<Record<Cell, string>> = {};
let own: Subject;
let other: Subject;
/** Members added by the matrix, each with an e-mail of their own. */
let added = 0;
/** A fresh assertion for every login: each is exchanged once. */
let assertion: string;
/** Pending policy changes: two proposed by another administrator (approved, rejected), one by admin-1 (withdrawn). */
const changes: Record<'approve' | 'reject' | 'withdraw', string> = { approve: '', reject: '', withdraw: '' };

async function patientWithVisit(centreId: string, postalCode: string) {
  const citizen = aCitizen({ born: 1950 });
  const assertion = await call('POST', '/dev-idp/assertion', { body: { pesel: citizen.pesel } });
  const session = await call('POST', '/api/login', { body: { assertion: assertion.body.assertion } });
  const found = await call('GET', `/api/search?postalCode=${postalCode}&vaccineId=comirnaty&limit=10`);
  const result = found.body.results.find((r: { centre: { id: string } }) => r.centre.id === centreId);
  const [first, second] = result.slots;
  const booking = await call('POST', '/api/booking/appointments', {
    token: session.body.token,
    body: { slotId: first.slotId },
  });
  expect(booking.status).toBe(201);
  const appointment = booking.body.appointments[0];
  return {
    token: session.body.token as string,
    subject: {
      patientId: session.body.patient.id,
      pesel: citizen.pesel,
      centreId,
      appointmentId: appointment.id,
      date: appointment.localDate,
      freeSlotId: second.slotId,
      reference: appointment.reference,
      staffId: `${centreId}-member`,
    } satisfies Subject,
  };
}

beforeAll(async () => {
  system = await createTestSystem();
  await system.addRule();
  const c1 = await system.addCentre({ id: 'c-one' });
  const c2 = await system.addCentre({ id: 'c-two' });
  const served = await serve(system);
  close = served.close;
  call = client(served.url);
  const a = await patientWithVisit(c1.id, c1.address.postalCode);
  const b = await patientWithVisit(c2.id, c2.address.postalCode);
  own = a.subject;
  other = b.subject;
  for (const subject of [own, other]) {
    await system.store.runInTransaction(async (tx) =>
      tx.putStaff({
        id: subject.staffId,
        name: 'Maria Member',
        email: `${subject.staffId}@example.test`,
        centreId: subject.centreId,
        role: 'staff',
      }),
    );
  }
  tokens.patient = a.token;
  tokens.patientOther = a.token;
  tokens.agentBefore = await system.tokenFor({ role: 'agent', agentId: 'agent-2' });
  tokens.agentAfter = await system.tokenFor({ role: 'agent', agentId: 'agent-1' });
  tokens.staff = await system.tokenFor({ role: 'staff', staffId: 'staff-1', centreId: c1.id });
  tokens.staffOther = tokens.staff;
  tokens.manager = await system.tokenFor({ role: 'centre-manager', staffId: 'manager-1', centreId: c1.id });
  tokens.managerOther = tokens.manager;
  tokens.admin = await system.tokenFor({ role: 'admin', adminId: 'admin-1' });
  tokens.supervisor = await system.tokenFor({ role: 'supervisor', supervisorId: 'supervisor-1' });
  tokens.analyst = await system.tokenFor({ role: 'analyst', analystId: 'analyst-1' });
  tokens.registry = await system.tokenFor({ role: 'registry', registryId: 'registry-p1' });
  const otherAdmin = await system.tokenFor({ role: 'admin', adminId: 'admin-2' });
  for (const [purpose, token] of [
    ['approve', otherAdmin],
    ['reject', otherAdmin],
    ['withdraw', tokens.admin],
  ] as const) {
    const proposed = await call('POST', '/api/admin/policy-changes', {
      token,
      body: { action: 'open', rules: [{ kind: 'group', group: `matrix-${purpose}`, opensAt: '2026-02-01T07:00:00Z' }] },
    });
    expect(proposed.status).toBe(201);
    changes[purpose] = proposed.body.change.id;
  }
  await system.addRule({
    id: 'group-paused',
    kind: 'group',
    group: 'paused',
    from: '2026-01-01',
    description: 'Paused',
  });
  const lookup = await call('POST', '/api/booking/patients/lookup', {
    token: tokens.agentAfter,
    body: { pesel: own.pesel, reason: 'caller on the line' },
  });
  expect(lookup.status).toBe(200);
});

afterAll(async () => {
  await close?.();
  await system?.close();
});

/** A request to a route about a subject: valid enough that only access control can refuse it. */
function request(route: RouteName, s: Subject): { params: Record<string, string>; query?: string; body?: unknown } {
  const reason = 'caller on the line';
  const params = {
    patientId: s.patientId,
    appointmentId: s.appointmentId,
    centreId: s.centreId,
    date: s.date,
    reference: s.reference,
    // No such batch: access control answers first, then the batch is not found (404).
    batchId: 'bat-none',
    staffId: s.staffId,
    alertId: 'alr-none',
    reviewId: 'rev-none',
    file: 'no-shows.csv',
    ruleId: 'group-paused',
    // No such offer: access control answers first, then the offer is not found (404).
    offerId: 'sbo-none',
    changeId:
      route === 'approvePolicyChange'
        ? changes.approve
        : route === 'rejectPolicyChange'
          ? changes.reject
          : changes.withdraw,
  };
  switch (route) {
    case 'login':
      return { params, body: { assertion } };
    case 'search':
      return { params, query: '?postalCode=00-950' };
    case 'book':
    case 'previewBooking':
      return { params, body: { slotId: s.freeSlotId, patientId: s.patientId, reason } };
    case 'centreSlots':
      return { params, query: `?vaccineId=comirnaty&from=${s.date}&to=${s.date}` };
    case 'listAppointments':
    case 'getAppointment':
    case 'patientEligibility':
      return { params, query: `?reason=${encodeURIComponent(reason)}` };
    case 'updateContact':
      return { params, body: { language: 'en', reason } };
    case 'cancel':
      return { params, body: { reason } };
    case 'reschedule':
      return { params, body: { slotId: s.freeSlotId, reason } };
    // Someone never registered: a look-up that gives no agent leave on the people the later rows act on.
    case 'findPatient':
      return { params, body: { pesel: aCitizen({ born: 1930 }).pesel, reason } };
    case 'putSchedule':
    case 'previewSchedule':
      return { params, body: aSchedule() };
    case 'day':
      return { params, query: `?date=${s.date}` };
    case 'cancelDay':
      return { params, body: { reason: 'flooded' } };
    case 'complete':
      return { params, body: { vaccineId: 'comirnaty', batchId: 'bat-1', site: 'left_deltoid' } };
    case 'correct':
      return {
        params,
        body: { vaccineId: 'comirnaty', batchId: 'bat-1', site: 'left_deltoid', reason: 'lot misread' },
      };
    case 'walkIn':
      return { params, body: { pesel: s.pesel, givenName: 'Anna', familyName: 'Nowak', vaccineId: 'comirnaty' } };
    case 'notGiven':
      return { params, body: { reason: 'declined' } };
    case 'addBatch':
      return { params, body: { vaccineId: 'comirnaty', number: 'RM-1', expiry: '2099-12-31', doses: 100 } };
    case 'wasteDoses':
      return { params, body: { count: 1, reason: 'broken' } };
    case 'policyAt':
      return { params, query: '?at=2026-01-12T08:00:00Z' };
    case 'listPolicyChanges':
      return { params, query: '?status=pending' };
    case 'proposePolicyChange':
      return {
        params,
        body: { action: 'open', rules: [{ kind: 'group', group: 'teachers', opensAt: '2026-02-01T07:00:00Z' }] },
      };
    case 'approvePolicyChange':
    case 'withdrawPolicyChange':
      return { params, body: {} };
    case 'rejectPolicyChange':
      return { params, body: { note: 'not this month' } };
    case 'pauseRule':
      return { params, body: { reason: 'supply ran out' } };
    case 'onboard':
      return { params, body: {} };
    // The administration: centres and the vaccine catalogue. Changes go to a centre that does not exist
    // (404 once let through), and a save is not acknowledged (409): the other rows' centres stay as they are.
    case 'searchCentres':
      return { params, query: '?q=centre&status=active' };
    case 'suspendCentre':
      return { params: { ...params, centreId: 'c-none' }, body: { reason } };
    case 'resumeCentre':
      return { params: { ...params, centreId: 'c-none' } };
    case 'closeCentre':
      return { params: { ...params, centreId: 'c-none' }, body: { reason, from: s.date } };
    case 'inviteStaff':
      return {
        params: { ...params, centreId: 'c-none' },
        body: { name: 'Nina Nowa', email: `nina-${++added}@example.test`, role: 'staff' },
      };
    case 'vaccineImpact':
      return { params, body: { vaccine: VACCINES[0] } };
    case 'saveVaccine':
      return {
        params: { ...params, vaccineId: 'comirnaty' },
        body: { vaccine: VACCINES[0], acknowledgedAffected: 999 },
      };
    case 'addStaff':
      return { params, body: { name: 'Nina Nowa', email: `nina-${++added}@example.test`, role: 'staff' } };
    case 'changeStaffRole':
      return { params, body: { role: 'staff' } };
    case 'grantGroup':
      return { params, body: { pesel: s.pesel, group: 'medical', reason } };
    // The administration: priority-group referrals and announcements
    case 'uploadGroupReferrals':
      return { params, body: { fileName: 'staff.csv', csv: `pesel,group\n${s.pesel},medical\n` } };
    case 'addAnnouncement':
    case 'changeAnnouncement': {
      const window = { from: '2026-01-01T00:00:00Z', until: '2099-01-01T00:00:00Z' };
      return {
        params: { ...params, announcementId: 'ann-none' },
        body: { text: { pl: 'a', en: 'a', uk: 'a' }, ...window },
      };
    }
    // A number nobody has: a look-up that gives no agent leave on the people the other rows act on.
    case 'lookUpCaller':
      return { params, body: { by: 'phone', value: '+48600999111', reason: 'caller-asking' } };
    case 'revealField':
      return { params, body: { field: 'phone' } };
    case 'registerCaller':
      return {
        params,
        body: {
          pesel: aCitizen({ born: 1940 + (++added % 20) }).pesel,
          givenName: 'Stefan',
          familyName: 'Nowy',
          landline: '+48221234567',
          reason: 'caller-booking',
          checked: true,
        },
      };
    case 'bookHousehold':
      return { params, body: { slotId: s.freeSlotId, patientIds: [s.patientId], reason } };
    case 'resendConfirmation':
      return { params, body: { reason } };
    case 'acknowledgeAlert':
      return { params, body: {} };
    case 'decideReview':
      return { params, body: { outcome: 'justified' } };
    case 'watchPesel':
      return { params, body: { pesel: aCitizen({ born: 1945 + (++added % 20) }).pesel, note: 'public figure' } };
    case 'unwatchPesel':
      return { params, body: { pesel: s.pesel } };
    case 'previewPolicy':
      return {
        params,
        body: { rules: [{ kind: 'birthYear', bornInOrBefore: 1960, opensAt: '2026-02-01T19:00:00Z' }] },
      };
    // The waiting room
    case 'joinQueue':
      return { params, body: { patientId: s.patientId, reason } };
    case 'queueState':
      return { params, query: `?reason=${encodeURIComponent(reason)}` };
    case 'queueSms':
      return { params, body: { notify: false, reason } };
    // FHIR R4 export for registries, and a patient's own record
    case 'fhirDayFile':
      return { params: { ...params, file: 'Immunization.ndjson' } };
    // The standby list
    case 'standby':
    case 'leaveStandby':
      return { params, query: `?reason=${encodeURIComponent(reason)}` };
    case 'joinStandby':
      return { params, body: { from: s.date, to: s.date, postalCode: '00-950', maxKm: 20, reason } };
    case 'takeStandbyOffer':
    case 'passStandbyOffer':
      return { params, body: { reason } };
    case 'wouldBeWasted':
      return { params, body: { vaccineId: 'comirnaty', doses: 2, until: '23:30' } };
    // Scheduling links
    case 'schedulingFile':
      return { params: { ...params, voivodeship: '14', file: 'slots.ndjson' } };
    default:
      return { params };
  }
}

test('every route has its row in the role matrix', () => {
  expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(ROUTES).sort());
});

describe.each(Object.keys(ROUTES) as RouteName[])('%s', (route) => {
  test.each([...CELLS])('called by %s', async (cell) => {
    const spec = ROUTES[route];
    if (route === 'login') {
      const issued = await call('POST', '/dev-idp/assertion', { body: { pesel: aCitizen({ born: 1950 }).pesel } });
      assertion = issued.body.assertion;
    }
    const subject = cell === 'patientOther' || cell === 'staffOther' || cell === 'managerOther' ? other : own;
    const { params, query = '', body } = request(route, subject);
    const used = Object.fromEntries(
      Object.entries(params).filter(([name]) => spec.path.includes(`:${name}`)),
    ) as Record<string, string>;
    const token = cell === 'none' ? undefined : tokens[cell];
    const reply = await call(spec.method, `${apiPath(spec, used)}${query}`, {
      ...(token ? { token } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    const expected = (MATRIX[route] ?? PUBLIC)[cell];
    if (expected === 'ok') {
      expect({ route, cell, refused: reply.status === 401 || reply.status === 403, body: reply.body }).toMatchObject({
        route,
        cell,
        refused: false,
      });
    } else
      expect([route, cell, reply.status, reply.body?.error?.code]).toEqual([route, cell, expected, expect.anything()]);
  });
});

describe('hotline sessions end on the server', () => {
  test('an agent idle for 15 minutes is refused as SESSION_IDLE, and signs in again to go on', async () => {
    const token = await system.tokenFor({ role: 'agent', agentId: 'agent-3' });
    expect((await call('GET', '/api/login/me', { token })).status).toBe(200);
    system.clock.advanceMinutes(14);
    expect((await call('GET', '/api/login/me', { token })).status).toBe(200);
    system.clock.advanceMinutes(15);
    const idle = await call('GET', '/api/login/me', { token });
    expect([idle.status, idle.body.error.code]).toEqual([401, 'SESSION_IDLE']);
    const again = await system.tokenFor({ role: 'agent', agentId: 'agent-3' });
    expect((await call('GET', '/api/login/me', { token: again })).status).toBe(200);
  });

  test('a session older than 10 hours is refused as SESSION_TOO_LONG, however busy', async () => {
    const token = await system.tokenFor({ role: 'supervisor', supervisorId: 'supervisor-1' });
    for (let hour = 0; hour < 10; hour++) {
      for (let quarter = 0; quarter < 5; quarter++) {
        expect((await call('GET', '/api/login/me', { token })).status).toBe(200);
        system.clock.advanceMinutes(12);
      }
    }
    const long = await call('GET', '/api/login/me', { token });
    expect([long.status, long.body.error.code]).toEqual([401, 'SESSION_TOO_LONG']);
  });
});
