import type { ReportFilter, ReportSummary } from '@ereg/shared';
import { ApiError, NETWORK_ERROR, UNREADABLE_ANSWER } from '../../../shared/src/api-client.ts';
import type { Services } from '../services.ts';
import { queryOf } from './filter.ts';
import type { Audience } from './paths.ts';
import { reportsSignIn } from './sign-in.ts';

/** Where each audience's figures come from: the whole ones need an analyst's or administrator's session. */
const PATH: Record<Audience, string> = {
  analyst: '/api/reports/summary',
  public: '/api/reports/public',
};

/** A refusal as the API words it (`{ error: { code, message, field? } }`), else its status. */
async function refusalOf(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  const retry = response.headers.get('retry-after');
  const extra = {
    ...(typeof error?.field === 'string' ? { field: error.field } : {}),
    ...(typeof error?.correlationId === 'string' ? { correlationId: error.correlationId } : {}),
    ...(retry && /^\d{1,9}$/.test(retry.trim()) ? { retryAfterSeconds: Number(retry.trim()) } : {}),
  };
  return typeof error?.code === 'string'
    ? new ApiError(response.status, error.code, typeof error.message === 'string' ? error.message : error.code, extra)
    : new ApiError(response.status, `HTTP_${response.status}`, `The server answered ${response.status}.`, extra);
}

/**
 * The report for a filter, as an audience may see it. A session the API refuses ends here as anywhere
 * in the app (the page remembered, the sign-in shown); a token that merely expired is renewed once.
 */
export async function loadReport(services: Services, audience: Audience, filter: ReportFilter): Promise<ReportSummary> {
  const url = `${PATH[audience]}?${queryOf(filter)}`;
  const send = async (): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (audience === 'analyst') {
      const token = await services.session.getToken();
      if (!token) throw ended(services, new ApiError(401, 'UNAUTHENTICATED', 'Sign in first.'));
      headers.authorization = `Bearer ${token}`;
    }
    try {
      return await services.fetch(url, { method: 'GET', headers });
    } catch (cause) {
      throw new ApiError(0, NETWORK_ERROR, 'The server could not be reached.', { cause });
    }
  };
  let response = await send();
  if (response.status === 401 && audience === 'analyst') {
    const refusal = await refusalOf(response);
    if (refusal.code !== 'TOKEN_EXPIRED' || !(await services.session.renew())) throw ended(services, refusal);
    response = await send();
  }
  if (!response.ok) {
    const refusal = await refusalOf(response);
    throw audience === 'analyst' && refusal.status === 401 ? ended(services, refusal) : refusal;
  }
  try {
    return (await response.json()) as ReportSummary;
  } catch (cause) {
    throw new ApiError(response.status, UNREADABLE_ANSWER, 'The server’s answer could not be read.', { cause });
  }
}

/** The session is over: the sign-in screen shows, saying why, and brings the person back to this page. */
function ended(services: Services, refusal: ApiError): ApiError {
  reportsSignIn.sessionEnded(services.tabStorage, services.router.href().split('#')[0] ?? '', refusal.code);
  reportsSignIn.signOut(services.session, services.tabStorage, refusal.code);
  return refusal;
}
