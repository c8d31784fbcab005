/** The deployed HTTP functions of the API; each is served under `/api/<name>/…`. */
export const FUNCTION_NAMES = ['login', 'search', 'booking', 'centres', 'admin', 'reports'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The HTTP functions of the text messages: Twilio's webhooks (`sms`) and the send tasks' target (`smsTasks`). */
export const SMS_FUNCTION_NAMES = ['sms', 'smsTasks'] as const;
export type SmsFunctionName = (typeof SMS_FUNCTION_NAMES)[number];

/** The event-triggered functions of the Google Cloud runtime. */
export const EVENT_FUNCTION_NAMES = [
  'relayOutbox',
  'projectAvailability',
  'recordAnalytics',
  'planMessages',
  'publishDueSlots',
  'closeCentreDays',
  'sampleLookups',
  'admitQueue',
  // The standby list
  'matchStandby',
  'noteStandby',
] as const;
export type EventFunctionName = (typeof EVENT_FUNCTION_NAMES)[number];

/** Every function the entry module registers; deployed names equal these. */
export const REGISTERED_FUNCTION_NAMES = [...FUNCTION_NAMES, ...SMS_FUNCTION_NAMES, ...EVENT_FUNCTION_NAMES] as const;
export type RegisteredFunctionName = FunctionName | SmsFunctionName | EventFunctionName;

/** The deployment's secrets; each is mounted only into the functions whose code reads it. */
export const SECRET_NAMES = ['PESEL_HMAC_SECRET', 'TWILIO_AUTH_TOKEN'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/**
 * The secrets each function reads: the PESEL key keys the PESEL index (login enrols, booking's agents
 * and admin's referrals look people up) and the SMS conversations (sms), and unseals the PESEL kept in
 * a patient's record where people see it (the patient's own view, agents' answers, the centre's day
 * list), and keys the pseudonyms of analytics rows (recordAnalytics); Twilio's token checks the webhooks' signatures (sms) and sends (smsTasks). A function's
 * configuration requires exactly these. planMessages reads patients without it: their PESEL withheld.
 */
export const FUNCTION_SECRETS: { readonly [N in RegisteredFunctionName]: readonly SecretName[] } = {
  login: ['PESEL_HMAC_SECRET'],
  search: [],
  booking: ['PESEL_HMAC_SECRET'],
  centres: ['PESEL_HMAC_SECRET'],
  admin: ['PESEL_HMAC_SECRET'],
  reports: [],
  sms: ['TWILIO_AUTH_TOKEN', 'PESEL_HMAC_SECRET'],
  smsTasks: ['TWILIO_AUTH_TOKEN'],
  relayOutbox: [],
  projectAvailability: [],
  recordAnalytics: ['PESEL_HMAC_SECRET'],
  planMessages: [],
  publishDueSlots: [],
  closeCentreDays: [],
  sampleLookups: [],
  // The waiting rooms' admission tick: it reads and writes rooms and tickets, and signs nothing.
  admitQueue: [],
  // The standby list: it holds and books places, and reads no PESEL.
  matchStandby: [],
  noteStandby: [],
};
