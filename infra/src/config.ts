import { resolve } from 'node:path';
import { parseRateLimits, type RateLimitPolicy, type SecretName } from '@ereg/shared';
import * as pulumi from '@pulumi/pulumi';
import type { EdgeSettings } from './edge.ts';
import {
  DEPLOYED_FUNCTION_NAMES,
  type DeployedFunctionName,
  FUNCTION_SPECS,
  type ScaleSettings,
} from './function-specs.ts';

/** Instances a function runs with in this deployment. */
export interface InstanceRange {
  min: number;
  max: number;
}

/** A value the functions read from Secret Manager into `variable`. */
/** The environment variables that hold secrets; each is a Secret Manager secret (secrets.ts). */
export type SecretVariable = SecretName;

export interface SecretValue {
  variable: SecretVariable;
  value: pulumi.Output<string>;
  /** Set once: changing it would break what was derived from the old value. */
  immutable: boolean;
}

/** The stack's settings, read once (`pulumi config set …`), with the defaults filled in. */
export interface StackConfig {
  project: string;
  region: string;
  firestore: { database: string; location: string };
  bigqueryLocation: string;
  /** Databases, tables and secrets refuse `pulumi destroy` unless this is false. */
  protectData: boolean;
  /** The directory `npm run package:functions` assembles, absolute. */
  functionsSource: string;
  functions: {
    cpu: string;
    memory: string;
    concurrency: number;
    opening: boolean;
    instances: Record<DeployedFunctionName, InstanceRange>;
  };
  twilio: { accountSid: string; messagingServiceSid: string };
  /** What every text message names: the hotline, and the web address when there is one. */
  sms: { hotline: string; webUrl?: string; peoplePerPhonePerDay: number };
  idp: { issuer: string; audience: string; publicKeyPem: string; loginUrl: string };
  /** The Firebase project's web API key (public: the web app uses it to exchange the login's custom token). */
  firebaseWebApiKey: string;
  /** The send queue: at most `maxDispatchesPerSecond` messages a second go to Twilio. */
  tasks: { maxDispatchesPerSecond: number; maxConcurrentDispatches: number };
  publishSlots: { schedule: string; timeZone: string };
  /** When the centre-days that are over are closed (their no-shows marked): every quarter of an hour. */
  closeDays: { schedule: string; timeZone: string };
  /** When the day's sample of hotline look-ups is drawn for review: once a night. */
  sampleLookups: { schedule: string; timeZone: string };
  /** Values that reach the functions only through Secret Manager, by environment variable. */
  secrets: SecretValue[];
  /**
   * The rate limits: `setting` as the functions read it (RATE_LIMITS; unset for their defaults), and
   * the policy it gives, whose limits per network the edge enforces.
   */
  rateLimits: { setting: string | undefined; policy: RateLimitPolicy };
  /** The load balancer with the limits per network in front of the API (edge.ts); null when not deployed. */
  edge: EdgeSettings | null;
}

const HTTPS_URL = /^https:\/\/\S+$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Keys this program no longer reads, and what to do instead. A stack that still sets one stops at
 * preview: silently ignored, `remindersMaxDispatchesPerSecond` would lift the cap on what is sent to
 * Twilio back to the default.
 */
const REPLACED_KEYS: Record<string, string> = {
  twilioStatusCallbackUrl: "the sms function's URL is derived from the region and project now",
  tasksTargetUrl: "the smsTasks function's URL is derived from the region and project now",
  remindersMaxDispatchesPerSecond: 'it is called smsPerSecond now',
};

/**
 * Reads the stack configuration. A missing or malformed key stops `pulumi preview` with the key's
 * name, before anything is created. `repoRoot` anchors relative paths (the functions source).
 */
export function loadStackConfig(repoRoot: string): StackConfig {
  const gcp = new pulumi.Config('gcp');
  const config = new pulumi.Config();
  const project = gcp.require('project');
  const opening = config.getBoolean('opening') ?? false;
  for (const [key, instead] of Object.entries(REPLACED_KEYS)) {
    if (config.get(key) !== undefined) {
      throw new Error(`Configuration key 'ereg:${key}' is no longer read: ${instead} (pulumi config rm ${key}).`);
    }
  }
  const smsWebUrl = config.get('smsWebUrl', { pattern: HTTPS_URL, maxLength: 40 });
  const rateLimits = config.get('rateLimits');
  return {
    project,
    region: config.get('region') ?? gcp.get('region') ?? 'europe-west1',
    firestore: {
      database: config.get('firestoreDatabase') ?? '(default)',
      location: config.get('firestoreLocation') ?? 'eur3',
    },
    bigqueryLocation: config.get('bigqueryLocation') ?? 'EU',
    protectData: config.getBoolean('protectData') ?? true,
    functionsSource: resolve(repoRoot, config.get('functionsSource') ?? '.build/functions'),
    functions: {
      cpu: config.get('functionCpu') ?? '1',
      memory: config.get('functionMemory') ?? '512Mi',
      concurrency: config.getNumber('functionConcurrency', { min: 1, max: 1000 }) ?? 80,
      opening,
      instances: resolveInstances(config.getObject<unknown>('scale') ?? {}, opening),
    },
    twilio: {
      accountSid: config.require('twilioAccountSid', { pattern: /^AC[0-9a-f]{32}$/i }),
      messagingServiceSid: config.require('twilioMessagingServiceSid', { pattern: /^MG[0-9a-f]{32}$/i }),
    },
    // Every text message names them, within its one-segment budget: hence the lengths.
    sms: {
      hotline: config.get('smsHotline', { minLength: 3, maxLength: 16 }) ?? '989',
      // A household's worth of people one phone may book for by text in a day (the code's default).
      peoplePerPhonePerDay: config.getNumber('smsPeoplePerPhonePerDay', { min: 1, max: 50 }) ?? 5,
      ...(smsWebUrl === undefined ? {} : { webUrl: smsWebUrl }),
    },
    idp: {
      issuer: config.require('idpIssuer'),
      audience: config.require('idpAudience'),
      publicKeyPem: config.require('idpPublicKeyPem', { pattern: /-----BEGIN PUBLIC KEY-----/ }),
      loginUrl: config.require('idpLoginUrl', { pattern: HTTPS_URL }),
    },
    firebaseWebApiKey: config.require('firebaseWebApiKey'),
    tasks: {
      // Cloud Tasks dispatches at most 500 a second from one queue (docs/capacity.md §7.2).
      maxDispatchesPerSecond: config.getNumber('smsPerSecond', { min: 1, max: 500 }) ?? 100,
      maxConcurrentDispatches: config.getNumber('remindersMaxConcurrentDispatches', { min: 1, max: 5000 }) ?? 100,
    },
    publishSlots: {
      schedule: config.get('publishSlotsSchedule') ?? '30 2 * * *',
      timeZone: config.get('publishSlotsTimeZone') ?? 'Europe/Warsaw',
    },
    closeDays: {
      schedule: config.get('closeDaysSchedule') ?? '*/15 * * * *',
      timeZone: config.get('publishSlotsTimeZone') ?? 'Europe/Warsaw',
    },
    sampleLookups: {
      schedule: config.get('sampleLookupsSchedule') ?? '15 1 * * *',
      timeZone: config.get('publishSlotsTimeZone') ?? 'Europe/Warsaw',
    },
    secrets: [
      { variable: 'TWILIO_AUTH_TOKEN', value: config.requireSecret('twilioAuthToken'), immutable: false },
      // Keys the PESEL look-up index: a new key would make every registered PESEL unfindable.
      {
        variable: 'PESEL_HMAC_SECRET',
        value: config.requireSecret('peselHmacSecret', { minLength: 32 }),
        immutable: true,
      },
    ],
    rateLimits: { setting: rateLimits, policy: readRateLimits(rateLimits) },
    edge: readEdge(config.getObject<unknown>('edge')),
  };
}

function readRateLimits(setting: string | undefined): RateLimitPolicy {
  try {
    return parseRateLimits(setting ?? '');
  } catch (error) {
    throw new Error(`rateLimits: ${error instanceof Error ? error.message : error}`);
  }
}

/** `edge: { domain, siteHost }`, both host names; absent for no balancer. */
function readEdge(value: unknown): EdgeSettings | null {
  if (value === undefined) return null;
  const edge = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  for (const key of ['domain', 'siteHost']) {
    if (typeof edge[key] !== 'string' || !HOSTNAME.test(edge[key])) {
      throw new Error(`edge.${key} must be a host name (edge: { "domain": "…", "siteHost": "<site>.web.app" })`);
    }
  }
  return { domain: edge.domain as string, siteHost: edge.siteHost as string };
}

const SCALE_KEYS: readonly (keyof ScaleSettings)[] = ['minInstances', 'openingMinInstances', 'maxInstances'];

/**
 * Each function's instance range from the defaults in FUNCTION_SPECS and the stack's `scale`
 * setting (`{ "login": { "maxInstances": 200 } }`); during an opening the minimum is the opening
 * minimum. An unknown function or key, or a minimum above the maximum, is refused by name.
 */
export function resolveInstances(scale: unknown, opening: boolean): Record<DeployedFunctionName, InstanceRange> {
  if (typeof scale !== 'object' || scale === null || Array.isArray(scale)) {
    throw new Error('scale must be an object keyed by function name');
  }
  const overrides = scale as Record<string, unknown>;
  for (const name of Object.keys(overrides)) {
    if (!DEPLOYED_FUNCTION_NAMES.includes(name as DeployedFunctionName)) {
      throw new Error(`scale.${name}: no such function (one of ${DEPLOYED_FUNCTION_NAMES.join(', ')})`);
    }
  }
  const result = {} as Record<DeployedFunctionName, InstanceRange>;
  for (const name of DEPLOYED_FUNCTION_NAMES) {
    const settings = { ...FUNCTION_SPECS[name].scale, ...scaleOverride(name, overrides[name]) };
    const min = opening ? Math.max(settings.minInstances, settings.openingMinInstances) : settings.minInstances;
    if (min > settings.maxInstances) {
      throw new Error(`scale.${name}: minimum ${min} is above maxInstances ${settings.maxInstances}`);
    }
    result[name] = { min, max: settings.maxInstances };
  }
  return result;
}

function scaleOverride(name: string, value: unknown): Partial<ScaleSettings> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`scale.${name} must be an object with ${SCALE_KEYS.join(', ')}`);
  }
  const override: Partial<ScaleSettings> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (!SCALE_KEYS.includes(key as keyof ScaleSettings)) {
      throw new Error(`scale.${name}.${key}: unknown setting (one of ${SCALE_KEYS.join(', ')})`);
    }
    // `pulumi config set --path` may store a number as a string.
    const count = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw new Error(`scale.${name}.${key} must be a whole number ≥ 0, not ${JSON.stringify(raw)}`);
    }
    override[key as keyof ScaleSettings] = count;
  }
  if (override.maxInstances === 0) throw new Error(`scale.${name}.maxInstances must be at least 1`);
  return override;
}
