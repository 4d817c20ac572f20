import type { PayiEvent } from '../events/types';
import { bulkItemJson } from '../wire/ingest';

/** The property an event carries when its prompt/response JSON was left out for its size. */
export const PAYLOAD_DROPPED_PROPERTY = 'system.payload_dropped';

/**
 * The size of `event` on the wire, in bytes, for cutting batches: the UTF-8 length of its bulk
 * item JSON, which is made here once and is what the bulk body is built from (`bulkItemJson`), so
 * measuring costs no second serialisation. `Infinity` when the event cannot be serialised.
 *
 * @example
 * ```ts
 * if (eventBytes(e) > maxBatchBytes) e = withoutPayload(e);
 * ```
 */
export function eventBytes(event: PayiEvent): number {
  try {
    return Buffer.byteLength(bulkItemJson(event), 'utf8');
  } catch {
    return Infinity;
  }
}

/** True when `event` still has prompt/response JSON that {@link withoutPayload} would remove. */
export function hasPayload(event: PayiEvent): boolean {
  return event.provider_request_json !== undefined || event.provider_response_json !== undefined;
}

/**
 * A copy of `event` without `provider_request_json` / `provider_response_json`, flagged with
 * `properties["system.payload_dropped"] = "true"`: its usage, cost and attribution still arrive
 * when the whole event is too large for the service (contract §6).
 *
 * @example
 * ```ts
 * withoutPayload(event).properties; // { ..., 'system.payload_dropped': 'true' }
 * ```
 */
export function withoutPayload(event: PayiEvent): PayiEvent {
  const { provider_request_json: _request, provider_response_json: _response, ...rest } = event;
  const slim = { ...rest, properties: { ...(event.properties ?? {}), [PAYLOAD_DROPPED_PROPERTY]: 'true' } };
  origins.set(slim, originOf(event));
  return slim;
}

const origins = new WeakMap<PayiEvent, PayiEvent>();

/**
 * The event `event` was made from by {@link withoutPayload} (itself when it was not).
 *
 * @example
 * ```ts
 * originOf(withoutPayload(e)) === e; // true
 * ```
 */
export function originOf(event: PayiEvent): PayiEvent {
  return origins.get(event) ?? event;
}

/**
 * Cuts `items` into consecutive groups of at most `maxCount` items and at most `maxBytes` bytes
 * (an item larger than `maxBytes` alone is a group of its own).
 *
 * @example
 * ```ts
 * chunkBySize(events.map((e) => ({ event: e, bytes: eventBytes(e) })), 100, 1 << 20);
 * ```
 */
export function chunkBySize<T extends { bytes: number }>(items: readonly T[], maxCount: number, maxBytes: number): T[][] {
  const out: T[][] = [];
  let group: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (group.length > 0 && (group.length >= maxCount || bytes + item.bytes + 1 > maxBytes)) {
      out.push(group);
      group = [];
      bytes = 0;
    }
    group.push(item);
    bytes += item.bytes + 1;
  }
  if (group.length > 0) out.push(group);
  return out;
}
