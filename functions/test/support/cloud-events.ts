import type { CloudEvent } from '@google-cloud/functions-framework';
import type { Message } from '@google-cloud/pubsub';
import { parse } from 'protobufjs';

/*
 * The CloudEvents Eventarc delivers to deployed functions, built here because no emulator fires
 * functions: a Firestore document-created event and a Pub/Sub message-published event.
 */

// google.events.cloud.firestore.v1.DocumentEventData, as published in googleapis/google-cloudevents
// (the Timestamp and LatLng types inlined with their field numbers), to build the bytes Eventarc sends.
const { root } = parse(`
  syntax = "proto3";
  package google.events.cloud.firestore.v1;
  message Timestamp { int64 seconds = 1; int32 nanos = 2; }
  message LatLng { double latitude = 1; double longitude = 2; }
  message DocumentEventData { Document value = 1; Document old_value = 2; DocumentMask update_mask = 3; }
  message DocumentMask { repeated string field_paths = 1; }
  message Document { string name = 1; map<string, Value> fields = 2; Timestamp create_time = 3; Timestamp update_time = 4; }
  message Value {
    oneof value_type {
      int32 null_value = 11; bool boolean_value = 1; int64 integer_value = 2; double double_value = 3;
      Timestamp timestamp_value = 10; string string_value = 17; bytes bytes_value = 18;
      string reference_value = 5; LatLng geo_point_value = 8; ArrayValue array_value = 9; MapValue map_value = 6;
    }
  }
  message ArrayValue { repeated Value values = 1; }
  message MapValue { map<string, Value> fields = 1; }
`);
const DocumentEventData = root.lookupType('google.events.cloud.firestore.v1.DocumentEventData');

/** A Firestore `Value` in its JSON mapping (int64 as a string). */
export type FirestoreValue = Record<string, unknown>;

/** Encodes a plain value (what the store writes) as a Firestore `Value`, JSON mapping. */
export function firestoreValue(value: unknown): FirestoreValue {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { booleanValue: value };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { integerValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(firestoreValue) } };
  if (typeof value === 'object') return { mapValue: { fields: firestoreFields(value as Record<string, unknown>) } };
  throw new Error(`cannot encode ${typeof value} as a Firestore value`);
}

export function firestoreFields(data: Record<string, unknown>): Record<string, FirestoreValue> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, firestoreValue(value)]));
}

/** The JSON mapping to what protobufjs takes: int64 as numbers, NULL_VALUE as 0. */
function toProtoValue(value: FirestoreValue): FirestoreValue {
  if ('integerValue' in value) return { integerValue: Number(value.integerValue) };
  if ('nullValue' in value) return { nullValue: 0 };
  if ('arrayValue' in value) {
    const { values } = value.arrayValue as { values: FirestoreValue[] };
    return { arrayValue: { values: values.map(toProtoValue) } };
  }
  if ('mapValue' in value) {
    const { fields } = value.mapValue as { fields: Record<string, FirestoreValue> };
    return { mapValue: { fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, toProtoValue(v)])) } };
  }
  return value;
}

/**
 * The `google.cloud.firestore.document.v1.created` CloudEvent Eventarc sends for a new document:
 * `protobuf` as deployed functions receive it (binary `DocumentEventData`), `json` as the JSON form.
 */
export function documentCreatedEvent(options: {
  project: string;
  /** `collection/id`. */
  document: string;
  fields: Record<string, FirestoreValue>;
  form: 'protobuf' | 'json';
  database?: string;
  at?: Date;
}): CloudEvent<unknown> {
  const database = options.database ?? '(default)';
  const at = options.at ?? new Date();
  const name = `projects/${options.project}/databases/${database}/documents/${options.document}`;
  const time = at.toISOString();
  const value = { name, fields: options.fields, createTime: time, updateTime: time };
  const seconds = Math.floor(at.getTime() / 1000);
  const stamp = { seconds, nanos: (at.getTime() % 1000) * 1_000_000 };
  const protoValue = {
    name,
    fields: Object.fromEntries(Object.entries(options.fields).map(([k, v]) => [k, toProtoValue(v)])),
    createTime: stamp,
    updateTime: stamp,
  };
  return {
    specversion: '1.0',
    id: `firestore-${options.document.replaceAll('/', '-')}-${at.getTime()}`,
    type: 'google.cloud.firestore.document.v1.created',
    source: `//firestore.googleapis.com/projects/${options.project}/databases/${database}`,
    subject: `documents/${options.document}`,
    time,
    datacontenttype: options.form === 'protobuf' ? 'application/protobuf' : 'application/json',
    dataschema:
      'https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/firestore/v1/data.proto',
    project: options.project,
    database,
    namespace: '(default)',
    document: options.document,
    location: 'eur3',
    data:
      options.form === 'protobuf'
        ? Buffer.from(DocumentEventData.encode(DocumentEventData.fromObject({ value: protoValue })).finish())
        : { value },
  };
}

/** The `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent Eventarc sends for a pulled message. */
export function messagePublishedEvent(
  project: string,
  topic: string,
  subscription: string,
  message: Pick<Message, 'id' | 'data' | 'attributes' | 'publishTime' | 'orderingKey'>,
): CloudEvent<unknown> {
  const publishTime = new Date(message.publishTime.getTime()).toISOString();
  return {
    specversion: '1.0',
    id: message.id,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/projects/${project}/topics/${topic}`,
    time: publishTime,
    datacontenttype: 'application/json',
    data: {
      message: {
        data: message.data.toString('base64'),
        attributes: message.attributes,
        messageId: message.id,
        publishTime,
        ...(message.orderingKey ? { orderingKey: message.orderingKey } : {}),
      },
      subscription: `projects/${project}/subscriptions/${subscription}`,
    },
  };
}

/** Posts a CloudEvent in structured mode (`application/cloudevents+json`), or binary mode for bytes. */
export async function postCloudEvent(
  url: string,
  event: CloudEvent<unknown>,
): Promise<{ status: number; body: string }> {
  const { data, ...attributes } = event;
  const reply = Buffer.isBuffer(data)
    ? await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': event.datacontenttype ?? 'application/octet-stream',
          ...Object.fromEntries(
            Object.entries(attributes)
              .filter(([key]) => key !== 'datacontenttype')
              .map(([key, value]) => [`ce-${key}`, String(value)]),
          ),
        },
        body: data,
      })
    : await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify(event),
      });
  return { status: reply.status, body: await reply.text() };
}
