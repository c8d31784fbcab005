import type { EligibilityRule, RuleOpening } from './model.ts';
import { sha256Hex } from './sha256.ts';
import { FakeClock } from './testing/builders.ts';
import {
  type AdmissionState,
  admissionsFor,
  admitThrough,
  checkAgainSeconds,
  DEFAULT_TUNING,
  markBooked,
  newRoom,
  newTicket,
  type QueueRoom,
  type QueueTicket,
  readTicket,
  roomInForce,
  roomPlans,
  shuffleRoom,
  signTicket,
  type TicketSigner,
  ticketAt,
  ticketLetsIn,
  viewTicket,
} from './waiting-room.ts';

const SETTINGS = { queueDoorsMinutes: 30, queueHours: 6, queueAdmittedMinutes: 10 };
const OPENS_AT = '2026-03-02T19:00:00.000Z';

const aRule = (over: Partial<RuleOpening> = {}): EligibilityRule => ({
  id: 'born-1950',
  kind: 'birthYear',
  bornInOrBefore: 1950,
  from: '2026-03-02',
  opensAt: OPENS_AT,
  description: 'born in 1950 or earlier',
  ...over,
});

/** A keyed digest good enough to tell a forged ticket from a signed one. */
const signer = (key: string): TicketSigner => ({
  sign: (text) => sha256Hex(`${key}:${text}`).slice(0, 32),
  verify: (text, signature) => sha256Hex(`${key}:${text}`).slice(0, 32) === signature,
});

/** A seeded random source, so a draw can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function aRoom(): QueueRoom {
  const [plan] = roomPlans([aRule()], SETTINGS);
  if (!plan) throw new Error('no room');
  return newRoom(plan);
}

describe('the waiting room', () => {
  it('gives a room to each planned opening at a time of day, open from 30 minutes before it for 6 hours', () => {
    const plans = roomPlans(
      [aRule(), aRule({ id: 'midnight', opensAt: undefined }), aRule({ id: 'paused', pausedAt: OPENS_AT })],
      SETTINGS,
    );
    expect(plans).toEqual([
      {
        id: 'born-1950',
        opensAt: OPENS_AT,
        opensDoorsAt: '2026-03-02T18:30:00.000Z',
        closesAt: '2026-03-03T01:00:00.000Z',
      },
    ]);
    const [plan] = plans;
    if (!plan) throw new Error('no room');
    expect(roomInForce(plan, null, '2026-03-02T18:29:59.000Z')).toBe(false);
    expect(roomInForce(plan, null, '2026-03-02T18:30:00.000Z')).toBe(true);
    expect(roomInForce(plan, null, '2026-03-03T01:00:00.000Z')).toBe(false);
    expect(roomInForce(plan, { ...newRoom(plan), closedAt: '2026-03-02T20:00:00.000Z' }, OPENS_AT)).toBe(false);
    expect(roomPlans([aRule()], { ...SETTINGS, queueHours: 0 })).toEqual([]);
  });

  it('shuffles the early arrivals once at the opening, then serves later arrivals first come, first served', () => {
    const clock = new FakeClock('2026-03-02T18:40:00.000Z');
    let room = aRoom();
    const random = seeded(7);
    const early = Array.from({ length: 30 }, (_, i) => {
      clock.advanceMinutes(0.5);
      return newTicket({
        room,
        patientId: `p${String(i).padStart(2, '0')}`,
        now: clock.now().toISOString(),
        settings: SETTINGS,
        random,
        sequence: null,
      });
    });
    expect(early.every((t) => t.position === null && t.drawKey !== null)).toBe(true);
    const view = viewTicket({
      room,
      ticket: early[0] as QueueTicket,
      now: clock.now().toISOString(),
      freePlaces: null,
      signed: 'x',
    });
    expect(view).toMatchObject({ status: 'before-opening', position: null, ahead: null });

    const shuffled = shuffleRoom(room, early, []);
    room = shuffled.room;
    const positions = shuffled.tickets.map((t) => t.position);
    expect([...positions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const order = [...shuffled.tickets].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((t) => t.patientId);
    expect(order).not.toEqual(early.map((t) => t.patientId));
    // The same draw gives the same order: the order is fixed by the keys drawn on arrival.
    expect(shuffleRoom(aRoom(), [...early].reverse(), []).tickets.map((t) => t.patientId)).toEqual(
      [...shuffled.tickets].map((t) => t.patientId),
    );
    expect(() => shuffleRoom(room, early, [])).toThrow(/shuffled already/);

    const later = [1, 2, 3].map((sequence) =>
      newTicket({ room, patientId: `late${sequence}`, now: OPENS_AT, settings: SETTINGS, random, sequence }),
    );
    expect(later.map((t) => t.position)).toEqual([31, 32, 33]);
    expect(later.every((t) => t.drawKey === null)).toBe(true);
  });

  it('places later arrivals who came before the shuffle after every early arrival, in arrival order', () => {
    const room = aRoom();
    const early = newTicket({
      room,
      patientId: 'e',
      now: '2026-03-02T18:45:00.000Z',
      settings: SETTINGS,
      random: seeded(1),
      sequence: null,
    });
    const late = newTicket({ room, patientId: 'l', now: OPENS_AT, settings: SETTINGS, random: seeded(1), sequence: 1 });
    expect(late.position).toBeNull();
    const { tickets } = shuffleRoom(room, [early], [late]);
    expect(tickets.map((t) => [t.patientId, t.position])).toEqual([
      ['e', 1],
      ['l', 2],
    ]);
  });

  it('admits positions in order, gives ten minutes to book, and lets an unused admission expire', () => {
    let room = { ...aRoom(), shuffled: true, earlyCount: 0 };
    const tickets = [1, 2, 3].map((sequence) =>
      newTicket({ room, patientId: `p${sequence}`, now: OPENS_AT, settings: SETTINGS, random: seeded(1), sequence }),
    );
    const at = '2026-03-02T19:01:00.000Z';
    const step = admitThrough(room, tickets, 2, at, SETTINGS);
    room = step.room;
    expect(room.admittedThrough).toBe(2);
    expect(step.admitted.map((t) => [t.patientId, t.status, t.expiresAt])).toEqual([
      ['p1', 'admitted', '2026-03-02T19:11:00.000Z'],
      ['p2', 'admitted', '2026-03-02T19:11:00.000Z'],
    ]);
    const [first, second] = step.admitted as [QueueTicket, QueueTicket];
    expect(ticketLetsIn(first, '2026-03-02T19:10:59.999Z')).toBe(true);
    expect(ticketLetsIn(first, '2026-03-02T19:11:00.000Z')).toBe(false);
    expect(ticketAt(first, '2026-03-02T19:11:00.000Z').status).toBe('expired');
    expect(ticketAt(markBooked(second), '2026-03-02T19:30:00.000Z').status).toBe('booked');
    // The mark never moves back.
    expect(admitThrough(room, tickets, 1, at, SETTINGS).room.admittedThrough).toBe(2);
    const third = viewTicket({ room, ticket: tickets[2] as QueueTicket, now: at, freePlaces: 12, signed: 's' });
    expect(third).toMatchObject({ status: 'waiting', position: 3, ahead: 0, freePlaces: 12 });
  });

  it('admits at once someone who arrives after their position was already reached', () => {
    const room = { ...aRoom(), shuffled: true, earlyCount: 4, admittedThrough: 10 };
    const ticket = newTicket({
      room,
      patientId: 'p',
      now: OPENS_AT,
      settings: SETTINGS,
      random: seeded(1),
      sequence: 3,
    });
    expect(ticket).toMatchObject({ position: 7, status: 'admitted' });
  });

  it('estimates the wait from the measured admission rate', () => {
    const room = {
      ...aRoom(),
      shuffled: true,
      admittedThrough: 100,
      control: { ratePerSecond: 20, carry: 0, lastTickAt: null },
    };
    const ticket = {
      ...newTicket({ room, patientId: 'p', now: OPENS_AT, settings: SETTINGS, random: seeded(1), sequence: 301 }),
    };
    expect(viewTicket({ room, ticket, now: OPENS_AT, freePlaces: null, signed: 's' })).toMatchObject({
      position: 301,
      ahead: 200,
      estimatedWaitSeconds: 10,
      checkAgainSeconds: 5,
    });
  });

  it('asks the page to check again after a quarter of the wait, between 5 s and a minute', () => {
    expect([null, 0, 8, 40, 100, 3600].map((s) => checkAgainSeconds(s))).toEqual([null, 5, 5, 10, 25, 60]);
  });
});

describe('the signed ticket', () => {
  const key = signer('a key the patient never has');
  const claims = { roomId: 'born-1950', patientId: 'pat.42', position: 17 };

  it('reads back what was signed', () => {
    const token = signTicket(key, claims);
    expect(readTicket(key, token)).toEqual(claims);
    expect(readTicket(key, signTicket(key, { ...claims, position: null }))).toEqual({ ...claims, position: null });
  });

  it('refuses a ticket whose position, patient or room was changed, or that another key signed', () => {
    const token = signTicket(key, claims);
    expect(readTicket(key, token.replace('.17.', '.1.'))).toBeNull();
    expect(readTicket(key, token.replace('pat%2E42', 'pat%2E43'))).toBeNull();
    expect(readTicket(key, token.replace('born-1950', 'born-1960'))).toBeNull();
    expect(readTicket(key, signTicket(signer('another key entirely'), claims))).toBeNull();
    expect(readTicket(key, 'q1.a.b')).toBeNull();
    expect(readTicket(key, `${token}x`)).toBeNull();
    expect(readTicket(key, token.replace('.17.', '.017.'))).toBeNull();
  });
});

describe('the admission controller', () => {
  const healthy = { bookingsPerSecond: 100, errorRate: 0, p95Ms: 80 };
  const start: AdmissionState = { ratePerSecond: null, carry: 0, lastTickAt: null };
  const seconds = (n: number) => new Date(Date.parse(OPENS_AT) + n * 1000).toISOString();

  it('starts from the measured bookings per second and grows by half of itself each second while healthy', () => {
    const first = admissionsFor(healthy, start, seconds(0));
    expect(first.admit).toBe(100);
    const second = admissionsFor(healthy, first.state, seconds(1));
    expect(second.state.ratePerSecond).toBe(150);
    expect(second.admit).toBe(150);
    // Slow, it still grows by the constant at least.
    const slow: AdmissionState = { ratePerSecond: 4, carry: 0, lastTickAt: seconds(0) };
    expect(admissionsFor(healthy, slow, seconds(1)).state.ratePerSecond).toBe(4 + DEFAULT_TUNING.increasePerSecond);
  });

  it('reaches what the system serves within seconds of the opening, however little it measured at first', () => {
    // People book about a second after they are let in: what is measured trails what was admitted.
    let state = start;
    const admitted: number[] = [];
    for (let s = 0; s <= 20; s++) {
      const served = Math.min(500, (admitted[s - 1] ?? 0) + (admitted[s - 2] ?? 0)) / 2;
      const step = admissionsFor({ bookingsPerSecond: served, errorRate: 0, p95Ms: 80 }, state, seconds(s));
      admitted.push(step.admit);
      state = step.state;
    }
    expect(admitted.findIndex((n) => n >= 500)).toBeLessThanOrEqual(20);
    expect(admitted.findIndex((n) => n >= 500)).toBeGreaterThan(5);
  });

  it('halves the rate when errors reach 1 % or latency passes the target', () => {
    const running: AdmissionState = { ratePerSecond: 200, carry: 0, lastTickAt: seconds(0) };
    expect(admissionsFor({ ...healthy, errorRate: 0.01 }, running, seconds(1)).state.ratePerSecond).toBe(100);
    expect(admissionsFor({ ...healthy, p95Ms: 900 }, running, seconds(1)).state.ratePerSecond).toBe(100);
    expect(
      admissionsFor({ ...healthy, p95Ms: DEFAULT_TUNING.targetP95Ms }, running, seconds(1)).state.ratePerSecond,
    ).toBe(100);
    // Not below 80 % of what is being served: a strain from elsewhere does not stop the line.
    const serving = { bookingsPerSecond: 180, errorRate: 0, p95Ms: 900 };
    expect(admissionsFor(serving, running, seconds(1)).state.ratePerSecond).toBe(144);
  });

  it('follows measured capacity: never far above what is served, and up again as the system serves more', () => {
    let state = admissionsFor(healthy, start, seconds(0)).state;
    for (let s = 1; s <= 100; s++) state = admissionsFor(healthy, state, seconds(s)).state;
    expect(state.ratePerSecond).toBe(100 * DEFAULT_TUNING.headroom + DEFAULT_TUNING.increasePerSecond);
    const slower = admissionsFor({ ...healthy, bookingsPerSecond: 40 }, state, seconds(101)).state;
    expect(slower.ratePerSecond).toBe(40 * DEFAULT_TUNING.headroom + DEFAULT_TUNING.increasePerSecond);
    let faster = slower;
    for (let s = 102; s <= 200; s++)
      faster = admissionsFor({ ...healthy, bookingsPerSecond: 400 }, faster, seconds(s)).state;
    expect(faster.ratePerSecond).toBeGreaterThan(500);
  });

  it('carries fractions of a position over, and admits someone even before anything is measured', () => {
    const idle = { bookingsPerSecond: 0, errorRate: 0, p95Ms: null };
    const tuning = { ...DEFAULT_TUNING, minRatePerSecond: 0.5, increasePerSecond: 0, growthShare: 0 };
    const first = admissionsFor(idle, start, seconds(0), tuning);
    expect(first.admit).toBe(0);
    expect(admissionsFor(idle, first.state, seconds(1), tuning).admit).toBe(1);
  });
});
