import { buildOpenApiDocument } from './openapi.ts';
import { ROUTES, type RouteSpec } from './routes.ts';

type Operation = { operationId: string; responses: Record<string, { headers?: Record<string, unknown> }> };

function operations(): Operation[] {
  const paths = buildOpenApiDocument().paths as Record<string, Record<string, Operation>>;
  return Object.values(paths).flatMap((methods) => Object.values(methods));
}

describe('the OpenAPI document', () => {
  test('login, search, the booking preview, a centre’s free slots, booking, cancelling, rescheduling, the hotline’s look-ups, registrations, household bookings and resent confirmations, a centre’s look-up by reference and its walk-ins, the public report, the open data files, the current announcements, the scheduling links, and joining the standby list and taking its offers are limited', () => {
    const limited = (Object.entries(ROUTES) as Array<[string, RouteSpec]>)
      .filter(([, spec]) => spec.limit !== undefined)
      .map(([name, spec]) => [name, spec.limit]);
    expect(Object.fromEntries(limited)).toEqual({
      login: 'login',
      search: 'search',
      previewBooking: 'search',
      publicReport: 'search',
      openData: 'search',
      currentAnnouncements: 'search',
      schedulingManifest: 'search',
      schedulingFile: 'search',
      centreSlots: 'search',
      book: 'booking',
      cancel: 'booking',
      joinStandby: 'booking',
      takeStandbyOffer: 'booking',
      reschedule: 'booking',
      findPatient: 'lookup',
      visitsByReference: 'search',
      walkIn: 'booking',
      lookUpCaller: 'lookup',
      registerCaller: 'lookup',
      bookHousehold: 'booking',
      resendConfirmation: 'booking',
    });
  });

  test('a limited route answers 429 with Retry-After; the others do not list it', () => {
    for (const operation of operations()) {
      const spec: RouteSpec = ROUTES[operation.operationId as keyof typeof ROUTES];
      const tooMany = operation.responses['429'];
      if (spec.limit) {
        expect({ route: operation.operationId, headers: Object.keys(tooMany?.headers ?? {}) }).toEqual({
          route: operation.operationId,
          headers: ['Retry-After'],
        });
      } else {
        expect({ route: operation.operationId, tooMany }).toEqual({ route: operation.operationId, tooMany: undefined });
      }
    }
  });
});
