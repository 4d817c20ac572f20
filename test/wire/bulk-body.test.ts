import { bulkBody, bulkItemBytes, toBulkItem } from '../../src/wire/ingest';
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
