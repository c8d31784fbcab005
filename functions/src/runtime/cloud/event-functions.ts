import type { CloudEvent } from '@google-cloud/functions-framework';

/** The event-triggered functions of the Google Cloud runtime, deployed under these names. */
export const EVENT_FUNCTION_NAMES = [
  'relayOutbox',
  'projectAvailability',
  'recordAnalytics',
  'planMessages',
  'publishDueSlots',
] as const;
export type EventFunctionName = (typeof EVENT_FUNCTION_NAMES)[number];

// biome-ignore lint/suspicious/noExplicitAny: each trigger carries its own event data
export type EventFunction = (cloudEvent: CloudEvent<any>) => Promise<void>;
