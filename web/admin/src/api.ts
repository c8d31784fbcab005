import type { Centre, EligibilityRule, StaffMember, Vaccine, WeeklyTemplate } from '@ereg/shared';
import type { ApiClient } from '../../shared/src/api-client.ts';

/*
 * The administration's calls to the API (`/api/admin/…`): each one path, its body and its answer, on
 * the shared client's session, renewal and refusals.
 */

export type RuleKind = EligibilityRule['kind'];

/** A rule as an administrator drafts it: who, from when (an instant), where. */
export type RuleDraft = (
  | { kind: 'birthYear'; bornInOrBefore: number }
  | { kind: 'ageOnDate'; minAge: number; onDate: string }
  | { kind: 'group'; group: string }
) & { opensAt: string; region?: string; description?: string };

export type RuleState = 'open' | 'planned' | 'paused';

export interface PolicyAt {
  version: number;
  at: string;
  rules: Array<EligibilityRule & { state: RuleState }>;
}

export type ChangeStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface PolicyChange {
  id: string;
  action: 'open' | 'resume' | 'cancel';
  rules?: EligibilityRule[];
  ruleId?: string;
  note: string;
  status: ChangeStatus;
  proposedBy: string;
  proposedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionNote?: string;
  version?: number;
}

export interface PlacesRow {
  voivodeship: string;
  name: string;
  free7: number;
  free14: number;
  free28: number;
  daysToFirstFree: number | null;
}

export interface PolicyPreview {
  asOf: { registrations: string | null; places: string | null };
  registered: { matching: number; newlyEligible: number };
  population: { estimate: number | null; byVoivodeship: Array<{ voivodeship: string; name: string; people: number }> };
  places: PlacesRow[];
  totals: { free7: number; free14: number; free28: number; daysToFirstFree: number | null };
}

export interface GroupUpload {
  id: string;
  fileName: string;
  at: string;
  by: string;
  rows: number;
  accepted: number;
  rejected: number;
  groups: string[];
}

export interface RowReport {
  line: number;
  status: 'accepted' | 'rejected';
  field?: string;
  code?: string;
  message?: string;
  sameAs?: number;
}

export interface AnnouncementText {
  pl: string;
  en: string;
  uk: string;
}

export interface Announcement {
  id: string;
  text: AnnouncementText;
  from: string;
  until: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export type CentreStatus = 'active' | 'suspended' | 'closed';

export type AdminCentre = Centre & { status?: CentreStatus; vaccineIds?: string[]; email?: string | null };

/** A product as the administration edits it. */
export type AdminVaccine = Vaccine & { recommendedIntervalDays?: number; mayFollow?: string[]; withdrawn?: boolean };

export interface AffectedVisit {
  appointmentId: string;
  bookingReference?: string;
  centreId: string;
  centreName: string;
  start: string;
  dose: number;
  problem: 'interval' | 'age' | 'booster' | 'follow' | 'withdrawn';
}

export interface StaffInvite {
  name: string;
  email: string;
  role: StaffMember['role'];
}

export interface OnboardBody {
  name: string;
  address: { street: string; postalCode: string; city: string; voivodeship: string; teryt?: string };
  location: { lat: number; lon: number };
  timeZone: string;
  phone: string | null;
  email: string | null;
  vaccineIds: string[];
  schedule: { weekly: WeeklyTemplate; closedDates: string[]; extraHours: [] };
  staff: StaffInvite[];
}

export interface CentreQuery {
  q?: string;
  voivodeship?: string;
  status?: string;
  limit?: number;
}

const path = (...parts: string[]) => `/api/admin/${parts.map(encodeURIComponent).join('/')}`;

/** The administration's calls on an API client. */
export function adminApi(api: ApiClient) {
  const get = <T>(to: string, query?: object) => api.request<T>('GET', to, { auth: true, query });
  const post = <T>(to: string, body: unknown = {}) => api.request<T>('POST', to, { auth: true, body });
  const put = <T>(to: string, body: unknown) => api.request<T>('PUT', to, { auth: true, body });
  return {
    policyAt: (at?: string) => get<PolicyAt>(path('eligibility-policy'), at ? { at } : {}),
    policyChanges: (status?: ChangeStatus) =>
      get<{ changes: PolicyChange[] }>(path('policy-changes'), status ? { status } : {}),
    proposeOpening: (rules: RuleDraft[], note: string) =>
      post<{ change: PolicyChange }>(path('policy-changes'), { action: 'open', rules, ...(note ? { note } : {}) }),
    approve: (changeId: string) =>
      post<{ change: PolicyChange; version: number }>(path('policy-changes', changeId, 'approve')),
    reject: (changeId: string, note: string) =>
      post<{ change: PolicyChange }>(path('policy-changes', changeId, 'reject'), { note }),
    withdraw: (changeId: string) => post<{ change: PolicyChange }>(path('policy-changes', changeId, 'withdraw')),
    pauseRule: (ruleId: string, reason: string) =>
      post<{ rule: EligibilityRule; version: number }>(path('eligibility-rules', ruleId, 'pause'), { reason }),
    preview: (rules: RuleDraft[]) => post<PolicyPreview>(path('policy-preview'), { rules }),

    uploadGroups: (fileName: string, csv: string) =>
      post<{ upload: GroupUpload; report: RowReport[] }>(path('group-referrals'), { fileName, csv }),
    groupUploads: () => get<{ uploads: GroupUpload[] }>(path('group-referrals')),
    announcements: () => get<{ announcements: Announcement[] }>(path('announcements')),
    addAnnouncement: (body: Pick<Announcement, 'text' | 'from' | 'until'>) =>
      post<{ announcement: Announcement }>(path('announcements'), body),
    changeAnnouncement: (id: string, body: Pick<Announcement, 'text' | 'from' | 'until'>) =>
      put<{ announcement: Announcement }>(path('announcements', id), body),

    centres: (query: CentreQuery) => get<{ centres: AdminCentre[] }>(path('centres'), query),
    centre: (centreId: string) => get<{ centre: AdminCentre; staff: StaffMember[] }>(path('centres', centreId)),
    onboard: (body: OnboardBody) => post<{ centre: AdminCentre }>(path('centres'), body),
    suspend: (centreId: string, reason: string) =>
      post<{ centre: AdminCentre }>(path('centres', centreId, 'suspend'), { reason }),
    resume: (centreId: string) => post<{ centre: AdminCentre }>(path('centres', centreId, 'resume')),
    close: (centreId: string, reason: string, from: string) =>
      post<{ centre: AdminCentre; cancelled: number }>(path('centres', centreId, 'close'), { reason, from }),
    inviteStaff: (centreId: string, body: StaffInvite) =>
      post<{ staff: StaffMember }>(path('centres', centreId, 'staff'), body),

    vaccines: () => get<{ vaccines: AdminVaccine[] }>(path('vaccines')),
    vaccineImpact: (vaccine: AdminVaccine) =>
      post<{ affected: AffectedVisit[]; total: number }>(path('vaccines', 'impact'), { vaccine }),
    saveVaccine: (vaccine: AdminVaccine, acknowledgedAffected: number) =>
      put<{ vaccine: AdminVaccine; affected: number }>(path('vaccines', vaccine.id), { vaccine, acknowledgedAffected }),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
