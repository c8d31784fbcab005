import { DomainError, invalid, normalizeMobile, notFound, type Principal, parsePesel, type Store } from '@ereg/shared';
import { z } from 'zod';
import { DEMO_ADMIN, DEMO_AGENTS, DEMO_CITIZENS_FEATURED } from '../demo/demo-data.ts';
import { errorResponse } from '../http/error-response.ts';
import type { ApiRequest, ApiResponse } from '../http/http-types.ts';
import type { DevIdentity } from './dev-identity.ts';
import { devIdpLoginPage } from './dev-idp-page.ts';
import type { DevPeople } from './dev-people.ts';

const AssertionRequest = z
  .object({
    pesel: z.string(),
    givenName: z.string().trim().min(1).max(100).optional(),
    familyName: z.string().trim().min(1).max(100).optional(),
    phone: z.string().max(20).nullable().optional(),
  })
  .strict();

/** What the identity provider uses of a system: its keys and people, and the staff in the store. */
export interface DevIdpSystem {
  identity: DevIdentity;
  people: DevPeople;
  store: Store;
}

const TokenRequest = z.object({ role: z.enum(['agent', 'staff', 'admin']), id: z.string().min(1).max(100) }).strict();

const page = (status: number, html: string): ApiResponse => ({
  status,
  body: html,
  headers: { 'content-type': 'text/html; charset=utf-8' },
});

/**
 * Where the provider may send the browser back to: a path of this server, or a URL of the host the
 * page was opened on — never somewhere else (an assertion must not leak to another site).
 */
function safeReturn(returnTo: string | undefined, host: string | undefined): string {
  if (!returnTo) return '/login/callback';
  if (returnTo.startsWith('/') && !returnTo.startsWith('//')) return returnTo;
  try {
    const url = new URL(returnTo);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && host && url.host === host) return url.href;
  } catch {
    // not a URL: refused below
  }
  throw invalid('INVALID_RETURN', 'The return address must be a page of this application.', 'return');
}

/**
 * The development identity provider (local mode only). For citizens it signs an assertion, which the
 * login function exchanges for a session as it would an e-ID provider's; for agents, centre staff and
 * the administrator it issues the session token directly, as the cloud's identity service would.
 */
export async function handleDevIdp(system: DevIdpSystem, request: ApiRequest): Promise<ApiResponse> {
  try {
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /people') {
      const limit = Math.min(Number(request.query.limit ?? 50) || 50, 500);
      const offset = Math.max(Number(request.query.offset ?? 0) || 0, 0);
      return { status: 200, body: { total: system.people.count(), people: system.people.list(limit, offset) } };
    }
    if (route === 'GET /staff') {
      const centreId = request.query.centreId;
      if (!centreId) throw invalid('CENTRE_REQUIRED', 'Give centreId.', 'centreId');
      return { status: 200, body: { staff: await system.store.listStaffOfCentre(centreId) } };
    }
    if (route === 'GET /accounts') {
      return { status: 200, body: { agents: DEMO_AGENTS, admin: DEMO_ADMIN } };
    }
    if (route === 'POST /assertion') {
      const input = AssertionRequest.parse(request.body ?? {});
      const { pesel } = parsePesel(input.pesel);
      const known = system.people.get(pesel);
      const assertion = system.identity.issueAssertion({
        pesel,
        givenName: input.givenName ?? known?.givenName ?? 'Jan',
        familyName: input.familyName ?? known?.familyName ?? 'Kowalski',
        phone: input.phone ? normalizeMobile(input.phone) : (known?.phone ?? null),
      });
      return { status: 200, body: { assertion } };
    }
    if (route === 'GET /login') {
      const returnTo = safeReturn(request.query.return, request.headers.host);
      return page(200, devIdpLoginPage({ returnTo, people: DEMO_CITIZENS_FEATURED }));
    }
    if (route === 'POST /login') {
      const form = (request.body ?? {}) as Record<string, unknown>;
      const returnTo = safeReturn(typeof form.return === 'string' ? form.return : undefined, request.headers.host);
      const given = typeof form.pesel === 'string' ? form.pesel.trim() : '';
      let pesel: string;
      try {
        pesel = parsePesel(given).pesel;
      } catch (error) {
        const message = error instanceof DomainError ? error.message : 'This is not a PESEL.';
        return page(
          400,
          devIdpLoginPage({ returnTo, people: DEMO_CITIZENS_FEATURED, error: { pesel: given, message } }),
        );
      }
      const known = system.people.get(pesel);
      const assertion = system.identity.issueAssertion({
        pesel,
        givenName: known?.givenName ?? 'Jan',
        familyName: known?.familyName ?? 'Kowalski',
        phone: known?.phone ?? null,
      });
      return { status: 303, body: '', headers: { location: `${returnTo}#assertion=${encodeURIComponent(assertion)}` } };
    }
    if (route === 'POST /token') {
      const input = TokenRequest.parse(request.body ?? {});
      let principal: Principal;
      if (input.role === 'staff') {
        const staff = await system.store.getStaff(input.id);
        if (!staff) throw notFound('STAFF_NOT_FOUND', 'No staff member has this id.', 'id');
        principal = { role: 'staff', staffId: staff.id, centreId: staff.centreId };
      } else if (input.role === 'agent') {
        if (!DEMO_AGENTS.some((a) => a.id === input.id))
          throw notFound('AGENT_NOT_FOUND', 'No agent has this id.', 'id');
        principal = { role: 'agent', agentId: input.id };
      } else {
        if (input.id !== DEMO_ADMIN.id) throw notFound('ADMIN_NOT_FOUND', 'No administrator has this id.', 'id');
        principal = { role: 'admin', adminId: input.id };
      }
      const session = await system.identity.issueSession(principal);
      return { status: 200, body: { ...session, principal } };
    }
    return {
      status: 404,
      body: { error: { code: 'ROUTE_NOT_FOUND', message: `No route ${route} on the identity provider.` } },
    };
  } catch (error) {
    return errorResponse(error);
  }
}
