import {
  DomainError,
  invalid,
  type Language,
  normalizeMobile,
  notFound,
  type Principal,
  parsePesel,
  type Store,
} from '@ereg/shared';
import { z } from 'zod';
import {
  DEMO_ADMIN,
  DEMO_ADMINS,
  DEMO_AGENTS,
  DEMO_ANALYSTS,
  DEMO_CITIZENS_FEATURED,
  DEMO_REGISTRIES,
  DEMO_SUPERVISORS,
} from '../demo/demo-data.ts';
import type { LogSink } from '../http/error-response.ts';
import type { HttpFunction } from '../http/http-types.ts';
import { bindRoutes, createRouter, Reply, type RouteDef } from '../http/router.ts';
import type { DevIdentity } from './dev-identity.ts';
import {
  DEV_IDP_LOGIN_PAGE_CSP,
  devIdpHotlinePage,
  devIdpLoginPage,
  devIdpReportsPage,
  devIdpStaffPage,
  matchingCentres,
} from './dev-idp-page.ts';
import type { DevPeople } from './dev-people.ts';
import { pageLanguage } from './page-language.ts';

const AssertionRequest = z
  .object({
    pesel: z.string(),
    givenName: z.string().trim().min(1).max(100).optional(),
    familyName: z.string().trim().min(1).max(100).optional(),
    phone: z.string().max(20).nullable().optional(),
  })
  .strict();

const TokenRequest = z
  .object({
    role: z.enum(['agent', 'supervisor', 'staff', 'admin', 'analyst', 'registry']),
    id: z.string().min(1).max(100),
  })
  .strict();

/** What the identity provider uses of a system: its keys and people, and the staff in the store. */
export interface DevIdpSystem {
  identity: DevIdentity;
  people: DevPeople;
  store: Store;
}

const page = (status: number, language: Language, html: string) =>
  new Reply({
    status,
    body: html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DEV_IDP_LOGIN_PAGE_CSP,
      'content-language': language,
      vary: 'Accept-Language',
    },
  });

/** Where the staff login returns to unless told: the centres' app. */
const STAFF_CALLBACK = '/centre/login/callback';
/** Where the hotline login returns to unless told: the agents' console. */
const HOTLINE_CALLBACK = '/agent/login/callback';
/** Where the reports' login returns to unless told: the ministry's dashboard. */
const REPORTS_CALLBACK = '/reports/login/callback';

/** What the login page reads to choose its language: the app's `ui_locales`, then the browser's. */
const LanguageHeaders = z.object({ 'Accept-Language': z.string().optional() });

/** The identity provider's routes, under `/dev-idp` on the local server. */
export const DEV_IDP_ROUTES = {
  people: {
    method: 'GET',
    path: '/people',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  staff: { method: 'GET', path: '/staff', query: z.object({ centreId: z.string().min(1) }) },
  accounts: { method: 'GET', path: '/accounts' },
  assertion: { method: 'POST', path: '/assertion', body: AssertionRequest },
  loginPage: {
    method: 'GET',
    path: '/login',
    query: z.object({ return: z.string().optional(), ui_locales: z.string().optional() }),
    headers: LanguageHeaders,
  },
  // The page's form: a PESEL that does not parse is shown again on the page, not answered with JSON.
  login: {
    method: 'POST',
    path: '/login',
    body: z.object({ pesel: z.string().default(''), return: z.string().optional(), ui_locales: z.string().optional() }),
    headers: LanguageHeaders,
  },
  // Centre staff: find a centre, choose one of its staff, back to the centres' app with a session token.
  staffLoginPage: {
    method: 'GET',
    path: '/login/staff',
    query: z.object({
      return: z.string().optional(),
      ui_locales: z.string().optional(),
      q: z.string().max(100).default(''),
      centreId: z.string().max(100).optional(),
    }),
    headers: LanguageHeaders,
  },
  staffLogin: {
    method: 'POST',
    path: '/login/staff',
    body: z.object({
      staffId: z.string().min(1).max(100),
      return: z.string().optional(),
      ui_locales: z.string().optional(),
    }),
  },
  // Hotline: choose an agent or a supervisor, back to the console with a session token.
  hotlineLoginPage: {
    method: 'GET',
    path: '/login/hotline',
    query: z.object({ return: z.string().optional(), ui_locales: z.string().optional() }),
    headers: LanguageHeaders,
  },
  hotlineLogin: {
    method: 'POST',
    path: '/login/hotline',
    body: z.object({
      role: z.enum(['agent', 'supervisor']),
      id: z.string().min(1).max(100),
      return: z.string().optional(),
    }),
  },
  // The reports' dashboard: choose an analyst or the administrator, back to it with a session token.
  reportsLoginPage: {
    method: 'GET',
    path: '/login/reports',
    query: z.object({ return: z.string().optional(), ui_locales: z.string().optional() }),
    headers: LanguageHeaders,
  },
  reportsLogin: {
    method: 'POST',
    path: '/login/reports',
    body: z.object({
      role: z.enum(['analyst', 'admin']),
      id: z.string().min(1).max(100),
      return: z.string().optional(),
    }),
  },
  token: { method: 'POST', path: '/token', body: TokenRequest },
} as const satisfies Record<string, RouteDef>;

/**
 * Where the provider may send the browser back to: a plain path of this server (`/` then anything but
 * `/` or `\\`, which browsers read as another host) or an http(s) URL of the host the page was opened
 * on; never with a backslash or a control character (browsers drop or rewrite those) — an assertion
 * must not leak to another site.
 */
export function safeReturn(returnTo: string | undefined, host: string | undefined): string {
  if (returnTo === undefined || returnTo === '') return '/login/callback';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  const plain = !/[\u0000-\u001f\u007f\\]/.test(returnTo);
  if (plain && /^\/(?![/\\])/.test(returnTo)) return returnTo;
  if (plain && /^https?:\/\//i.test(returnTo)) {
    try {
      const url = new URL(returnTo);
      if (host && url.host === host && !url.username && !url.password) return url.href;
    } catch {
      // not a URL: refused below
    }
  }
  throw invalid('INVALID_RETURN', 'The return address must be a page of this application.', 'return');
}

/**
 * The development identity provider (local mode only). For citizens it signs an assertion, which the
 * login function exchanges for a session as it would an e-ID provider's; for agents, centre staff, the
 * ministry's analysts and the administrator it issues the session token directly, as the cloud's
 * identity service would.
 */
export function devIdpRouter(system: DevIdpSystem, log?: LogSink): HttpFunction {
  /** The session of an agent, a staff member or the administrator, issued directly. */
  const issueToken = async (body: z.infer<typeof TokenRequest>) => {
    let principal: Principal;
    if (body.role === 'staff') {
      const staff = await system.store.getStaff(body.id);
      if (!staff) throw notFound('STAFF_NOT_FOUND', 'No staff member has this id.', 'id');
      // The role is the centre's record of them: staff or its manager.
      principal = { role: staff.role, staffId: staff.id, centreId: staff.centreId };
    } else if (body.role === 'agent') {
      if (!DEMO_AGENTS.some((a) => a.id === body.id)) throw notFound('AGENT_NOT_FOUND', 'No agent has this id.', 'id');
      principal = { role: 'agent', agentId: body.id };
    } else if (body.role === 'supervisor') {
      if (!DEMO_SUPERVISORS.some((a) => a.id === body.id)) {
        throw notFound('SUPERVISOR_NOT_FOUND', 'No supervisor has this id.', 'id');
      }
      principal = { role: 'supervisor', supervisorId: body.id };
    } else if (body.role === 'analyst') {
      if (!DEMO_ANALYSTS.some((a) => a.id === body.id))
        throw notFound('ANALYST_NOT_FOUND', 'No analyst has this id.', 'id');
      principal = { role: 'analyst', analystId: body.id };
    } else if (body.role === 'registry') {
      if (!DEMO_REGISTRIES.some((r) => r.id === body.id)) {
        throw notFound('REGISTRY_NOT_FOUND', 'No registry has this id.', 'id');
      }
      principal = { role: 'registry', registryId: body.id };
    } else {
      if (!DEMO_ADMINS.some((a) => a.id === body.id)) {
        throw notFound('ADMIN_NOT_FOUND', 'No administrator has this id.', 'id');
      }
      principal = { role: 'admin', adminId: body.id };
    }
    const session = await system.identity.issueSession(principal);
    return { ...session, principal };
  };
  const centreCard = (c: { id: string; name: string; address: { city: string } }) => ({
    id: c.id,
    name: c.name,
    city: c.address.city,
  });

  const routes = bindRoutes(DEV_IDP_ROUTES, {
    people: async ({ query }) => ({
      total: system.people.count(),
      people: system.people.list(query.limit, query.offset),
    }),
    staff: async ({ query }) => ({ staff: await system.store.listStaffOfCentre(query.centreId) }),
    accounts: async () => ({
      agents: DEMO_AGENTS,
      supervisors: DEMO_SUPERVISORS,
      admin: DEMO_ADMIN,
      admins: DEMO_ADMINS,
      analysts: DEMO_ANALYSTS,
    }),
    assertion: async ({ body }) => {
      const { pesel } = parsePesel(body.pesel);
      const known = system.people.get(pesel);
      const assertion = await system.identity.issueAssertion({
        pesel,
        givenName: body.givenName ?? known?.givenName ?? 'Jan',
        familyName: body.familyName ?? known?.familyName ?? 'Kowalski',
        phone: body.phone ? normalizeMobile(body.phone) : (known?.phone ?? null),
      });
      return { assertion };
    },
    loginPage: async ({ query, headers }, { request }) => {
      const returnTo = safeReturn(query.return, request.headers.host);
      const language = pageLanguage({ uiLocales: query.ui_locales, acceptLanguage: headers['Accept-Language'] });
      return page(200, language, devIdpLoginPage({ returnTo, language, people: DEMO_CITIZENS_FEATURED }));
    },
    login: async ({ body, headers }, { request }) => {
      const returnTo = safeReturn(body.return, request.headers.host);
      const given = body.pesel.trim();
      let pesel: string;
      try {
        pesel = parsePesel(given).pesel;
      } catch (error) {
        const language = pageLanguage({ uiLocales: body.ui_locales, acceptLanguage: headers['Accept-Language'] });
        const code = error instanceof DomainError ? error.code : undefined;
        return page(
          400,
          language,
          devIdpLoginPage({ returnTo, language, people: DEMO_CITIZENS_FEATURED, error: { pesel: given, code } }),
        );
      }
      const known = system.people.get(pesel);
      const assertion = await system.identity.issueAssertion({
        pesel,
        givenName: known?.givenName ?? 'Jan',
        familyName: known?.familyName ?? 'Kowalski',
        phone: known?.phone ?? null,
      });
      return new Reply({
        status: 303,
        body: '',
        headers: { location: `${returnTo}#assertion=${encodeURIComponent(assertion)}` },
      });
    },
    staffLoginPage: async ({ query, headers }, { request }) => {
      const returnTo = safeReturn(query.return ?? STAFF_CALLBACK, request.headers.host);
      const language = pageLanguage({ uiLocales: query.ui_locales, acceptLanguage: headers['Accept-Language'] });
      const centres = (await system.store.listCentres()).map(centreCard);
      const found = query.centreId ? centres.find((c) => c.id === query.centreId) : undefined;
      const chosen = found
        ? {
            centre: found,
            staff: (await system.store.listStaffOfCentre(found.id)).map((m) => ({ id: m.id, name: m.name })),
          }
        : undefined;
      return page(
        200,
        language,
        devIdpStaffPage({
          returnTo,
          language,
          query: query.q,
          centres: matchingCentres(centres, query.q),
          ...(chosen ? { chosen } : {}),
        }),
      );
    },
    staffLogin: async ({ body }, { request }) => {
      const returnTo = safeReturn(body.return ?? STAFF_CALLBACK, request.headers.host);
      const session = await issueToken({ role: 'staff', id: body.staffId });
      const staff = await system.store.getStaff(body.staffId);
      const fragment = new URLSearchParams({
        token: session.token,
        expiresAt: session.expiresAt,
        name: staff?.name ?? '',
      });
      return new Reply({ status: 303, body: '', headers: { location: `${returnTo}#${fragment}` } });
    },
    hotlineLoginPage: async ({ query, headers }, { request }) => {
      const returnTo = safeReturn(query.return ?? HOTLINE_CALLBACK, request.headers.host);
      const language = pageLanguage({ uiLocales: query.ui_locales, acceptLanguage: headers['Accept-Language'] });
      return page(
        200,
        language,
        devIdpHotlinePage({ returnTo, language, agents: DEMO_AGENTS, supervisors: DEMO_SUPERVISORS }),
      );
    },
    hotlineLogin: async ({ body }, { request }) => {
      const returnTo = safeReturn(body.return ?? HOTLINE_CALLBACK, request.headers.host);
      const session = await issueToken({ role: body.role, id: body.id });
      const account = [...DEMO_AGENTS, ...DEMO_SUPERVISORS].find((a) => a.id === body.id);
      const fragment = new URLSearchParams({
        token: session.token,
        expiresAt: session.expiresAt,
        role: body.role,
        name: account?.name ?? '',
      });
      return new Reply({ status: 303, body: '', headers: { location: `${returnTo}#${fragment}` } });
    },
    reportsLoginPage: async ({ query, headers }, { request }) => {
      const returnTo = safeReturn(query.return ?? REPORTS_CALLBACK, request.headers.host);
      const language = pageLanguage({ uiLocales: query.ui_locales, acceptLanguage: headers['Accept-Language'] });
      return page(
        200,
        language,
        devIdpReportsPage({ returnTo, language, analysts: DEMO_ANALYSTS, admins: DEMO_ADMINS }),
      );
    },
    reportsLogin: async ({ body }, { request }) => {
      const returnTo = safeReturn(body.return ?? REPORTS_CALLBACK, request.headers.host);
      const session = await issueToken({ role: body.role, id: body.id });
      const account = [...DEMO_ANALYSTS, ...DEMO_ADMINS].find((a) => a.id === body.id);
      const fragment = new URLSearchParams({
        token: session.token,
        expiresAt: session.expiresAt,
        role: body.role,
        name: account?.name ?? '',
      });
      return new Reply({ status: 303, body: '', headers: { location: `${returnTo}#${fragment}` } });
    },
    token: async ({ body }) => issueToken(body),
  });
  return createRouter(routes, { surface: 'dev-idp', log });
}
