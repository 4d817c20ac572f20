import { LARGE_FIELDS, MEASUREMENT_FIELDS } from '../../src/wire/fields';
import { bulkBody, bulkItemBytes, bulkItemJson, packBulkItem, toBulkItem, unpackBulkItem } from '../../src/wire/ingest';
import type { PayiEvent } from '../../src/events/types';

const event = (id: string, extra: Partial<PayiEvent> = {}): PayiEvent => ({
  category: 'system.openai',
  resource: 'gpt-4o-mini',
  units: { text: { input: 3, output: 5 } },
  event_timestamp: '2026-12-07T12:00:00.000Z',
  provider_response_id: id,
  ...extra,
});

describe('bulkBody: the bulk request body, item by item', () => {
  test('byte for byte the JSON of the array of bulk items: non-ASCII text, nested JSON strings, attribution under bulk names', () => {
    const events = [
      event('a', { provider_request_json: JSON.stringify({ messages: [{ role: 'user', content: 'Grüße, "quoted"\n€ 東京 😀' }] }), user_id: 'u1', limit_ids: ['l1'] }),
      event('b', { provider_response_json: '[{"id":"c1","usage":null}]', properties: { tier: 'gold' } }),
      event('c'),
    ];
    const body = bulkBody(events);
    expect(body.equals(Buffer.from(JSON.stringify(events.map(toBulkItem)), 'utf8'))).toBe(true);
    expect(JSON.parse(body.toString('utf8'))).toEqual(events.map(toBulkItem));
  });

  test('kept items and items serialised at send time mix byte for byte, multi-byte text included', () => {
    // 'c' is large enough to be kept as bytes, 'a' as a string
    const events = [event('a', { user_id: 'Grüße 東京 😀' }), event('b'), event('c', { provider_request_json: JSON.stringify({ q: '€ "Grüße" '.repeat(2000) }) })];
    bulkItemBytes(events[0]!, true);
    bulkItemBytes(events[2]!, true);
    expect(bulkItemBytes(events[2]!)).toBe(Buffer.byteLength(JSON.stringify(toBulkItem(events[2]!)), 'utf8'));
    expect(bulkBody(events).equals(Buffer.from(JSON.stringify(events.map(toBulkItem)), 'utf8'))).toBe(true);
  });

  test('one event and none', () => {
    expect(bulkBody([event('x')]).toString('utf8')).toBe(JSON.stringify([toBulkItem(event('x'))]));
    expect(bulkBody([]).toString('utf8')).toBe('[]');
  });

  test('an item serialised to measure it is reused by the next body only when remembered, and only once', () => {
    const kept = event('kept', { user_id: 'before' });
    const notKept = event('not-kept', { user_id: 'before' });
    expect(bulkItemBytes(kept, true)).toBe(Buffer.byteLength(JSON.stringify(toBulkItem(kept)), 'utf8'));
    expect(bulkItemBytes(notKept)).toBe(Buffer.byteLength(JSON.stringify(toBulkItem(notKept)), 'utf8'));
    // (events are never changed once queued; a change here shows which JSON the body used)
    kept.user_id = 'after';
    notKept.user_id = 'after';
    const first = JSON.parse(bulkBody([kept, notKept]).toString('utf8')) as { user_id: string }[];
    expect(first.map((i) => i.user_id)).toEqual(['before', 'after']);
    // used once: a retry's body is made from the event again, nothing is held for it
    const again = JSON.parse(bulkBody([kept]).toString('utf8')) as { user_id: string }[];
    expect(again.map((i) => i.user_id)).toEqual(['after']);
  });
});

describe('packBulkItem: an event held as its bulk item bytes while it waits', () => {
  const logged = (id: string): PayiEvent =>
    event(id, {
      provider_request_json: JSON.stringify({ messages: [{ role: 'user', content: 'Grüße, "quoted"\n€ 東京 😀 \\' }] }),
      provider_response_json: '{\n  "id": "x",\n  "usage": null\n}',
      provider_request_headers: [{ name: 'content-type', value: 'application/json' }],
      provider_response_headers: [{ name: 'x-request-id', value: 'req_1' }],
      provider_response_function_calls: [{ name: 'lookup', arguments: '{"q":"é"}' }],
      provider_response_id: id,
      user_id: 'u1',
      limit_ids: ['l1'],
    });

  test('the large fields are read back from the bytes, which JSON round-trips without loss', () => {
    // restoring reads them from the item under the same name: each must be a measurement field
    expect(LARGE_FIELDS.every((f) => (MEASUREMENT_FIELDS as readonly string[]).includes(f))).toBe(true);
  });

  test('the stand-in has none of the large fields, every other field as it was, and the event is left unchanged', () => {
    const e = logged('a');
    const before = JSON.parse(JSON.stringify(e)) as PayiEvent;
    const { event: standIn, bytes } = packBulkItem(e);
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(toBulkItem(before)), 'utf8'));
    for (const f of LARGE_FIELDS) expect((standIn as unknown as Record<string, unknown>)[f]).toBeUndefined();
    expect(standIn.user_id).toBe('u1');
    expect(standIn.limit_ids).toEqual(['l1']);
    expect(Object.keys(standIn)).toEqual(Object.keys(e));
    expect(e).toEqual(before);
  });

  test('the body sends the kept bytes, byte for byte the item, in every body that sends it (a retry too); its size and JSON are the item', () => {
    const events = [logged('a'), event('b'), logged('c')];
    const standIns = [packBulkItem(events[0]!).event, events[1]!, packBulkItem(events[2]!).event];
    const expected = Buffer.from(JSON.stringify(events.map(toBulkItem)), 'utf8');
    expect(bulkBody(standIns).equals(expected)).toBe(true);
    expect(bulkBody(standIns).equals(expected)).toBe(true);
    expect(bulkItemBytes(standIns[0]!)).toBe(Buffer.byteLength(JSON.stringify(toBulkItem(events[0]!)), 'utf8'));
    expect(bulkItemJson(standIns[2]!)).toBe(JSON.stringify(toBulkItem(events[2]!)));
  });

  test('unpackBulkItem gives the whole event back; any other event as it is', () => {
    const e = logged('a');
    const standIn = packBulkItem(e).event;
    const whole = unpackBulkItem(standIn);
    expect(whole).toEqual(e);
    expect(Object.keys(whole)).toEqual(Object.keys(e));
    const plain = event('b');
    expect(unpackBulkItem(plain)).toBe(plain);
  });

  test('an item remembered when measured is packed from that JSON; empty and missing large fields stay as they were', () => {
    const e = event('d', { provider_request_json: '', provider_response_json: '{"ok":true}' });
    bulkItemBytes(e, true);
    const { event: standIn } = packBulkItem(e);
    expect(standIn.provider_request_json).toBe('');
    expect(standIn.provider_response_json).toBeUndefined();
    expect('provider_response_headers' in standIn).toBe(false);
    expect(unpackBulkItem(standIn)).toEqual(e);
  });

  test("a large item (a logged stream's) is kept as bytes beside the whole event, which stays what delivery holds; one over 1 MiB is not kept", () => {
    const stream = event('s', { provider_response_json: JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ i, delta: 'Grüße "x"' }))) });
    const held = packBulkItem(stream);
    expect(held.event).toBe(stream);
    expect(held.bytes).toBe(Buffer.byteLength(JSON.stringify(toBulkItem(stream)), 'utf8'));
    expect(bulkBody([stream]).equals(Buffer.from(JSON.stringify([toBulkItem(stream)]), 'utf8'))).toBe(true);
    const huge = event('big', { provider_request_json: 'x'.repeat(1 << 20) });
    expect(packBulkItem(huge)).toEqual({ event: huge, bytes: Buffer.byteLength(JSON.stringify(toBulkItem(huge)), 'utf8') });
  });
});
