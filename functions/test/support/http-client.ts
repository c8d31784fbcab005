import { twilioSignature } from '../../src/adapters/twilio/twilio-signature.ts';

export interface Reply {
  status: number;
  // Test code reads arbitrary fields of answers.
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are inspected field by field in tests.
  body: any;
}

/** A tiny JSON client for tests that talk to the real HTTP server; an answer that is not JSON (a file) is its text. */
export function client(baseUrl: string) {
  return async function call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    const json = response.headers.get('content-type')?.startsWith('application/json') ?? false;
    return { status: response.status, body: text ? (json ? JSON.parse(text) : text) : null };
  };
}

export type Call = ReturnType<typeof client>;

/**
 * Posts a form to one of the SMS webhooks as Twilio does: signed with the account's auth token over
 * the URL and form (or with the signature given, to test a forged one).
 */
export async function postTwilioForm(
  url: string,
  authToken: string,
  form: Record<string, string>,
  signature?: string,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? twilioSignature(authToken, url, form),
    },
    body: new URLSearchParams(form).toString(),
  });
}
