import type { QueuedChange } from '../../../shared/src/offline/desk-outbox.ts';
import { mergeDay, type Visit } from './day.ts';
import { deskView, type VisitPatch } from './desk-changes.ts';

const aVisit = (overrides: Partial<Visit> = {}): Visit => ({
  appointmentId: 'apt-1',
  reference: 'ABCD2345',
  localStart: '2026-01-12T09:10',
  status: 'booked',
  vaccineId: 'comirnaty',
  dose: 1,
  checkedInAt: null,
  completion: null,
  corrections: [],
  notGiven: null,
  updatedAt: '2026-01-12T07:00:00.000Z',
  identityCheck: null,
  patient: {
    id: 'pat-1',
    pesel: '46031464864',
    givenName: 'Janina',
    familyName: 'Kowalska',
    birthDate: '1946-03-14',
    phone: null,
  },
  ...overrides,
});

const queued = (kind: string, body: unknown, state: QueuedChange['state'] = 'waiting'): QueuedChange => ({
  id: `key-${kind}`,
  kind,
  appointmentId: 'apt-1',
  label: 'Janina Kowalska',
  request: { route: kind, params: { centreId: 'ctr-1' }, body },
  createdAt: '2026-01-12T08:00:00.000Z',
  state,
});

describe('the visit as the desk shows it', () => {
  test('a check-in and a recording waiting to be sent show at once, marked as waiting', () => {
    const shown = deskView(aVisit(), undefined, [
      queued('checkIn', { at: '2026-01-12T08:00:00.000Z' }),
      queued('complete', { vaccineId: 'comirnaty', batchId: 'bat-1', site: 'left_deltoid' }),
    ]);
    expect(shown).toMatchObject({ status: 'completed', checkedInAt: '2026-01-12T08:00:00.000Z', waiting: true });
  });

  test('a change the API refused changes nothing shown', () => {
    const shown = deskView(aVisit(), undefined, [queued('notGiven', { reason: 'declined' }, 'conflict')]);
    expect(shown).toMatchObject({ status: 'booked', waiting: false });
  });

  test('the API’s answer to a change wins over an older copy of the list, not over a newer one', () => {
    const answer: VisitPatch = {
      appointmentId: 'apt-1',
      status: 'no_show',
      checkedInAt: null,
      completion: null,
      corrections: [],
      notGiven: null,
      updatedAt: '2026-01-12T08:00:00.000Z',
    };
    expect(deskView(aVisit(), answer, []).status).toBe('no_show');
    expect(deskView(aVisit({ status: 'cancelled', updatedAt: '2026-01-12T08:05:00.000Z' }), answer, []).status).toBe(
      'cancelled',
    );
  });
});

describe('merging what changed since into the day held', () => {
  test('the newer copy is kept, a visit cancelled meanwhile leaves, a new one joins', () => {
    const held = [aVisit(), aVisit({ appointmentId: 'apt-2' })];
    const merged = mergeDay(held, {
      complete: false,
      appointments: [
        aVisit({ status: 'completed', updatedAt: '2026-01-12T08:00:00.000Z' }),
        aVisit({ appointmentId: 'apt-2', status: 'cancelled', updatedAt: '2026-01-12T08:00:00.000Z' }),
        aVisit({ appointmentId: 'apt-3' }),
      ],
    });
    expect(merged.map((v) => [v.appointmentId, v.status])).toEqual([
      ['apt-1', 'completed'],
      ['apt-3', 'booked'],
    ]);
  });

  test('an older copy sent again (the overlap) does not undo a newer one', () => {
    const held = [aVisit({ status: 'completed', updatedAt: '2026-01-12T08:00:00.000Z' })];
    expect(mergeDay(held, { complete: false, appointments: [aVisit()] })[0]?.status).toBe('completed');
  });

  test('a whole day replaces what was held', () => {
    expect(mergeDay([aVisit()], { complete: true, appointments: [] })).toEqual([]);
  });
});
