/** The deployed HTTP functions of the API; each is served under `/api/<name>/…`. */
export const FUNCTION_NAMES = ['login', 'search', 'booking', 'centres', 'admin'] as const;
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
] as const;
export type EventFunctionName = (typeof EVENT_FUNCTION_NAMES)[number];

/** Every function the entry module registers; deployed names equal these. */
export const REGISTERED_FUNCTION_NAMES = [...FUNCTION_NAMES, ...SMS_FUNCTION_NAMES, ...EVENT_FUNCTION_NAMES] as const;
export type RegisteredFunctionName = FunctionName | SmsFunctionName | EventFunctionName;
