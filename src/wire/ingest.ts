/**
 * The SDK's event in each ingest request shape, by iterating the attribution table: a
 * `BulkIngestRequest` item (attribution in the body), an `IngestRequest` body (no attribution)
 * plus the `xProxy-*` headers `POST /api/v1/ingest` declares. Only fields the spec declares are
 * sent; anything else on the event (e.g. an old spill file's extra field) is left out.
 */
import { ATTRIBUTION_FIELDS, LARGE_FIELDS, MEASUREMENT_FIELDS, type AttributionField } from './fields';
import { encodeHeader } from './encode';
import type { BulkIngestRequest, IngestRequest } from './types';

/** An event in the SDK's snake_case shape (`PayiEvent`), read field by field. */
type EventLike = Readonly<Record<string, unknown>> | object;

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

function measurement(event: EventLike): Record<string, unknown> {
  const e = event as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of MEASUREMENT_FIELDS) if (present(e[k])) out[k] = e[k];
  return out;
}

/**
 * One event as a `BulkIngestRequest` item: the measurement fields as they are, the attribution
 * fields under their bulk names (the resource scope as `scope`).
 *
 * @example
 * ```ts
 * toBulkItem({ category: 'system.openai', units: {}, resource_scope: 'global' }); // { category, units, scope: 'global' }
 * ```
 */
export function toBulkItem(event: EventLike): BulkIngestRequest {
  const e = event as Record<string, unknown>;
  const out = measurement(event);
  for (const f of ATTRIBUTION_FIELDS as readonly AttributionField[]) {
    if (!f.event || !f.bulk) continue;
    const v = e[f.event];
    if (present(v) && !(Array.isArray(v) && v.length === 0)) out[f.bulk] = v;
  }
  return out as unknown as BulkIngestRequest;
}

/**
 * Bulk items already serialised by {@link bulkItemBytes} with `remember`, until {@link bulkBody}
 * takes them: the pipeline sizes an event right after its call, while its data is still in the
 * processor's caches, and the request body then reuses that JSON instead of making it again from
 * cold memory (about half the CPU, measured inside the running calls: docs/performance.md). An item
 * of {@link BYTES_FROM} or more (a logged stream) is kept as UTF-8 bytes, outside the JS heap, so
 * the garbage collector does not copy it out of the young generation while the event waits for its
 * batch (Node 20: 7 kB less promoted per streamed call); a smaller one as its JSON string, where a
 * buffer per item cost more than it saved (docs/performance.md, seventh pass).
 */
const serialised = new WeakMap<object, string | Buffer>();

/** Items of at least this many UTF-16 units are kept as bytes, smaller ones as strings. */
const BYTES_FROM = 8192;

/**
 * Items longer than this (in UTF-16 units, about 1 MiB) are not kept: such an event travels alone
 * or, over `maxBatchBytes`, without its payload (a new event), and its JSON would only hold memory.
 */
const KEEP_UP_TO = 1 << 20;

/**
 * One event's `BulkIngestRequest` item as JSON (`JSON.stringify(toBulkItem(event))`).
 *
 * @example
 * ```ts
 * JSON.parse(bulkItemJson(event)).category; // 'system.openai'
 * ```
 */
export function bulkItemJson(event: EventLike): string {
  const held = packed.get(event); // a stand-in's item is its kept item (its large fields are not on it)
  return held !== undefined ? held.toString() : JSON.stringify(toBulkItem(event));
}

/**
 * The size in bytes of one event's item in a bulk body ({@link bulkItemJson} as UTF-8). With
 * `remember`, the item's bytes are kept for the next {@link bulkBody} that sends this event (and
 * dropped there), so an event measured by its JSON is not serialised twice; the caller keeps them
 * only for events about to be sent, so an outage does not hold a second copy of every queued event.
 *
 * @example
 * ```ts
 * const bytes = bulkItemBytes(event, true); // the event's exact size in a bulk body
 * ```
 */
export function bulkItemBytes(event: EventLike, remember = false): number {
  const held = packed.get(event);
  if (held !== undefined) return held.length;
  const known = serialised.get(event);
  if (known !== undefined) return typeof known === 'string' ? Buffer.byteLength(known, 'utf8') : known.length;
  const json = bulkItemJson(event);
  const size = Buffer.byteLength(json, 'utf8');
  if (remember) keep(event, json);
  return size;
}

/** Keeps `event`'s item JSON for its request: as a string, as UTF-8 bytes from {@link BYTES_FROM}, not over {@link KEEP_UP_TO}. */
function keep(event: EventLike, json: string): void {
  if (json.length <= KEEP_UP_TO) serialised.set(event, json.length < BYTES_FROM ? json : Buffer.from(json, 'utf8'));
}

/**
 * The items of the stand-ins {@link packBulkItem} made, as UTF-8 bytes: held as long as the
 * stand-in is (its prompt and response are nowhere else), and sent by every {@link bulkBody} that
 * sends it, a retry's included.
 */
const packed = new WeakMap<object, Buffer>();

/**
 * Items of fewer bytes than this (a JSON call's) are packed. Packing the larger items of logged
 * streams (Anthropic's and Bedrock's 5-8 kB, OpenAI's 16 kB) cut their promoted bytes by two
 * thirds but ran 2-4 times as many major collections (bench/promotion.ts, Node 24), and put
 * 300-450 µs per OpenAI stream call on the collector's threads (docs/performance.md, tenth pass).
 */
const PACK_BELOW = 4096;

/**
 * One event's bulk item serialised once and kept for the request, and what delivery should hold
 * while the event waits for its batch. An item under {@link PACK_BELOW} bytes (a JSON call's) is
 * kept as UTF-8 bytes and the answer is a stand-in for the event that holds its
 * {@link LARGE_FIELDS} (prompt and response JSON, headers) only inside those bytes: on the
 * stand-in they are `undefined`, every other field is the event's. So the JavaScript heap neither
 * holds the prompt and response twice (as themselves and inside the item's JSON) nor copies and
 * promotes them out of the young generation while they wait (docs/performance.md, tenth pass).
 * {@link bulkBody} sends the stand-in's bytes, a retry's body too; {@link unpackBulkItem} gives the
 * whole event back (for the spill file). A larger item (a logged stream's) is kept as
 * {@link bulkItemBytes} keeps it, beside the whole event, which is the answer; one over
 * {@link KEEP_UP_TO} is not kept. The event itself is never changed.
 *
 * @example
 * ```ts
 * const { event: standIn, bytes } = packBulkItem(event);
 * standIn.provider_request_json; // undefined (when the item is small)
 * bulkBody([standIn]).length === bytes + 2; // true: [ item ]
 * unpackBulkItem(standIn).provider_request_json === event.provider_request_json; // true
 * ```
 */
export function packBulkItem<E extends object>(event: E): { event: E; bytes: number } {
  const known = serialised.get(event);
  const json = known ?? bulkItemJson(event);
  if (typeof json !== 'string') return { event, bytes: json.length }; // already kept as bytes
  const size = Buffer.byteLength(json, 'utf8');
  if (size >= PACK_BELOW) {
    if (known === undefined) keep(event, json); // a larger item (a logged stream's): beside the whole event
    return { event, bytes: size };
  }
  if (known !== undefined) serialised.delete(event);
  const bytes = Buffer.from(json, 'utf8');
  const standIn = { ...event } as Record<string, unknown>;
  for (const f of LARGE_FIELDS) if (present(standIn[f])) standIn[f] = undefined; // in the item: read back from it
  packed.set(standIn, bytes);
  return { event: standIn as E, bytes: size };
}

/**
 * The whole event of a stand-in made by {@link packBulkItem}: a copy with its {@link LARGE_FIELDS}
 * read back from its item's bytes (the values the item was made of, as JSON gives them back). Any
 * other event is returned as it is.
 *
 * @example
 * ```ts
 * spill.put(events.map(unpackBulkItem));
 * ```
 */
export function unpackBulkItem<E extends object>(event: E): E {
  const kept = packed.get(event);
  if (kept === undefined) return event;
  const item = JSON.parse(kept.toString()) as Record<string, unknown>;
  const whole = { ...event } as Record<string, unknown>;
  for (const f of LARGE_FIELDS) if (item[f] !== undefined) whole[f] = item[f];
  return whole as E;
}

/**
 * The body of `POST /api/v1/ingest/bulk` (and `bulk-upsert`): the events as a bare JSON array of
 * {@link toBulkItem} items, as UTF-8 bytes. Each item is serialised on its own (or taken as
 * {@link bulkItemBytes} remembered it) and encoded into one buffer: the same JSON as
 * `JSON.stringify(events.map(toBulkItem))`, at a third to a half of the CPU of making one large
 * string and encoding it (Node 24 serialises large arrays of nested JSON strings slowly, and a
 * string of hundreds of kilobytes costs a large-object allocation and a second copy to encode;
 * docs/performance.md).
 *
 * @example
 * ```ts
 * JSON.parse(bulkBody([event]).toString('utf8')); // [toBulkItem(event)]
 * ```
 */
export function bulkBody(events: readonly EventLike[]): Buffer {
  const n = events.length;
  const items = new Array<string | Buffer>(n);
  let total = n > 0 ? n + 1 : 2; // the brackets and the commas between items
  for (let i = 0; i < n; i++) {
    const event = events[i]!;
    let item: string | Buffer | undefined = packed.get(event); // a stand-in's: its only copy, sent every time
    if (item === undefined) {
      item = serialised.get(event);
      if (item !== undefined) serialised.delete(event); // used once: a retry serialises again rather than holding it
      else item = bulkItemJson(event);
    }
    items[i] = item;
    total += typeof item === 'string' ? Buffer.byteLength(item, 'utf8') : item.length;
  }
  // one allocation, each item encoded (or its kept bytes copied) into it (no buffer per item: a large one is not pooled)
  const out = Buffer.allocUnsafe(total);
  out[0] = 0x5b; // [
  let at = 1;
  for (let i = 0; i < n; i++) {
    if (i > 0) out[at++] = 0x2c; // ,
    const item = items[i]!;
    at += typeof item === 'string' ? out.write(item, at, 'utf8') : item.copy(out, at);
  }
  out[at] = 0x5d; // ]
  return out;
}

/**
 * One event as an `IngestRequest` body: the measurement fields and the body fields the spec keeps
 * there (`properties`, `use_case_properties`); the rest of the attribution goes in
 * {@link toIngestHeaders}.
 *
 * @example
 * ```ts
 * toIngestRequest({ category: 'system.openai', units: {}, user_id: 'u' }); // { category, units }
 * ```
 */
export function toIngestRequest(event: EventLike): IngestRequest {
  const e = event as Record<string, unknown>;
  const out = measurement(event);
  for (const f of ATTRIBUTION_FIELDS as readonly AttributionField[]) {
    if (!f.event || !f.ingest) continue;
    const v = e[f.event];
    if (present(v)) out[f.ingest] = v;
  }
  return out as unknown as IngestRequest;
}

/**
 * The attribution of an event as the `xProxy-*` headers `POST /api/v1/ingest` declares, encoded
 * per the table (limit ids comma-joined, version in decimal). Fields whose header the operation
 * does not declare (request tags) are not sent.
 *
 * @example
 * ```ts
 * toIngestHeaders({ limit_ids: ['a', 'b'], user_id: 'u' }); // { 'xProxy-Limit-IDs': 'a,b', 'xProxy-User-ID': 'u' }
 * ```
 */
export function toIngestHeaders(event: EventLike): Record<string, string> {
  const e = event as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const f of ATTRIBUTION_FIELDS as readonly AttributionField[]) {
    if (!f.ingestHeader || !f.event || !f.header) continue;
    if (f.ingest) continue; // travels in the body
    const v = encodeHeader(f, e[f.event]);
    if (v !== undefined) out[f.header] = v;
  }
  return out;
}
