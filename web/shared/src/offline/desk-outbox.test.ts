import { ApiError, NETWORK_ERROR } from '../api-client.ts';
import { DeskOutbox, type QueuedChange } from './desk-outbox.ts';

const KEY = 'desk-outbox:c-1:s-1';

/** A change as the desk makes it. */
const change = (id: string, appointmentId = `apt-${id}`) => ({
  id,
  kind: 'check-in',
  appointmentId,
  label: `Patient ${id}`,
  request: { route: 'checkIn', params: { centreId: 'c-1', appointmentId } },
});

/** The API as the outbox meets it: each call answers the next of `answers` (ok, or an error to throw). */
function api(...answers: Array<'ok' | Error>) {
  const sent: string[] = [];
  const send = async (c: QueuedChange) => {
    const answer = answers.shift() ?? 'ok';
    if (answer !== 'ok') throw answer;
    sent.push(c.id);
  };
  return { send, sent };
}

const offline = () => new ApiError(0, NETWORK_ERROR, 'Failed to fetch');
const cancelledMeanwhile = () => new ApiError(409, 'NOT_BOOKED', 'This visit is already cancelled.');

beforeEach(() => localStorage.clear());

describe('the desk’s outbox', () => {
  test('changes made without a network are kept on the device and sent in order, once, when it returns', async () => {
    const { send, sent } = api(offline(), 'ok', 'ok');
    const outbox = new DeskOutbox(localStorage, KEY, send);
    outbox.add(change('a'));
    outbox.add(change('b'));

    expect(await outbox.flush()).toEqual({ sent: 0, conflicts: 0, waiting: 2 });
    expect(outbox.list().map((c) => c.id)).toEqual(['a', 'b']);

    expect(await outbox.flush()).toEqual({ sent: 2, conflicts: 0, waiting: 0 });
    expect(sent).toEqual(['a', 'b']);
    expect(outbox.list()).toEqual([]);
    expect(await outbox.flush()).toEqual({ sent: 0, conflicts: 0, waiting: 0 });
    expect(sent).toEqual(['a', 'b']);
  });

  test('what waits survives the page being closed: a new outbox on the same storage finds it', async () => {
    const first = new DeskOutbox(localStorage, KEY, api(offline()).send);
    first.add(change('a'));
    await first.flush();

    const { send, sent } = api();
    const reopened = new DeskOutbox(localStorage, KEY, send);
    expect(reopened.list().map((c) => [c.id, c.state])).toEqual([['a', 'waiting']]);
    await reopened.flush();
    expect(sent).toEqual(['a']);
  });

  test('a change the API refuses is kept as a conflict for the person to see, and the next ones still go', async () => {
    const { send, sent } = api(cancelledMeanwhile(), 'ok');
    const outbox = new DeskOutbox(localStorage, KEY, send);
    outbox.add(change('a'));
    outbox.add(change('b'));

    expect(await outbox.flush()).toEqual({ sent: 1, conflicts: 1, waiting: 0 });

    expect(sent).toEqual(['b']);
    expect(outbox.list()).toEqual([
      expect.objectContaining({
        id: 'a',
        state: 'conflict',
        error: { status: 409, code: 'NOT_BOOKED', message: 'This visit is already cancelled.' },
      }),
    ]);
    outbox.dismiss('a');
    expect(outbox.list()).toEqual([]);
  });

  test('the API busy or failing (429, 503) or the session over (401) is waited out, not taken as a refusal', async () => {
    const { send } = api(
      new ApiError(503, 'UNAVAILABLE', 'down'),
      new ApiError(429, 'RATE_LIMITED', 'slow down'),
      new ApiError(401, 'TOKEN_EXPIRED', 'log in again'),
    );
    const outbox = new DeskOutbox(localStorage, KEY, send);
    outbox.add(change('a'));

    expect(await outbox.flush()).toMatchObject({ sent: 0, waiting: 1 });
    expect(await outbox.flush()).toMatchObject({ sent: 0, waiting: 1 });
    expect(await outbox.flush()).toMatchObject({ sent: 0, waiting: 1 });
    expect(outbox.list()[0]?.state).toBe('waiting');
  });

  test('two runs asked at once send each change once', async () => {
    const { send, sent } = api();
    const outbox = new DeskOutbox(localStorage, KEY, send);
    outbox.add(change('a'));
    outbox.add(change('b'));

    await Promise.all([outbox.flush(), outbox.flush()]);

    expect(sent).toEqual(['a', 'b']);
  });

  test('listeners hear every change of the outbox', async () => {
    const outbox = new DeskOutbox(localStorage, KEY, api().send);
    const heard: number[] = [];
    const stop = outbox.subscribe(() => heard.push(outbox.list().length));
    outbox.add(change('a'));
    await outbox.flush();
    stop();
    outbox.add(change('b'));

    expect(heard).toEqual([1, 0]);
  });
});
