import type { LookupReason } from '@ereg/shared';
import { REASON_CODES } from './audit-words.ts';
import { PATHS } from './paths.ts';

/** What the supervisor narrows the access log to; every part optional, kept in the page's address. */
export interface AuditFilters {
  agentId?: string;
  patientId?: string;
  reason?: LookupReason;
  /** Local dates (YYYY-MM-DD), both included. */
  from?: string;
  to?: string;
}

const NAMES = ['agentId', 'patientId', 'reason', 'from', 'to'] as const;

const isReason = (value: string): value is LookupReason => (REASON_CODES as readonly string[]).includes(value);

/** The filters a shared address carries; an unknown reason is left out rather than sent. */
export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const name of NAMES) {
    const value = search.get(name)?.trim();
    if (!value) continue;
    if (name === 'reason') {
      if (isReason(value)) filters.reason = value;
    } else filters[name] = value;
  }
  return filters;
}

/** The access log's address with these filters, to share or to link to from a review or an alert. */
export function auditHref(filters: AuditFilters): string {
  const search = new URLSearchParams();
  for (const name of NAMES) {
    const value = filters[name];
    if (value) search.set(name, value);
  }
  const text = search.toString();
  return text ? `${PATHS.audit}?${text}` : PATHS.audit;
}

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDateOf(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(instant))
    .reduce<Record<string, string>>((all, part) => {
      all[part.type] = part.value;
      return all;
    }, {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The country's zone: the audit's dates are local dates there, as the server counts them. */
export const AUDIT_TIME_ZONE = 'Europe/Warsaw';
