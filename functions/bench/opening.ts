import { Agent, request as httpRequest } from 'node:http';

/**
 * The opening of an age group, replayed: people arrive at a rate that ramps from the normal booking
 * rate to a hundred times it, each logs in, (joins the waiting room when the server has one and waits
 * to be admitted,) searches and books; a share of them are scripts, each holding several identities
 * from one network and trying to book many places with each.
 */
export interface OpeningPlan {
  kind: 'opening';
  /** Everyone who arrives, in arrival order: a fresh login assertion and who they are. */
  people: Array<{ assertion: string; scripted: boolean }>;
  searchPaths: string[];
  /** Free places, taken in turn by the bookings (a slot with room for n appears up to n times). */
  slots: string[];
  keyPrefix: string;
  /** Arrivals per second at the start: the normal booking rate. */
  normalPerSecond: number;
  /** How many times the normal rate arrivals reach at the top of the ramp (≥ 100). */
  peakFactor: number;
  /** Seconds from the normal rate to the peak (≤ 60). */
  rampSeconds: number;
  /** Requests in flight at once, at most (the client's sockets); people themselves come whoever is inside. */
  concurrency: number;
  /** Bookings each scripted identity tries, two at a time. */
  scriptedAttempts: number;
  /** `auto`: join the waiting room when POST /api/booking/queue exists (it answers other than 404). */
  queue: 'auto' | 'off';
  /** How often a waiting person asks for their position, in milliseconds. */
  queuePollMs: number;
}

/** What the opening measured, beside the usual counts. */
export interface OpeningFigures {
  arrivals: number;
  scriptedPeople: number;
  /** Arrivals per second at the top of the ramp, as planned, and the second it is reached. */
  peakArrivalsPerSecond: number;
  peakReachedAtSeconds: number;
  /** Requests answered, by "METHOD route status". */
  answers: Record<string, number>;
  serverErrors: number;
  bookings: number;
  scriptedBookings: number;
  /** Share of the courses booked that went to scripts, and their share of the people. */
  scriptedBookingShare: number;
  scriptedPeopleShare: number;
  /** Successful bookings per second over the seconds from the first to the last. */
  bookingsPerSecond: number;
  /** The best ten consecutive seconds. */
  peakBookingsPerSecondOver10s: number;
  /** Latency of successful bookings, in milliseconds. */
  bookingLatencyMs: { p50: number; p99: number; max: number };
  /** Latency of every answered request. */
  requestLatencyMs: { p50: number; p99: number; max: number };
  /** Identities acknowledged more than one course. */
  identitiesWithMoreThanOneBooking: number;
  /** People whose visit did not finish before the end (still waiting, or cut off). */
  unfinished: number;
  /** How late people started against their planned arrival (the client's pool full), p99 in ms. */
  arrivalLagP99Ms: number;
  queue: {
    used: boolean;
    joined: number;
    admitted: number;
    /** People given a position lower than someone whose join was answered before theirs was sent (outside the shuffle at opening). */
    positionInversions: number;
    /** People admitted (by the server's time of admission) after someone with a higher position was. */
    admissionInversions: number;
    /** Identities holding more than one position. */
    identitiesWithSeveralPositions: number;
  };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * When each arrival comes, in seconds from the start: the rate grows linearly from `normal` to
 * `normal × factor` over `ramp` seconds and stays there; no arrival after `duration`.
 */
export function arrivalTimes(count: number, normal: number, factor: number, ramp: number, duration: number): number[] {
  const peak = normal * factor;
  const slope = ramp > 0 ? (peak - normal) / ramp : 0;
  // People arrived by time t: normal·t + slope·t²/2 during the ramp, then the peak rate.
  const arrivedAtRampEnd = normal * ramp + (slope * ramp * ramp) / 2;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = i + 0.5;
    let t: number;
    if (n <= arrivedAtRampEnd && slope > 0) t = (-normal + Math.sqrt(normal * normal + 2 * slope * n)) / slope;
    else t = ramp + (n - arrivedAtRampEnd) / peak;
    if (t > duration) break;
    times.push(t);
  }
  return times;
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

/**
 * Runs the opening against the server and answers its figures; every request goes to `url`
 * (127.0.0.1), at most `concurrency` at once, for at most `durationSeconds` of arrivals plus
 * `graceSeconds` for those still inside.
 */
export async function runOpening(
  url: string,
  plan: OpeningPlan,
  durationSeconds: number,
  timeoutSeconds: number,
): Promise<{ figures: OpeningFigures; responses: number; socketErrors: number; timeouts: number; seconds: number }> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') {
    throw new Error(`The opening is replayed against this machine only, not ${target.hostname}.`);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const answers: Record<string, number> = {};
  const allLatencies: number[] = [];
  const bookingLatencies: number[] = [];
  const bookedAtSecond: number[] = [];
  let socketErrors = 0;
  let timeouts = 0;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const deadline = durationSeconds + timeoutSeconds;
  // Requests still waiting for one of the client's sockets, or for their answer, at the deadline.
  const outstanding = new Set<ReturnType<typeof httpRequest>>();
  const cutOff = setTimeout(() => {
    for (const req of outstanding) req.destroy(new Error('deadline'));
  }, deadline * 1000);

  const send = (
    method: 'GET' | 'POST',
    path: string,
    route: string,
    token: string | null,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer | null> =>
    new Promise((resolve) => {
      // Past the deadline nothing more is sent, and what is still out is cut off (below).
      if (elapsed() > deadline) {
        resolve(null);
        return;
      }
      const sent = performance.now();
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method,
          path,
          agent,
          timeout: timeoutSeconds * 1000,
          headers: {
            ...headers,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => {
            const ms = performance.now() - sent;
            const status = res.statusCode ?? 0;
            const key = `${method} ${route} ${status}`;
            answers[key] = (answers[key] ?? 0) + 1;
            allLatencies.push(ms);
            resolve({ status, body: text, ms });
          });
        },
      );
      req.on('timeout', () => {
        timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', (error) => {
        if (error.message !== 'timeout' && error.message !== 'deadline') socketErrors++;
        resolve(null);
      });
      outstanding.add(req);
      req.once('close', () => outstanding.delete(req));
      if (payload) req.write(payload);
      req.end();
    });

  const json = <T>(answer: Answer | null): T | null => {
    if (!answer || answer.status < 200 || answer.status >= 300) return null;
    try {
      return JSON.parse(answer.body) as T;
    } catch {
      return null;
    }
  };

  const json409 = (answer: Answer) => {
    try {
      return JSON.parse(answer.body) as {
        error?: { code?: string; details?: { alternatives?: Array<{ slotId?: string }> } };
      };
    } catch {
      return null;
    }
  };

  let nextSlot = 0;
  let nextSearch = 0;
  let nextKey = 0;
  const bookedBy = new Map<number, number>();
  let scriptedBookings = 0;
  let queueRoute = (plan.queue === 'off' ? false : null) as boolean | null;
  /** Each join with when it was sent and when its answer came, in ms from the start. */
  const joins: Array<{ person: number; position: number | null; sentAt: number; answeredAt: number }> = [];
  const admissions: Array<{ person: number; position: number | null; admittedUntil: string | null }> = [];
  const positionsOf = new Map<number, Set<number>>();
  let unfinished = 0;

  const book = async (
    person: number,
    token: string,
    patientId: string,
    ticket: string | null,
    chosen?: string,
  ): Promise<boolean> => {
    const slotId = chosen ?? plan.slots[nextSlot++ % Math.max(plan.slots.length, 1)];
    if (!slotId) return false;
    const answer = await send(
      'POST',
      '/api/booking/appointments',
      'book',
      token,
      { slotId, patientId },
      {
        'idempotency-key': `${plan.keyPrefix}-${nextKey++}`,
        ...(ticket ? { 'queue-ticket': ticket } : {}),
      },
    );
    if (answer?.status === 409 && chosen === undefined && !plan.people[person]?.scripted) {
      // A person whose slot was taken takes the first one offered instead, once.
      const offered = json409(answer)?.error?.details?.alternatives?.[0]?.slotId;
      if (offered) return book(person, token, patientId, ticket, offered);
    }
    if (answer?.status !== 201) return false;
    bookingLatencies.push(answer.ms);
    const second = Math.floor(elapsed());
    bookedAtSecond[second] = (bookedAtSecond[second] ?? 0) + 1;
    bookedBy.set(person, (bookedBy.get(person) ?? 0) + 1);
    if (plan.people[person]?.scripted) scriptedBookings++;
    return true;
  };

  interface QueueView {
    status: string;
    position: number | null;
    admittedUntil: string | null;
    checkAgainSeconds?: number | null;
    ticket: string;
  }

  /** Joins the waiting room if there is one; answers the admitted ticket, null without a room, or 'gone'. */
  const waitForAdmission = async (
    person: number,
    token: string,
    patientId: string,
  ): Promise<string | null | 'gone'> => {
    if (queueRoute === false) return null;
    const sentAt = performance.now() - started;
    const joined = await send('POST', '/api/booking/queue', 'joinQueue', token, { patientId });
    const answeredAt = performance.now() - started;
    // No route (404), or no room for this opening (409 NO_QUEUE: rooms are off): everyone goes straight on.
    const noRoom = joined?.status === 404 || (joined?.status === 409 && json409(joined)?.error?.code === 'NO_QUEUE');
    if (noRoom && queueRoute !== true) {
      queueRoute = false;
      return null;
    }
    let view = json<{ queue: QueueView | null }>(joined)?.queue ?? null;
    if (joined && (joined.status === 200 || joined.status === 201)) queueRoute = true;
    if (!view) return null;
    joins.push({ person, position: view.position, sentAt, answeredAt });
    const record = (position: number | null) => {
      if (position === null) return;
      const held = positionsOf.get(person) ?? new Set<number>();
      held.add(position);
      positionsOf.set(person, held);
    };
    record(view.position);
    while (view.status === 'waiting' || view.status === 'before-opening') {
      if (elapsed() > deadline) return 'gone';
      // As the waiting page does: when the room says, or every `queuePollMs`.
      const asked = Math.max(plan.queuePollMs, (view.checkAgainSeconds ?? 0) * 1000);
      const delay = Math.min(asked, Math.max(0, (deadline - elapsed()) * 1000));
      await new Promise((resolve) => setTimeout(resolve, delay));
      const state = json<{ queue: QueueView | null }>(
        await send('GET', `/api/booking/queue/${encodeURIComponent(patientId)}`, 'queueState', token, undefined),
      );
      if (!state?.queue) return null;
      view = state.queue;
      record(view.position);
    }
    if (view.status !== 'admitted') return 'gone';
    admissions.push({ person, position: view.position, admittedUntil: view.admittedUntil });
    return view.ticket;
  };

  const visit = async (person: number): Promise<void> => {
    const who = plan.people[person] as { assertion: string; scripted: boolean };
    const login = json<{ token: string; patient: { id: string } }>(
      await send('POST', '/api/login', 'login', null, { assertion: who.assertion }),
    );
    if (!login) return;
    const ticket = await waitForAdmission(person, login.token, login.patient.id);
    if (ticket === 'gone') {
      unfinished++;
      return;
    }
    const ticketHeader: Record<string, string> = ticket ? { 'queue-ticket': ticket } : {};
    if (!who.scripted) {
      const path = plan.searchPaths[nextSearch++ % Math.max(plan.searchPaths.length, 1)];
      if (path) await send('GET', path, 'search', login.token, undefined, ticketHeader);
      await book(person, login.token, login.patient.id, ticket);
      return;
    }
    // A script skips the search and fires its attempts two at a time, each with its own key.
    for (let i = 0; i < plan.scriptedAttempts; i += 2) {
      const pair = [book(person, login.token, login.patient.id, ticket)];
      if (i + 1 < plan.scriptedAttempts) pair.push(book(person, login.token, login.patient.id, ticket));
      await Promise.all(pair);
      if (elapsed() > deadline) return;
    }
  };

  const times = arrivalTimes(
    plan.people.length,
    plan.normalPerSecond,
    plan.peakFactor,
    plan.rampSeconds,
    durationSeconds,
  );
  // An open system, as on the day: each person comes at their time whoever else is still inside (waiting
  // in the room, searching or booking); only the requests share the client's `concurrency` sockets.
  const lags: number[] = [];
  const arrive = async (i: number): Promise<void> => {
    const due = (times[i] as number) * 1000;
    const wait = due - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lags.push(Math.max(0, performance.now() - started - due));
    if (elapsed() > deadline) {
      unfinished++;
      return;
    }
    await visit(i);
  };
  await Promise.all(times.map((_, i) => arrive(i)));
  clearTimeout(cutOff);
  const seconds = elapsed();
  agent.destroy();

  allLatencies.sort((a, b) => a - b);
  bookingLatencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  const scriptedPeople = plan.people.slice(0, times.length).filter((p) => p.scripted).length;
  const bookings = bookingLatencies.length;
  const busySeconds = bookedAtSecond.map((n, s) => (n ? s : -1)).filter((s) => s >= 0);
  const firstSecond = busySeconds[0] ?? 0;
  const lastSecond = busySeconds[busySeconds.length - 1] ?? 0;
  let best10 = 0;
  for (let s = firstSecond; s <= lastSecond; s++) {
    let sum = 0;
    for (let k = s; k < s + 10; k++) sum += bookedAtSecond[k] ?? 0;
    best10 = Math.max(best10, sum / 10);
  }
  // First come, first served as anyone could check it: a join sent after another was answered must get
  // a higher position (joins in flight together may be placed either way). Early arrivals (no position
  // until the shuffle) are left out.
  let positionInversions = 0;
  const placed = joins.filter((j) => j.position !== null);
  const byAnswer = [...placed].sort((a, b) => a.answeredAt - b.answeredAt);
  let answered = 0;
  let highest = -Infinity;
  for (const join of [...placed].sort((a, b) => a.sentAt - b.sentAt)) {
    while (answered < byAnswer.length && (byAnswer[answered]?.answeredAt ?? Infinity) < join.sentAt) {
      highest = Math.max(highest, byAnswer[answered]?.position ?? -Infinity);
      answered++;
    }
    if ((join.position ?? 0) < highest) positionInversions++;
  }
  // In the order the server let people in (each admission's time, from the end of its window to book;
  // people let in by one tick share it), not the order their polls happened to see it.
  let admissionInversions = 0;
  const byTick = new Map<string, number[]>();
  for (const { position, admittedUntil } of admissions) {
    if (position === null || admittedUntil === null) continue;
    byTick.set(admittedUntil, [...(byTick.get(admittedUntil) ?? []), position]);
  }
  highest = -Infinity;
  for (const [, positions] of [...byTick].sort(([a], [b]) => a.localeCompare(b))) {
    admissionInversions += positions.filter((position) => position < highest).length;
    highest = Math.max(highest, ...positions);
  }
  const serverErrors = Object.entries(answers)
    .filter(([key]) => Number(key.split(' ').pop()) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  const latency = (sorted: number[]) => ({
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? 0),
  });
  const figures: OpeningFigures = {
    arrivals: times.length,
    scriptedPeople,
    peakArrivalsPerSecond: plan.normalPerSecond * plan.peakFactor,
    peakReachedAtSeconds: plan.rampSeconds,
    answers,
    serverErrors,
    bookings,
    scriptedBookings,
    scriptedBookingShare: bookings ? round(scriptedBookings / bookings, 3) : 0,
    scriptedPeopleShare: times.length ? round(scriptedPeople / times.length, 3) : 0,
    bookingsPerSecond: round(bookings / Math.max(1, lastSecond - firstSecond + 1)),
    peakBookingsPerSecondOver10s: round(best10),
    bookingLatencyMs: latency(bookingLatencies),
    requestLatencyMs: latency(allLatencies),
    identitiesWithMoreThanOneBooking: [...bookedBy.values()].filter((n) => n > 1).length,
    unfinished,
    arrivalLagP99Ms: round(percentile(lags, 99)),
    queue: {
      used: (queueRoute as boolean | null) === true,
      joined: joins.length,
      admitted: admissions.length,
      positionInversions,
      admissionInversions,
      identitiesWithSeveralPositions: [...positionsOf.values()].filter((held) => held.size > 1).length,
    },
  };
  return { figures, responses: allLatencies.length, socketErrors, timeouts, seconds };
}
