import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './emulators.ts';

/**
 * The Firebase Authentication emulator of firebase-tools (a dev dependency; Node only, no Java), started
 * offline for one test file: project `demo-ereg` (a `demo-` project needs no Google account and
 * reaches no Google service), its own free ports for the emulator, the hub and the logging stream, no
 * UI, update checks off. Stopped with its whole process group.
 */
export interface AuthEmulator {
  /** `127.0.0.1:PORT`, for `FIREBASE_AUTH_EMULATOR_HOST`. */
  host: string;
  projectId: string;
  /** How long the emulator took to answer, in ms. */
  startedInMs: number;
  /** Everything the emulator printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

const FIREBASE_BIN = join(__dirname, '..', '..', '..', 'node_modules', 'firebase-tools', 'lib', 'bin', 'firebase.js');

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** `firebase emulators:start --only auth` on free ports; ready in a few seconds. */
export async function startAuthEmulator(projectId = 'demo-ereg', timeoutMs = 60_000): Promise<AuthEmulator> {
  if (!existsSync(FIREBASE_BIN)) {
    throw new Error(`The Auth emulator cannot run: ${FIREBASE_BIN} is missing; run \`npm ci\` (firebase-tools).`);
  }
  const [port, hub, logging] = [await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'ereg-auth-emulator-'));
  const config = join(dir, 'firebase.json');
  writeFileSync(
    config,
    JSON.stringify({
      emulators: {
        auth: { host: '127.0.0.1', port },
        hub: { host: '127.0.0.1', port: hub },
        logging: { host: '127.0.0.1', port: logging },
        ui: { enabled: false },
        singleProjectMode: true,
      },
    }),
  );
  const began = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [FIREBASE_BIN, 'emulators:start', '--only', 'auth', '--project', projectId, '--config', config],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // Offline: no update check, no usage reports.
        NO_UPDATE_NOTIFIER: '1',
        FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true',
        CI: 'true',
        HOME: dir,
        XDG_CONFIG_HOME: dir,
      },
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const host = `127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5_000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = began + timeoutMs;
  while (!(await answers(`http://${host}/emulator/v1/projects/${projectId}/config`))) {
    if (exited || performance.now() > deadline) {
      await stop();
      throw new Error(
        `The Auth emulator ${exited ? 'exited' : `did not answer in ${timeoutMs} ms`} before it was ready:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { host, projectId, startedInMs: Math.round(performance.now() - began), output: () => output, stop };
}

/**
 * A person signing in to the Auth emulator as the web app's Firebase SDK would, over the emulator's
 * copy of the Identity Toolkit REST API (any API key is accepted).
 */
export class EmulatorSignIn {
  private readonly base: string;
  private readonly emulator: AuthEmulator;

  constructor(emulator: AuthEmulator) {
    this.emulator = emulator;
    this.base = `http://${emulator.host}/identitytoolkit.googleapis.com/v1`;
  }

  private async post(path: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.base}/${path}?key=demo-api-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  }

  /** Sign-in by e-mail link: the link is "sent", its code read from the emulator's outbox and used. */
  async withEmailLink(email: string): Promise<string> {
    await this.post('accounts:sendOobCode', {
      requestType: 'EMAIL_SIGNIN',
      email,
      continueUrl: 'http://127.0.0.1/finish-sign-in',
    });
    const codes = await fetch(`http://${this.emulator.host}/emulator/v1/projects/${this.emulator.projectId}/oobCodes`);
    const { oobCodes } = (await codes.json()) as {
      oobCodes: Array<{ email: string; oobCode: string; requestType: string }>;
    };
    const code = oobCodes.filter((c) => c.email === email && c.requestType === 'EMAIL_SIGNIN').at(-1);
    if (!code) throw new Error(`No sign-in link was sent to ${email}.`);
    const answer = await this.post('accounts:signInWithEmailLink', { email, oobCode: code.oobCode });
    return answer.idToken as string;
  }

  async withPassword(email: string, password: string): Promise<string> {
    const answer = await this.post('accounts:signInWithPassword', { email, password, returnSecureToken: true });
    return answer.idToken as string;
  }

  /** Removes every account, between tests. */
  async clear(): Promise<void> {
    await fetch(`http://${this.emulator.host}/emulator/v1/projects/${this.emulator.projectId}/accounts`, {
      method: 'DELETE',
    });
  }
}
