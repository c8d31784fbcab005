import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedTasksRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** What the fake does with the next request instead of behaving normally. */
export interface Scripted {
  status: number;
  grpcStatus: string;
  /** Carry the request out first, then answer with the error (an answer lost on the way back). */
  applyFirst?: boolean;
}

/**
 * A small stand-in for the Cloud Tasks v2 REST API on 127.0.0.1, as the CloudTasksClient's REST
 * ("fallback") transport uses it: POST /v2/{queue}/tasks and DELETE /v2/{task}, JSON bodies, errors as
 * Google's `{ error: { code, message, status } }`, names unique (ALREADY_EXISTS). It keeps the tasks,
 * records every request and can be told how to answer the next ones.
 */
export class FakeCloudTasks {
  readonly requests: RecordedTasksRequest[] = [];
  readonly tasks = new Map<string, Record<string, unknown>>();
  readonly script: Scripted[] = [];
  private server: Server | undefined;
  port = 0;
  private readonly queue: string;

  constructor(queue: string) {
    this.queue = queue;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        const body = raw ? JSON.parse(raw) : {};
        const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        const method = req.method ?? '';
        this.requests.push({ method, path, authorization: req.headers.authorization, body });
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        const fail = (status: number, grpcStatus: string, message: string) =>
          reply(status, { error: { code: status, message, status: grpcStatus } });
        const scripted = this.script.shift();
        if (scripted && !scripted.applyFirst) return fail(scripted.status, scripted.grpcStatus, 'scripted');
        const answer = this.handle(method, path, body);
        if (scripted) return fail(scripted.status, scripted.grpcStatus, 'scripted after applying');
        reply(answer.status, answer.body);
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
  }

  private handle(method: string, path: string, body: Record<string, unknown>): { status: number; body: unknown } {
    const error = (status: number, grpcStatus: string, message: string) => ({
      status,
      body: { error: { code: status, message, status: grpcStatus } },
    });
    if (method === 'POST' && path === `/v2/${this.queue}/tasks`) {
      const task = body.task as Record<string, unknown>;
      const name = task.name as string;
      if (this.tasks.has(name)) return error(409, 'ALREADY_EXISTS', `Requested entity already exists: ${name}`);
      this.tasks.set(name, task);
      return { status: 200, body: task };
    }
    if (method === 'DELETE' && path.startsWith(`/v2/${this.queue}/tasks/`)) {
      const name = path.slice('/v2/'.length);
      if (!this.tasks.delete(name)) return error(404, 'NOT_FOUND', `Requested entity was not found: ${name}`);
      return { status: 200, body: {} };
    }
    return error(404, 'NOT_FOUND', `No such method: ${method} ${path}`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
