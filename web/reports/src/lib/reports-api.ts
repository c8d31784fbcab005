import type { AgeBand, ReportFilter, ReportSummary, RouteRequest } from '@ereg/shared';
import type { ApiClient } from '../../../shared/src/api-client.ts';
import type { Audience } from './paths.ts';

type ReportQuery = NonNullable<RouteRequest<'reportSummary'>['query']>;

/** A filter as the API's query: what is set; the dates always, so that both ends are the page's. */
export function reportQuery(filter: ReportFilter): ReportQuery {
  return {
    from: filter.from,
    to: filter.to,
    ...(filter.voivodeship ? { voivodeship: filter.voivodeship } : {}),
    // The address may name a band the API does not know: it refuses it, naming the field.
    ...(filter.ageBand ? { ageBand: filter.ageBand as AgeBand } : {}),
    ...(filter.vaccineId ? { vaccineId: filter.vaccineId } : {}),
  };
}

/**
 * The report for a filter, as an audience may see it: the whole figures with the signed-in analyst's
 * or administrator's session (a session the API refuses ends as anywhere in the app), or the public
 * summary without one.
 */
export function loadReport(api: ApiClient, audience: Audience, filter: ReportFilter): Promise<ReportSummary> {
  const query = reportQuery(filter);
  return audience === 'analyst' ? api.call('reportSummary', { query }) : api.call('publicReport', { query });
}
