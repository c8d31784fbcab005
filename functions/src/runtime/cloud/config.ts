import {
  DEFAULT_SMS_SETTINGS,
  FUNCTION_SECRETS,
  RateLimitsSetting,
  REGISTERED_FUNCTION_NAMES,
  SECRET_NAMES,
  type SecretName,
} from '@ereg/shared';
import { z } from 'zod';

const required = (name: string) => z.string({ error: `${name} is required` }).min(1, `${name} is required`);

export const CloudConfigSchema = z.object({
  GOOGLE_CLOUD_PROJECT: required('GOOGLE_CLOUD_PROJECT'),
  FIRESTORE_DATABASE: z.string().min(1).default('(default)'),
  // Secrets are mounted only into the functions that read them (FUNCTION_SECRETS); the loader
  // requires those of the function this instance serves.
  PESEL_HMAC_SECRET: z
    .string()
    .min(32, 'PESEL_HMAC_SECRET must be at least 32 characters (it keys the PESEL index; never change it)')
    .optional(),
  EVENTS_TOPIC: z.string().min(1).default('events'),
  BIGQUERY_DATASET: z.string().min(1).default('ereg'),
  BIGQUERY_TABLE: z.string().min(1).default('events'),
  TASKS_QUEUE_PATH: required('TASKS_QUEUE_PATH').regex(
    /^projects\/[^/]+\/locations\/[^/]+\/queues\/[^/]+$/,
    'TASKS_QUEUE_PATH must look like projects/<project>/locations/<location>/queues/<queue>',
  ),
  TASKS_TARGET_URL: z.url('TASKS_TARGET_URL must be the https URL of the smsTasks function (the tasks call it)'),
  TASKS_SERVICE_ACCOUNT: z.email('TASKS_SERVICE_ACCOUNT must be the e-mail of the service account tasks run as'),
  TWILIO_ACCOUNT_SID: required('TWILIO_ACCOUNT_SID').regex(/^AC[0-9a-f]{32}$/i, 'TWILIO_ACCOUNT_SID starts with AC'),
  TWILIO_AUTH_TOKEN: z.string().min(1, 'TWILIO_AUTH_TOKEN is required').optional(),
  TWILIO_MESSAGING_SERVICE_SID: required('TWILIO_MESSAGING_SERVICE_SID').regex(
    /^MG[0-9a-f]{32}$/i,
    'TWILIO_MESSAGING_SERVICE_SID starts with MG',
  ),
  SMS_WEBHOOK_URL: z
    .url('SMS_WEBHOOK_URL must be the public https URL of the sms function (Twilio signs requests to it)')
    .transform((url) => url.replace(/\/+$/, '')),
  SMS_HOTLINE: z
    .string()
    .trim()
    .min(3)
    .max(16, 'SMS_HOTLINE must fit in a text message (at most 16 characters)')
    .default('989'),
  SMS_WEB_URL: z
    .url('SMS_WEB_URL must be a URL')
    .max(40, 'SMS_WEB_URL must fit in a text message (at most 40 characters)')
    .optional(),
  // How many different people one phone may start booking for by text in a day (a household's worth).
  SMS_PEOPLE_PER_PHONE_PER_DAY: z.coerce
    .number('SMS_PEOPLE_PER_PHONE_PER_DAY must be a whole number from 1 to 50')
    .int('SMS_PEOPLE_PER_PHONE_PER_DAY must be a whole number from 1 to 50')
    .min(1, 'SMS_PEOPLE_PER_PHONE_PER_DAY must be a whole number from 1 to 50')
    .max(50, 'SMS_PEOPLE_PER_PHONE_PER_DAY must be a whole number from 1 to 50')
    .default(DEFAULT_SMS_SETTINGS.peoplePerPhonePerDay),
  IDP_ISSUER: required('IDP_ISSUER'),
  IDP_AUDIENCE: required('IDP_AUDIENCE'),
  IDP_LOGIN_URL: z.url('IDP_LOGIN_URL must be the https URL of the identity provider’s login page'),
  FIREBASE_WEB_API_KEY: required('FIREBASE_WEB_API_KEY'),
  IDP_PUBLIC_KEY_PEM: required('IDP_PUBLIC_KEY_PEM').refine(
    (pem) => pem.includes('BEGIN PUBLIC KEY'),
    'IDP_PUBLIC_KEY_PEM must be a PEM public key',
  ),
  // The limits per caller, as the local runtime reads them (its defaults when unset); the limits per
  // network are the edge's (Cloud Armor, infra/src/edge.ts).
  RATE_LIMITS: RateLimitsSetting.optional(),
  // Stand-ins for the services without an emulator (tests); unset in a deployment. The Firestore,
  // Pub/Sub, Auth and BigQuery clients read their own *_EMULATOR_HOST variables.
  CLOUD_TASKS_API_ENDPOINT: z
    .url('CLOUD_TASKS_API_ENDPOINT must be an http(s) URL (a Cloud Tasks REST stand-in)')
    .optional(),
  TWILIO_API_BASE_URL: z.url('TWILIO_API_BASE_URL must be an http(s) URL (a Twilio REST stand-in)').optional(),
  // Set, firebase-admin verifies tokens of the Auth emulator, and the centre app signs staff in there too.
  FIREBASE_AUTH_EMULATOR_HOST: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'FIREBASE_AUTH_EMULATOR_HOST must be host:port (the Auth emulator)')
    .optional(),
});

export type CloudConfig = z.infer<typeof CloudConfigSchema>;

/**
 * The secrets an instance needs: those of the function it serves (Cloud Functions names it in
 * FUNCTION_TARGET), or all of them when it serves every function (one process in tests).
 */
function secretsNeeded(target: string | undefined): readonly SecretName[] {
  const name = REGISTERED_FUNCTION_NAMES.find((known) => known === target);
  return name ? FUNCTION_SECRETS[name] : SECRET_NAMES;
}

/**
 * Reads the cloud runtime's configuration from the environment once. Every missing or malformed
 * variable is reported by name, all at once, so a deployment fails at start rather than on first use.
 */
export function loadCloudConfig(env: Record<string, string | undefined> = process.env): CloudConfig {
  const parsed = CloudConfigSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
  for (const secret of secretsNeeded(env.FUNCTION_TARGET)) {
    if (!env[secret]) problems.push(`  ${secret}: ${secret} is required`);
  }
  if (!parsed.success || problems.length > 0) {
    throw new Error(`Cloud configuration is incomplete:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
