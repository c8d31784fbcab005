import type { FunctionName } from './function-names.ts';

// Plain data, no import at run time: the web apps load this module (they take only types from the rest
// of shared/), so every path of the API is written once, here.

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface RoutePath {
  fn: FunctionName;
  method: HttpMethod;
  /** Path inside the function, with `:param` segments. */
  path: string;
}

/** Where each route of the API answers: its function, method and path. */
export const ROUTE_PATHS = {
  login: { fn: 'login', method: 'POST', path: '/' },
  loginConfig: { fn: 'login', method: 'GET', path: '/config' },
  me: { fn: 'login', method: 'GET', path: '/me' },
  search: { fn: 'search', method: 'GET', path: '/' },
  vaccines: { fn: 'search', method: 'GET', path: '/vaccines' },
  book: { fn: 'booking', method: 'POST', path: '/appointments' },
  listAppointments: { fn: 'booking', method: 'GET', path: '/patients/:patientId/appointments' },
  updateContact: { fn: 'booking', method: 'PUT', path: '/patients/:patientId/contact' },
  getAppointment: { fn: 'booking', method: 'GET', path: '/appointments/:appointmentId' },
  cancel: { fn: 'booking', method: 'POST', path: '/appointments/:appointmentId/cancel' },
  reschedule: { fn: 'booking', method: 'POST', path: '/appointments/:appointmentId/reschedule' },
  findPatient: { fn: 'booking', method: 'POST', path: '/patients/lookup' },
  centre: { fn: 'centres', method: 'GET', path: '/:centreId' },
  getSchedule: { fn: 'centres', method: 'GET', path: '/:centreId/schedule' },
  putSchedule: { fn: 'centres', method: 'PUT', path: '/:centreId/schedule' },
  day: { fn: 'centres', method: 'GET', path: '/:centreId/day' },
  cancelDay: { fn: 'centres', method: 'POST', path: '/:centreId/days/:date/cancel' },
  checkIn: { fn: 'centres', method: 'POST', path: '/:centreId/appointments/:appointmentId/check-in' },
  complete: { fn: 'centres', method: 'POST', path: '/:centreId/appointments/:appointmentId/complete' },
  noShow: { fn: 'centres', method: 'POST', path: '/:centreId/appointments/:appointmentId/no-show' },
  rules: { fn: 'admin', method: 'GET', path: '/eligibility-rules' },
  addRule: { fn: 'admin', method: 'POST', path: '/eligibility-rules' },
  onboard: { fn: 'admin', method: 'POST', path: '/centres' },
  grantGroup: { fn: 'admin', method: 'POST', path: '/group-members' },
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
