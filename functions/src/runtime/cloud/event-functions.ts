import type { CloudEvent } from '@google-cloud/functions-framework';

// biome-ignore lint/suspicious/noExplicitAny: each trigger carries its own event data
export type EventFunction = (cloudEvent: CloudEvent<any>) => Promise<void>;
