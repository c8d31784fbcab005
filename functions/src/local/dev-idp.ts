import { invalid, normalizeMobile, notFound, type Principal, parsePesel, type Store } from '@ereg/shared';
import { z } from 'zod';
import { errorResponse } from '../http/error-response.ts';
import type { ApiRequest, ApiResponse } from '../http/http-types.ts';
import { DEMO_ADMIN, DEMO_AGENTS } from './demo-data.ts';
import type { LocalSystem } from './local-system.ts';

const AssertionRequest = z
  .object({
    pesel: z.string(),
    givenName: z.string().trim().min(1).max(100).optional(),
    familyName: z.string().trim().min(1).max(100).optional(),
    phone: z.string().max(20).nullable().optional(),
  })
  .strict();

/** What the identity provider uses of a system: its keys and people, and the staff in the store. */
export type DevIdpSystem = Pick<LocalSystem, 'identity' | 'people'> & { store: Store };

const TokenRequest = z.object({ role: z.enum(['agent', 'staff', 'admin']), id: z.string().min(1).max(100) }).strict();

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
