/**
 * Reads the document out of the `data` of a Firestore-triggered CloudEvent
 * (`google.cloud.firestore.document.v1.*`). Eventarc delivers it as the protobuf message
 * `google.events.cloud.firestore.v1.DocumentEventData` (`datacontenttype: application/protobuf`);
 * emulators and hand-made events carry the same message in its JSON form (`application/json`,
 * `{ value: { name, fields } }`). Both are accepted.
 *
 * The protobuf is decoded by the small wire reader below instead of a generated type: the message is
 * four fields deep (DocumentEventData → Document → map<string, Value> → Value) and its field numbers
 * are those of `google.firestore.v1.Document`/`Value`, so a few dozen lines avoid a dependency on
 * protobufjs and a .proto file shipped with the function.
 */

/** A Firestore document as plain JavaScript values (int64 as number, timestamps as ISO strings). */
export interface FirestoreDocument {
  /** `projects/{p}/databases/{d}/documents/{path}` */
  name: string;
  fields: Record<string, unknown>;
}

/** Decodes `DocumentEventData.value` (the document after the change); null when there is none (delete). */
export function documentFromEventData(data: unknown): FirestoreDocument | null {
  if (data instanceof Uint8Array) return decodeEventData(data);
  if (typeof data === 'string') return documentFromEventData(JSON.parse(data));
  if (data && typeof data === 'object') {
    const value = (data as { value?: { name?: string; fields?: Record<string, unknown> } }).value;
    if (!value) return null;
    return { name: value.name ?? '', fields: fromJsonFields(value.fields ?? {}) };
  }
  throw new Error('Firestore event data is neither protobuf bytes nor a JSON DocumentEventData');
}

// ---- JSON form (proto3 JSON mapping of google.firestore.v1.Value) ----

function fromJsonFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = fromJsonValue(value as JsonValue);
  return out;
}

type JsonValue = Record<string, unknown>;

function fromJsonValue(v: JsonValue): unknown {
  if ('nullValue' in v) return null;
  if ('booleanValue' in v) return Boolean(v.booleanValue);
  if ('integerValue' in v) return Number(v.integerValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('timestampValue' in v) return new Date(String(v.timestampValue)).toISOString();
  if ('stringValue' in v) return String(v.stringValue);
  if ('bytesValue' in v) return String(v.bytesValue);
  if ('referenceValue' in v) return String(v.referenceValue);
  if ('geoPointValue' in v) return v.geoPointValue;
  if ('arrayValue' in v) {
    const values = ((v.arrayValue as { values?: JsonValue[] }).values ?? []) as JsonValue[];
    return values.map(fromJsonValue);
  }
  if ('mapValue' in v) return fromJsonFields((v.mapValue as { fields?: Record<string, unknown> }).fields ?? {});
  throw new Error(`unsupported Firestore value ${JSON.stringify(v)}`);
}

// ---- protobuf wire format ----

class Reader {
  pos: number;
  readonly end: number;
  private readonly buf: Uint8Array;
  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }
  done(): boolean {
    return this.pos >= this.end;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated protobuf varint');
      const byte = this.buf[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  tag(): { field: number; wire: number } {
    const key = Number(this.varint());
    return { field: key >>> 3, wire: key & 7 };
  }
  /** A length-delimited field as a sub-reader over the same bytes. */
  sub(): Reader {
    const length = Number(this.varint());
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new Error('truncated protobuf message');
    return new Reader(this.buf, start, this.pos);
  }
  bytes(): Uint8Array {
    const r = this.sub();
    return this.buf.subarray(r.pos, r.end);
  }
  string(): string {
    return new TextDecoder().decode(this.bytes());
  }
  double(): number {
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
    this.pos += 8;
    return view.getFloat64(0, true);
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.sub();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

function decodeEventData(buf: Uint8Array): FirestoreDocument | null {
  const r = new Reader(buf);
  let doc: FirestoreDocument | null = null;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 2)
      doc = decodeDocument(r.sub()); // DocumentEventData.value
    else r.skip(wire); // old_value = 2, update_mask = 3
  }
  return doc;
}

function decodeDocument(r: Reader): FirestoreDocument {
  const doc: FirestoreDocument = { name: '', fields: {} };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 2) doc.name = r.string();
    else if (field === 2 && wire === 2) decodeMapEntry(r.sub(), doc.fields);
    else r.skip(wire); // create_time = 3, update_time = 4
  }
  return doc;
}

function decodeMapEntry(r: Reader, into: Record<string, unknown>): void {
  let key = '';
  let value: unknown = null;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 2) key = r.string();
    else if (field === 2 && wire === 2) value = decodeValue(r.sub());
    else r.skip(wire);
  }
  into[key] = value;
}

function decodeValue(r: Reader): unknown {
  let value: unknown = null;
  while (!r.done()) {
    const { field, wire } = r.tag();
    switch (field) {
      case 11: // null_value
        r.varint();
        value = null;
        break;
      case 1: // boolean_value
        value = r.varint() !== 0n;
        break;
      case 2: // integer_value (int64, two's complement)
        value = Number(BigInt.asIntN(64, r.varint()));
        break;
      case 3: // double_value
        value = r.double();
        break;
      case 10: // timestamp_value
        value = decodeTimestamp(r.sub());
        break;
      case 17: // string_value
      case 5: // reference_value
        value = r.string();
        break;
      case 18: // bytes_value, as base64 like the JSON mapping
        value = Buffer.from(r.bytes()).toString('base64');
        break;
      case 8: // geo_point_value
        value = decodeLatLng(r.sub());
        break;
      case 9: // array_value
        value = decodeArray(r.sub());
        break;
      case 6: {
        // map_value
        const fields: Record<string, unknown> = {};
        const m = r.sub();
        while (!m.done()) {
          const t = m.tag();
          if (t.field === 1 && t.wire === 2) decodeMapEntry(m.sub(), fields);
          else m.skip(t.wire);
        }
        value = fields;
        break;
      }
      default:
        r.skip(wire);
    }
  }
  return value;
}

function decodeArray(r: Reader): unknown[] {
  const values: unknown[] = [];
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 2) values.push(decodeValue(r.sub()));
    else r.skip(wire);
  }
  return values;
}

function decodeTimestamp(r: Reader): string {
  let seconds = 0n;
  let nanos = 0;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 0) seconds = BigInt.asIntN(64, r.varint());
    else if (field === 2 && wire === 0) nanos = Number(BigInt.asIntN(32, r.varint()));
    else r.skip(wire);
  }
  return new Date(Number(seconds) * 1000 + Math.floor(nanos / 1e6)).toISOString();
}

function decodeLatLng(r: Reader): { latitude: number; longitude: number } {
  const point = { latitude: 0, longitude: 0 };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 1) point.latitude = r.double();
    else if (field === 2 && wire === 1) point.longitude = r.double();
    else r.skip(wire);
  }
  return point;
}
