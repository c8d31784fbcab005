import { CloudTasksClient } from '@google-cloud/tasks';
import { OAuth2Client } from 'google-auth-library';
import { CloudTasksQueue } from '../../src/adapters/cloud-tasks/cloud-tasks-queue.ts';
import { inSpan } from '../../src/observability/trace-context.ts';
import { FakeCloudTasks } from '../support/fake-cloud-tasks.ts';

/*
 * The real CloudTasksClient, in its REST ("fallback") transport, pointed at a small HTTP server on
 * 127.0.0.1 (`apiEndpoint`, `port`, `protocol: 'http'`) that speaks the Cloud Tasks v2 REST API as the
 * client uses it: POST /v2/{parent}/tasks and DELETE /v2/{name}, JSON bodies, errors as Google's
 * `{ error: { code, message, status } }`. Unproven here: the gRPC transport the client uses by default
 * (the adapter works the same over either), the real service's name-reuse window, and OIDC tokens
 * actually being minted and checked when a task fires.
 */

const QUEUE = 'projects/demo-ereg/locations/europe-central2/queues/sms-reminders';
const HANDLER = 'https://europe-central2-demo-ereg.cloudfunctions.net/smsReminder';
const SERVICE_ACCOUNT = 'tasks-invoker@demo-ereg.iam.gserviceaccount.com';

const fake = new FakeCloudTasks(QUEUE);
let client: CloudTasksClient;
let queue: CloudTasksQueue;

beforeAll(async () => {
  await fake.start();
  // Native fetch: gaxios otherwise imports node-fetch dynamically, which Jest's CommonJS loader refuses
  // without --experimental-vm-modules (plain Node loads it; only the test needs this).
  const authClient = new OAuth2Client({ transporterOptions: { fetchImplementation: fetch } });
  authClient.setCredentials({ access_token: 'local-test-token', expiry_date: Date.now() + 3_600_000 });
  client = new CloudTasksClient({
    fallback: true,
    apiEndpoint: '127.0.0.1',
    port: fake.port,
    protocol: 'http',
    authClient,
  });
  queue = new CloudTasksQueue(client, {
    queuePath: QUEUE,
    url: HANDLER,
    serviceAccountEmail: SERVICE_ACCOUNT,
    maxAttempts: 3,
    initialBackoffMs: 5,
  });
});

afterAll(async () => {
  await client.close();
  await fake.stop();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.tasks.clear();
  fake.script.length = 0;
});

const reminder = (name = 'appt-123-reminder-v1') => ({
  name,
  at: new Date('2026-03-28T17:00:00.250Z'),
  payload: { appointmentId: 'appt-123', purpose: 'reminder', version: 1 },
});

describe('scheduling a task', () => {
  test('a task scheduled within a trace carries it as a traceparent header of the task’s request', async () => {
    const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await inSpan('consume sms', { parent: caller }, () => queue.schedule(reminder('appt-9-confirmation')));
    const body = fake.requests[0]?.body as
      | { task?: { httpRequest?: { headers?: Record<string, string> } } }
      | undefined;
    const task = body?.task;
    expect(task?.httpRequest?.headers).toEqual({
      'content-type': 'application/json',
      traceparent: expect.stringMatching(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/),
    });
    expect(task?.httpRequest?.headers?.traceparent).not.toContain('00f067aa0ba902b7');
  });

  test('the request names the task in the queue and carries the schedule time, target, OIDC token and JSON body', async () => {
    await expect(queue.schedule(reminder())).resolves.toBe('scheduled');
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/v2/${QUEUE}/tasks`);
    expect(request?.authorization).toBe('Bearer local-test-token');
    const task = (request?.body as { task?: Record<string, unknown> } | undefined)?.task ?? {};
    expect(task).toEqual({
      name: `${QUEUE}/tasks/appt-123-reminder-v1`,
      scheduleTime: '2026-03-28T17:00:00.250Z',
      httpRequest: {
        httpMethod: 1, // POST, sent as the enum's number (`$alt=json;enum-encoding=int`)
        url: HANDLER,
        headers: { 'content-type': 'application/json' },
        body: expect.any(String),
        oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT, audience: HANDLER },
      },
    });
    const body = (task.httpRequest as { body: string }).body;
    expect(JSON.parse(Buffer.from(body, 'base64').toString('utf8'))).toEqual(reminder().payload);
  });

  test('a 503 is retried under the same name and leaves one task', async () => {
    fake.script.push({ status: 503, grpcStatus: 'UNAVAILABLE' });
    await expect(queue.schedule(reminder())).resolves.toBe('scheduled');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.map((r) => (r.body.task as { name: string }).name)).toEqual([
      `${QUEUE}/tasks/appt-123-reminder-v1`,
      `${QUEUE}/tasks/appt-123-reminder-v1`,
    ]);
    expect(fake.tasks.size).toBe(1);
  });

  test('a task created by an attempt whose answer was lost is not created again: the retry answers exists', async () => {
    fake.script.push({ status: 503, grpcStatus: 'UNAVAILABLE', applyFirst: true });
    await expect(queue.schedule(reminder())).resolves.toBe('exists');
    expect(fake.requests).toHaveLength(2);
    expect(fake.tasks.size).toBe(1);
  });

  test('scheduling a name that already exists answers exists and changes nothing', async () => {
    await queue.schedule(reminder());
    const again = { ...reminder(), at: new Date('2026-03-29T08:00:00Z'), payload: { other: true } };
    await expect(queue.schedule(again)).resolves.toBe('exists');
    expect(fake.tasks.size).toBe(1);
    expect(fake.tasks.get(`${QUEUE}/tasks/appt-123-reminder-v1`)?.scheduleTime).toBe('2026-03-28T17:00:00.250Z');
  });

  test('a refused request is not retried and reaches the caller', async () => {
    fake.script.push({ status: 400, grpcStatus: 'INVALID_ARGUMENT' });
    await expect(queue.schedule(reminder())).rejects.toMatchObject({ code: 3 });
    expect(fake.requests).toHaveLength(1);
  });

  test('a service that stays unavailable is tried maxAttempts times, then the error reaches the caller', async () => {
    for (let i = 0; i < 5; i++) fake.script.push({ status: 503, grpcStatus: 'UNAVAILABLE' });
    await expect(queue.schedule(reminder())).rejects.toMatchObject({ code: 14 });
    expect(fake.requests).toHaveLength(3);
    expect(fake.tasks.size).toBe(0);
  });

  test('a name Cloud Tasks would refuse is rejected before any request', async () => {
    await expect(queue.schedule(reminder('appt/123 reminder'))).rejects.toThrow('A task name may hold only');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('cancelling a task', () => {
  test('cancelling deletes the named task', async () => {
    await queue.schedule(reminder());
    await queue.cancel('appt-123-reminder-v1');
    expect(fake.requests[1]).toMatchObject({ method: 'DELETE', path: `/v2/${QUEUE}/tasks/appt-123-reminder-v1` });
    expect(fake.tasks.size).toBe(0);
  });

  test('cancelling a task that does not exist is not an error', async () => {
    await expect(queue.cancel('appt-404-reminder-v1')).resolves.toBeUndefined();
    expect(fake.requests).toHaveLength(1);
  });

  test('a 503 while cancelling is retried', async () => {
    await queue.schedule(reminder());
    fake.script.push({ status: 503, grpcStatus: 'UNAVAILABLE' });
    await queue.cancel('appt-123-reminder-v1');
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
    expect(fake.tasks.size).toBe(0);
  });
});
