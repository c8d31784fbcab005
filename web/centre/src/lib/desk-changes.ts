import type { Appointment, RouteRequest } from '@ereg/shared';
import type { ApiClient } from '../../../shared/src/api-client.ts';
import type { QueuedChange } from '../../../shared/src/offline/desk-outbox.ts';
import type { Visit } from './day.ts';

/** The changes of a visit the desk makes, each named as the API route that takes it. */
export type DeskChange =
  | { kind: 'checkIn'; body: NonNullable<RouteRequest<'checkIn'>['body']> }
  | { kind: 'noShow'; body?: undefined }
  | { kind: 'complete'; body: RouteRequest<'complete'>['body'] }
  | { kind: 'notGiven'; body: RouteRequest<'notGiven'>['body'] }
  | { kind: 'correct'; body: RouteRequest<'correct'>['body'] };

export type DeskChangeKind = DeskChange['kind'];

const KINDS: readonly DeskChangeKind[] = ['checkIn', 'noShow', 'complete', 'notGiven', 'correct'];

/** The change a queued one carries, or null for one this version of the app does not know. */
export function changeOf(queued: Pick<QueuedChange, 'kind' | 'request'>): DeskChange | null {
  const kind = KINDS.find((k) => k === queued.kind);
  if (!kind) return null;
  return { kind, body: queued.request.body } as DeskChange;
}

/** A visit's fields that a change of it brings back from the API. */
export type VisitPatch = Pick<
  Visit,
  'appointmentId' | 'status' | 'checkedInAt' | 'completion' | 'corrections' | 'notGiven' | 'updatedAt'
>;

/** What the API answers a desk change (the visit as it is now), as the day list holds a visit. */
export function patchOf(appointment: Appointment): VisitPatch {
  return {
    appointmentId: appointment.id,
    status: appointment.status,
    checkedInAt: appointment.checkedInAt,
    completion: appointment.completion,
    corrections: appointment.corrections ?? [],
    notGiven: appointment.notGiven ?? null,
    updatedAt: appointment.updatedAt,
  };
}

/**
 * Sends a queued change to its route, with the change's id as the Idempotency-Key: sent again after a
 * lost answer, the API answers as it did the first time instead of applying it twice.
 */
export function sendChange(api: ApiClient, queued: QueuedChange): Promise<Appointment> {
  const change = changeOf(queued);
  const params = { centreId: queued.request.params.centreId ?? '', appointmentId: queued.appointmentId };
  const headers = { 'Idempotency-Key': queued.id };
  switch (change?.kind) {
    case 'checkIn':
      return api.call('checkIn', { params, body: change.body, headers });
    case 'noShow':
      return api.call('noShow', { params, headers });
    case 'complete':
      return api.call('complete', { params, body: change.body, headers });
    case 'notGiven':
      return api.call('notGiven', { params, body: change.body, headers });
    case 'correct':
      return api.call('correct', { params, body: change.body, headers });
    case undefined:
      return Promise.reject(new Error(`A change of an unknown kind (${queued.kind}) cannot be sent.`));
  }
}

/** A visit as the desk shows it: the list's copy with the changes made here applied, and whether some still wait to be sent. */
export type DeskVisit = Visit & { waiting: boolean };

/** What a change waiting to be sent does to the visit shown, so the list shows it at once. */
export function projectChange(visit: Visit, change: DeskChange): Visit {
  switch (change.kind) {
    case 'checkIn':
      return visit.checkedInAt ? visit : { ...visit, checkedInAt: change.body.at ?? visit.updatedAt };
    case 'noShow':
      return { ...visit, status: 'no_show' };
    case 'complete':
      return { ...visit, status: 'completed' };
    case 'notGiven':
      return { ...visit, status: 'not_given' };
    case 'correct':
      return visit;
  }
}

/**
 * The visit as the desk shows it: the newest copy of it the API answered (the list's or a change's
 * answer), then the changes still waiting, in the order they were made. A change refused (a conflict)
 * changes nothing shown: the visit is as the API has it.
 */
export function deskView(visit: Visit, answered: VisitPatch | undefined, queue: readonly QueuedChange[]): DeskVisit {
  let shown: Visit = answered && answered.updatedAt >= visit.updatedAt ? { ...visit, ...answered } : visit;
  let waiting = false;
  for (const queued of queue) {
    if (queued.appointmentId !== visit.appointmentId || queued.state !== 'waiting') continue;
    const change = changeOf(queued);
    if (!change) continue;
    shown = projectChange(shown, change);
    waiting = true;
  }
  return { ...shown, waiting };
}
