import type { PayiEvent } from '../events/types';

/** The property an event carries when its prompt/response JSON was left out for its size. */
export const PAYLOAD_DROPPED_PROPERTY = 'system.payload_dropped';

/** Strings longer than this are bounded from their UTF-8 length (or measured exactly); shorter ones by their length. */
const EXACT_FROM = 128;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/**
 * A long string's size as a JSON string. Exact: its UTF-8 bytes, one more for each `"` and `\\`,
 * and the two quotes. Bound (`exact` false): twice its UTF-8 bytes and the quotes, never below the
 * exact size (without control characters every byte is written as at most two), at a third of
 * the cost (no scan for quotes: the prompt and response JSON measured here is mostly quotes and
 * short words). Text with control characters (written as 2 or 6 bytes; the prompt and response
 * JSON measured here has none) is stringified.
 */
function longStringBytes(s: string, exact: boolean): number {
  if (CONTROL_CHARACTER.test(s)) return Buffer.byteLength(JSON.stringify(s), 'utf8');
  const bytes = Buffer.byteLength(s, 'utf8');
  if (!exact) return 2 * bytes + 2;
  let n = bytes + 2;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) n++;
  for (let i = s.indexOf('\\'); i !== -1; i = s.indexOf('\\', i + 1)) n++;
  return n;
}

function sizeOf(value: unknown, depth: number, exact: boolean): number {
  switch (typeof value) {
    case 'string':
      return value.length > EXACT_FROM ? longStringBytes(value, exact) : value.length + 2;
    case 'number':
      return 24;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      if (depth > 8) return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
      let n = 2;
      if (Array.isArray(value)) {
        for (const v of value) n += sizeOf(v, depth + 1, exact) + 1;
        return n;
      }
      for (const k in value) {
        const v = (value as Record<string, unknown>)[k];
        if (v !== undefined) n += k.length + 4 + sizeOf(v, depth + 1, exact);
      }
      return n;
    }
    default:
      return 0;
  }
}

/**
 * An upper bound of the size of `event` as JSON on the wire, in bytes, for cutting batches: long
 * strings (the prompt and response JSON) count twice their UTF-8 bytes, short ones and numbers
 * are bounded from above (ASCII assumed for short strings), so it costs a fraction of
 * `JSON.stringify`; delivery measures events off the call path (`SinkPipeline.submit`). A batch
 * cut by this bound never exceeds `maxBatchBytes`; it may leave with less (at worst about half).
 * With `exact`, long strings are measured exactly (their quotes counted): what decides whether an
 * event is too large on its own ({@link withoutPayload}). `Infinity` when the event cannot be
 * measured.
 *
 * @example
 * ```ts
 * if (eventBytes(e) > maxBatchBytes && eventBytes(e, true) > maxBatchBytes) e = withoutPayload(e);
 * ```
 */
export function eventBytes(event: PayiEvent, exact = false): number {
  try {
    return sizeOf(event, 0, exact);
  } catch {
    return Infinity;
  }
}

/**
 * The size to cut batches by for `event` (`bytes`: its bound by {@link eventBytes}), and the event
 * to send: itself, or, when it is larger than `maxBatchBytes` on its own (measured exactly), the
 * event without its prompt/response JSON ({@link withoutPayload}) and that one's size.
 *
 * @example
 * ```ts
 * const { event, bytes } = fitEvent(e, eventBytes(e), 1_048_576);
 * ```
 */
export function fitEvent(event: PayiEvent, bytes: number, maxBatchBytes: number): { event: PayiEvent; bytes: number } {
  if (bytes <= maxBatchBytes || !hasPayload(event)) return { event, bytes };
  const exact = eventBytes(event, true);
  if (exact <= maxBatchBytes) return { event, bytes: exact };
  const slim = withoutPayload(event);
  return { event: slim, bytes: eventBytes(slim, true) };
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
