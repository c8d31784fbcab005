import type { z } from 'zod';
import type { Role } from '../principal.ts';
import type { FunctionName } from './function-names.ts';
import * as S from './schemas.ts';

export interface RouteSpec {
  fn: FunctionName;
  method: 'GET' | 'POST' | 'PUT';
  /** Path inside the function, with `:param` segments. */
  path: string;
  summary: string;
  /** Who may call it; `public` needs no token. */
  roles: readonly Role[] | 'public';
  body?: z.ZodType;
  query?: z.ZodType;
  /** Extra request headers the route reads. */
  headers?: readonly string[];
  /** Status of a successful answer. */
  status?: number;
}

const route = (spec: RouteSpec) => spec;

/** Every route of the API: the single source for routing, validation and the OpenAPI document. */
export const ROUTES = {
  login: route({
    fn: 'login',
    method: 'POST',
    path: '/',
    summary: 'Exchange an identity provider assertion for a session',
    roles: 'public',
    body: S.LoginRequest,
  }),
  loginConfig: route({
    fn: 'login',
    method: 'GET',
    path: '/config',
    summary: 'Where the web apps send a person to log in, and how they keep the session',
    roles: 'public',
  }),
  me: route({
    fn: 'login',
    method: 'GET',
    path: '/me',
    summary: 'Who am I; for a patient also eligibility and referral',
    roles: ['patient', 'agent', 'staff', 'admin'],
  }),
  search: route({
    fn: 'search',
    method: 'GET',
    path: '/',
    summary: 'Soonest free slots near a postal code or coordinates',
    roles: 'public',
    query: S.SearchQuery,
  }),
  vaccines: route({
    fn: 'search',
    method: 'GET',
    path: '/vaccines',
    summary: 'The vaccine catalogue',
    roles: 'public',
  }),
  book: route({
    fn: 'booking',
    method: 'POST',
    path: '/appointments',
    summary: 'Book a slot (and the course’s next dose)',
    roles: ['patient', 'agent', 'staff'],
    body: S.BookRequest,
    headers: ['Idempotency-Key'],
    status: 201,
  }),
  listAppointments: route({
    fn: 'booking',
    method: 'GET',
    path: '/patients/:patientId/appointments',
    summary: 'A patient’s visits',
    roles: ['patient', 'agent', 'staff'],
    query: S.ReasonQuery,
  }),
  updateContact: route({
    fn: 'booking',
    method: 'PUT',
    path: '/patients/:patientId/contact',
    summary: 'Set the mobile number and language of a patient’s text messages',
    roles: ['patient', 'agent'],
    body: S.ContactRequest,
  }),
  getAppointment: route({
    fn: 'booking',
    method: 'GET',
    path: '/appointments/:appointmentId',
    summary: 'One visit',
    roles: ['patient', 'agent', 'staff'],
    query: S.ReasonQuery,
  }),
  cancel: route({
    fn: 'booking',
    method: 'POST',
    path: '/appointments/:appointmentId/cancel',
    summary: 'Cancel a visit (and later doses booked after it)',
    roles: ['patient', 'agent', 'staff'],
    body: S.CancelRequest,
  }),
  reschedule: route({
    fn: 'booking',
    method: 'POST',
    path: '/appointments/:appointmentId/reschedule',
    summary: 'Move a visit to another slot',
    roles: ['patient', 'agent', 'staff'],
    body: S.RescheduleRequest,
  }),
  findPatient: route({
    fn: 'booking',
    method: 'POST',
    path: '/patients/lookup',
    summary: 'Hotline: find a caller by PESEL (audited)',
    roles: ['agent'],
    body: S.FindPatientRequest,
  }),
  centre: route({
    fn: 'centres',
    method: 'GET',
    path: '/:centreId',
    summary: 'A centre’s public card',
    roles: 'public',
  }),
  getSchedule: route({
    fn: 'centres',
    method: 'GET',
    path: '/:centreId/schedule',
    summary: 'The centre’s schedule',
    roles: ['staff', 'admin'],
  }),
  putSchedule: route({
    fn: 'centres',
    method: 'PUT',
    path: '/:centreId/schedule',
    summary: 'Change the schedule; future free capacity is regenerated',
    roles: ['staff', 'admin'],
    body: S.Schedule,
  }),
  day: route({
    fn: 'centres',
    method: 'GET',
    path: '/:centreId/day',
    summary: 'The day list (audited)',
    roles: ['staff', 'admin'],
    query: S.DayQuery,
  }),
  cancelDay: route({
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/days/:date/cancel',
    summary: 'Cancel a day; its visits are cancelled with the reason',
    roles: ['staff', 'admin'],
    body: S.CancelDayRequest,
  }),
  checkIn: route({
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/appointments/:appointmentId/check-in',
    summary: 'Patient arrived',
    roles: ['staff'],
  }),
  complete: route({
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/appointments/:appointmentId/complete',
    summary: 'Record a completed vaccination',
    roles: ['staff'],
    body: S.CompleteRequest,
  }),
  noShow: route({
    fn: 'centres',
    method: 'POST',
    path: '/:centreId/appointments/:appointmentId/no-show',
    summary: 'Mark a missed visit',
    roles: ['staff'],
  }),
  rules: route({
    fn: 'admin',
    method: 'GET',
    path: '/eligibility-rules',
    summary: 'The eligibility policy',
    roles: ['admin', 'agent'],
  }),
  addRule: route({
    fn: 'admin',
    method: 'POST',
    path: '/eligibility-rules',
    summary: 'Open eligibility for birth years or a group from a date',
    roles: ['admin'],
    body: S.RuleRequest,
    status: 201,
  }),
  onboard: route({
    fn: 'admin',
    method: 'POST',
    path: '/centres',
    summary: 'Onboard a centre and its staff',
    roles: ['admin'],
    body: S.OnboardRequest,
    status: 201,
  }),
  grantGroup: route({
    fn: 'admin',
    method: 'POST',
    path: '/group-members',
    summary: 'Refer a person to a priority group (e.g. medical staff)',
    roles: ['admin', 'agent'],
    body: S.GroupMemberRequest,
  }),
} satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;
