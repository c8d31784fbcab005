import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedTwilioRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: Record<string, string>;
  accepted: boolean;
}

/**
 * A small stand-in for Twilio's Messages API on 127.0.0.1: POST /2010-04-01/Accounts/{sid}/Messages.json,
 * form-encoded, answered as Twilio answers (201 with a message resource, or Twilio's error body); it can
 * be told how to answer the next requests, and records every request.
 */
export class FakeTwilio {
  readonly requests: RecordedTwilioRequest[] = [];
  readonly script: { status: number; body: unknown }[] = [];
  private server: Server | undefined;
  private sent = 0;
  url = '';
  private readonly account: string;

  constructor(account: string) {
    this.account = account;
  }

  /** The messages Twilio accepted (answered 201), in order. */
  get accepted(): RecordedTwilioRequest[] {
    return this.requests.filter((r) => r.accepted);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(raw));
        this.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          form,
          accepted: false,
        });
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        const scripted = this.script.shift();
        if (scripted) return reply(scripted.status, scripted.body);
        if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${this.account}/Messages.json`) {
          return reply(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
        }
        this.sent++;
        (this.requests.at(-1) as RecordedTwilioRequest).accepted = true;
        reply(201, {
          sid: `SM${String(this.sent).padStart(32, '0')}`,
          account_sid: this.account,
          messaging_service_sid: form.MessagingServiceSid,
          to: form.To,
          body: form.Body,
          status: 'accepted',
        });
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
