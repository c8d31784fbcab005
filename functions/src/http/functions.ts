import {
  addEligibilityRule,
  bookAppointment,
  type CentreDirectory,
  type CentreSchedule,
  cancelAppointment,
  cancelCentreDay,
  changeSchedule,
  checkIn,
  completeVaccination,
  type Deps,
  type FunctionName,
  findPatientByPesel,
  getAppointment,
  getCentre,
  getCentreDay,
  getSchedule,
  grantGroup,
  invalid,
  type LoginResponse,
  listAppointments,
  listEligibilityRules,
  login,
  markNoShow,
  type OnboardInput,
  onboardCentre,
  type Principal,
  type RuleInput,
  rescheduleAppointment,
  type schemas,
  searchSlots,
  updateContact,
  type WebLoginConfig,
  whoAmI,
} from '@ereg/shared';
import type { z } from 'zod';
import type { HttpFunction } from './http-types.ts';
import { createHttpFunction, type RouteContext } from './router.ts';

type Body<S extends z.ZodType> = z.output<S>;
const body = <S extends z.ZodType>(context: RouteContext) => context.body as Body<S>;
const query = <S extends z.ZodType>(context: RouteContext) => context.query as Body<S>;
const who = (context: RouteContext) => context.principal as Principal;
const param = (context: RouteContext, name: string) => context.params[name] as string;

/** The patient a request is about: a patient acts for themselves; others must name the patient. */
function patientIdOf(principal: Principal, given: string | undefined): string {
  if (given) return given;
  if (principal.role === 'patient') return principal.patientId;
  throw invalid('PATIENT_REQUIRED', 'Say which patient this is for.', 'patientId');
}

/** The embedded default: the development identity provider's page, and bearer sessions. */
export const LOCAL_WEB_LOGIN: WebLoginConfig = { idpLoginUrl: '/dev-idp/login', session: { kind: 'bearer' } };

/** Every HTTP function of the system, bound to one set of dependencies. */
export function buildHttpFunctions(
  deps: Deps,
  centres: CentreDirectory,
  web: WebLoginConfig = LOCAL_WEB_LOGIN,
): Record<FunctionName, HttpFunction> {
  const { identity } = deps;
  return {
    login: createHttpFunction('login', identity, {
      login: async (c): Promise<LoginResponse> => {
        const input = body<typeof schemas.LoginRequest>(c);
        const result = await login(deps, input.assertion, input.language);
        return {
          token: result.session.token,
          expiresAt: result.session.expiresAt,
          tokenKind: result.session.kind,
          patient: result.patient,
          eligibility: result.eligibility,
          referral: result.referral,
        };
      },
      me: (c) => whoAmI(deps, who(c)),
      loginConfig: async () => web,
    }),

    search: createHttpFunction('search', identity, {
      search: (c) => searchSlots(deps, centres, query<typeof schemas.SearchQuery>(c)),
      vaccines: async () => ({ vaccines: deps.vaccines }),
    }),

    booking: createHttpFunction('booking', identity, {
      book: (c) => {
        const input = body<typeof schemas.BookRequest>(c);
        return bookAppointment(deps, who(c), {
          patientId: patientIdOf(who(c), input.patientId),
          slotId: input.slotId,
          idempotencyKey: c.headers['idempotency-key'] ?? null,
          reason: input.reason,
        });
      },
      updateContact: async (c) => {
        const input = body<typeof schemas.ContactRequest>(c);
        return {
          patient: await updateContact(deps, who(c), {
            patientId: param(c, 'patientId'),
            phone: input.phone,
            language: input.language,
            reason: input.reason,
          }),
        };
      },
      listAppointments: async (c) => ({
        appointments: await listAppointments(
          deps,
          who(c),
          param(c, 'patientId'),
          query<typeof schemas.ReasonQuery>(c).reason,
        ),
      }),
      getAppointment: (c) =>
        getAppointment(deps, who(c), param(c, 'appointmentId'), query<typeof schemas.ReasonQuery>(c).reason),
      cancel: async (c) => ({
        cancelled: await cancelAppointment(deps, who(c), {
          appointmentId: param(c, 'appointmentId'),
          reason: body<typeof schemas.CancelRequest>(c).reason,
        }),
      }),
      reschedule: async (c) => {
        const input = body<typeof schemas.RescheduleRequest>(c);
        const moved = await rescheduleAppointment(deps, who(c), {
          appointmentId: param(c, 'appointmentId'),
          slotId: input.slotId,
          reason: input.reason,
        });
        return { appointments: moved };
      },
      findPatient: async (c) => {
        const input = body<typeof schemas.FindPatientRequest>(c);
        return { patient: await findPatientByPesel(deps, who(c), input.pesel, input.reason) };
      },
    }),

    centres: createHttpFunction('centres', identity, {
      centre: (c) => getCentre(deps, param(c, 'centreId')),
      getSchedule: (c) => getSchedule(deps, who(c), param(c, 'centreId')),
      putSchedule: async (c) => {
        const result = await changeSchedule(
          deps,
          who(c),
          param(c, 'centreId'),
          body<typeof schemas.Schedule>(c) as CentreSchedule,
        );
        centres.invalidate();
        return result;
      },
      day: (c) => getCentreDay(deps, who(c), param(c, 'centreId'), query<typeof schemas.DayQuery>(c).date),
      cancelDay: async (c) => {
        const result = await cancelCentreDay(
          deps,
          who(c),
          param(c, 'centreId'),
          param(c, 'date'),
          body<typeof schemas.CancelDayRequest>(c).reason,
        );
        centres.invalidate();
        return result;
      },
      checkIn: (c) => checkIn(deps, who(c), param(c, 'centreId'), param(c, 'appointmentId')),
      complete: (c) =>
        completeVaccination(deps, who(c), param(c, 'centreId'), {
          ...body<typeof schemas.CompleteRequest>(c),
          appointmentId: param(c, 'appointmentId'),
        }),
      noShow: (c) => markNoShow(deps, who(c), param(c, 'centreId'), param(c, 'appointmentId')),
    }),

    admin: createHttpFunction('admin', identity, {
      rules: async () => ({ rules: await listEligibilityRules(deps) }),
      addRule: (c) => addEligibilityRule(deps, who(c), body<typeof schemas.RuleRequest>(c) as RuleInput),
      onboard: async (c) => {
        const result = await onboardCentre(deps, who(c), body<typeof schemas.OnboardRequest>(c) as OnboardInput);
        centres.invalidate();
        return result;
      },
      grantGroup: async (c) => ({
        patient: await grantGroup(deps, who(c), body<typeof schemas.GroupMemberRequest>(c)),
      }),
    }),
  };
}
