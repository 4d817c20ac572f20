import * as fs from 'node:fs';
import * as path from 'node:path';
import { PayiConfigError } from '../../src/errors';
import { replaySpillFile } from '../../src/delivery/replay';
import { eventBytes } from '../../src/delivery/oversize';
import { resolveOptions } from '../../src/options/resolve';
import { toBulkItem } from '../../src/wire/ingest';
import type { SinkRequest } from '../support/ingest-sink';
import { requestProblems } from '../wire/openapi';
import { deliveryTestbed, ev, events, harness, ids, onlySink, readLines, tempDir } from './helpers';

const FIVE_MB = 'x'.repeat(5 * 1024 * 1024);
const SERVICE_LIMIT = 2 * 1024 * 1024;

/** Answers bulk requests like a service with a body limit: 413 over `limit` bytes, else stores them. */
function bodyLimit(t: ReturnType<typeof deliveryTestbed>, limit: number) {
  return (r: SinkRequest) => {
    if (Buffer.byteLength(r.raw, 'utf8') > limit) return { status: 413, body: { message: 'request body too large', statusCode: 413 } };
    for (const item of r.body as { provider_response_id: string }[]) {
      t.sink.storedIds.push(item.provider_response_id);
      t.sink.stored.push(item);
    }
    return { body: { request_id: 'bulk_1', ingest_timestamp: new Date().toISOString(), ingest_count: (r.body as unknown[]).length } };
  };
}

describe('oversize events and batches', () => {
  const t = deliveryTestbed();

  test('batches are cut by bytes as well as by count (maxBatchBytes)', async () => {
    t.h = harness(t.sink.url, { maxBatchBytes: 8192, maxBatchSize: 100, flushIntervalMs: 0 });
    const list = events(20).map((e) => ({ ...e, provider_request_json: JSON.stringify({ prompt: 'p'.repeat(1500) }) }));
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    const bulks = t.sink.ingestRequests;
    expect(bulks.length).toBeGreaterThanOrEqual(4);
    for (const r of bulks) expect(Buffer.byteLength(r.raw, 'utf8')).toBeLessThanOrEqual(8192);
    expect(bulks.flatMap((r) => ids(r.body))).toEqual(ids(list));
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 20, failed: 0, spilled: 0, retried: 0 }));
  });

  test('the 5 MB prompt: that event goes without its prompt/response JSON, flagged system.payload_dropped; the others of its batch keep theirs', async () => {
    t.sink.route('POST', '/api/v1/ingest/bulk', bodyLimit(t, SERVICE_LIMIT));
    t.h = harness(t.sink.url, { flushIntervalMs: 0 });
    const big = ev('big', { provider_request_json: JSON.stringify({ messages: [{ role: 'user', content: FIVE_MB }] }), provider_response_json: '{"id":"chatcmpl-big"}', properties: { tier: 'gold' } });
    const small = [ev(1, { provider_request_json: '{"messages":[]}' }), ev(2)];
    [small[0]!, big, small[1]!].forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    const { provider_request_json: _a, provider_response_json: _b, ...usage } = big;
    expect(t.sink.stored).toEqual([
      toBulkItem(small[0]!),
      toBulkItem({ ...usage, properties: { tier: 'gold', 'system.payload_dropped': 'true' } }),
      toBulkItem(small[1]!),
    ]);
    expect(t.h.delivery.stats()).toMatchObject({ sent: 3, failed: 0, spilled: 0 });
  });

  test('a batch the service answers 413 is split in halves until it fits; a single event still too large goes without its payload', async () => {
    t.sink.route('POST', '/api/v1/ingest/bulk', bodyLimit(t, SERVICE_LIMIT));
    // maxBatchBytes above the service's limit: delivery learns the limit from the 413s
    t.h = harness(t.sink.url, { maxBatchBytes: 64 * 1024 * 1024, flushIntervalMs: 0 });
    const list = events(8).map((e) => ({ ...e, provider_request_json: 'q'.repeat(600 * 1024) }));
    const huge = ev('huge', { provider_request_json: FIVE_MB });
    [...list, huge].forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect([...t.sink.storedIds].sort()).toEqual(ids([...list, huge]).sort());
    expect(t.sink.stored.find((s) => s.provider_response_id === 'chatcmpl-huge')).toEqual(toBulkItem({ ...ev('huge'), properties: { 'system.payload_dropped': 'true' } }));
    expect(t.sink.stored.filter((s) => s.provider_request_json?.length === 600 * 1024)).toHaveLength(8);
    expect(t.sink.ingestRequests.filter((r) => r.raw.length > SERVICE_LIMIT).length).toBeGreaterThan(0);
    expect(t.h.delivery.stats()).toMatchObject({ queued: 0, sent: 9, failed: 0, spilled: 0 });
    expect(t.sink.ingestRequests.flatMap((r) => requestProblems(r))).toEqual([]);
    expect(readLines(t.h.spillFile)).toEqual([]);
  });

  test('an event held as its bulk bytes that the service refuses alone (413) goes without its prompt/response JSON, its headers and usage still arriving', async () => {
    // a JSON call's item (under 4 kB: held as a stand-in) above a service limit of 2 kB
    t.sink.route('POST', '/api/v1/ingest/bulk', bodyLimit(t, 2048));
    t.h = harness(t.sink.url, { flushIntervalMs: 0 });
    const headers = [{ name: 'x-request-id', value: 'req_big' }];
    const big = ev('big', { provider_request_json: JSON.stringify({ q: '"quoted" €'.repeat(150) }), provider_response_headers: headers });
    expect(Buffer.byteLength(JSON.stringify(toBulkItem(big)))).toBeGreaterThan(2048);
    expect(Buffer.byteLength(JSON.stringify(toBulkItem(big)))).toBeLessThan(4096);
    const small = ev('small', { provider_request_json: '{"q":"short"}', provider_response_headers: headers });
    [big, small].forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect([...t.sink.storedIds].sort()).toEqual(['chatcmpl-big', 'chatcmpl-small']);
    const { provider_request_json: _dropped, ...rest } = big;
    expect(t.sink.stored.find((s) => s.provider_response_id === 'chatcmpl-big')).toEqual(toBulkItem({ ...rest, properties: { 'system.payload_dropped': 'true' } }));
    expect(t.sink.stored.find((s) => s.provider_response_id === 'chatcmpl-small')).toEqual(toBulkItem(small));
    expect(t.h.delivery.stats()).toMatchObject({ sent: 2, failed: 0, spilled: 0 });
  });

  test('replay of an oversize spill file: the 5 MB event goes without its payload, a batch over the limit is split, the file ends empty', async () => {
    t.sink.route('POST', '/api/v1/ingest/bulk-upsert', bodyLimit(t, SERVICE_LIMIT));
    const file = path.join(tempDir(), 'undelivered.jsonl');
    const list = events(6).map((e) => ({ ...e, provider_request_json: 'r'.repeat(700 * 1024) }));
    const big = ev('big', { provider_request_json: FIVE_MB });
    fs.writeFileSync(file, [big, ...list].map((e) => JSON.stringify(e)).join('\n') + '\n');
    const r = await replaySpillFile(file, { baseUrl: t.sink.url, maxBatchBytes: 64 * 1024 * 1024 });
    expect(r).toEqual({ total: 7, sent: 7, rejected: 0, unsent: 0, failed: 0, invalid: 0, remaining: 0 });
    expect([...t.sink.storedIds].sort()).toEqual(ids([big, ...list]).sort());
    expect(t.sink.stored.find((s) => s.provider_response_id === 'chatcmpl-big')).toEqual(toBulkItem({ ...ev('big'), properties: { 'system.payload_dropped': 'true' } }));
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    expect(t.sink.ingestRequests.every((q) => q.path === '/api/v1/ingest/bulk-upsert')).toBe(true);
    expect(t.sink.ingestRequests.flatMap((q) => requestProblems(q))).toEqual([]);
  });

  test('replay with the default maxBatchBytes sends the 5 MB event without its payload in the first place', async () => {
    const file = path.join(tempDir(), 'undelivered.jsonl');
    fs.writeFileSync(file, JSON.stringify(ev('big', { provider_request_json: FIVE_MB })) + '\n');
    const r = await replaySpillFile(file, { baseUrl: t.sink.url });
    expect(r).toMatchObject({ sent: 1, remaining: 0 });
    expect(t.sink.ingestRequests.map((q) => q.raw.length < 4096)).toEqual([true]);
  });

  test('the size estimate used for cutting batches is never below the real JSON size of an event, and close to it', () => {
    const samples = [
      ev(1),
      ev(2, { provider_request_json: JSON.stringify({ messages: [{ role: 'user', content: 'Grüße, "quoted"\n€ 東京 '.repeat(40) }] }), properties: { tier: 'gold' } }),
      ev(3, { provider_response_headers: [{ name: 'x-request-id', value: 'req_123' }], limit_ids: ['a', 'b'], use_case_version: 12, end_to_end_latency_ms: 123456 }),
    ];
    for (const e of samples) {
      const real = Buffer.byteLength(JSON.stringify(e), 'utf8');
      // the bound that cuts batches: never below, at most about twice
      expect(eventBytes(e)).toBeGreaterThanOrEqual(real);
      expect(eventBytes(e)).toBeLessThan(real * 2.1);
      // the exact measure that decides whether an event is too large alone
      expect(eventBytes(e, true)).toBeGreaterThanOrEqual(real);
      expect(eventBytes(e, true)).toBeLessThan(real * 1.6);
    }
  });

  test('an event under maxBatchBytes whose bound is over it keeps its payload (the exact size decides)', async () => {
    t.h = harness(t.sink.url, { maxBatchBytes: 8192, maxBatchSize: 100, flushIntervalMs: 0 });
    // about 6 kB of JSON: its bound (twice its bytes) is over 8 kB, its real size is not
    const e = ev('fits', { provider_request_json: JSON.stringify({ prompt: 'p'.repeat(6000) }) });
    expect(eventBytes(e)).toBeGreaterThan(8192);
    t.h.delivery.submit(e);
    await t.h.delivery.flush();
    expect(t.sink.stored).toEqual([toBulkItem(e)]);
  });

  test('the Pay-i bulk sink cuts batches by the exact size of each item: requests are filled up to maxBatchBytes, not to half of it', async () => {
    t.h = harness(t.sink.url, { maxBatchBytes: 8192, maxBatchSize: 100, flushIntervalMs: 0 });
    // each item about 2 kB of JSON: three fit in 8 kB; by the upper bound (twice the bytes) only one would
    const list = events(9).map((e) => ({ ...e, provider_request_json: JSON.stringify({ prompt: 'p'.repeat(1900) }) }));
    const item = Buffer.byteLength(JSON.stringify(toBulkItem(list[0]!)), 'utf8');
    expect(3 * item + 4).toBeLessThanOrEqual(8192);
    expect(2 * eventBytes(list[0]!)).toBeGreaterThan(8192);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    const bulks = t.sink.ingestRequests;
    for (const r of bulks) expect(Buffer.byteLength(r.raw, 'utf8')).toBeLessThanOrEqual(8192);
    expect(bulks.map((r) => (r.body as unknown[]).length)).toEqual([3, 3, 3]);
    // the body is the JSON of the items, the same as when nothing was measured before
    expect(bulks.flatMap((r) => r.body as unknown[])).toEqual(list.map(toBulkItem));
    expect(requestProblems(bulks[0]!)).toEqual([]);
  });

  test('large items (a logged stream: kept as bytes until sent) with multi-byte text: full requests, each one valid and byte for byte the items', async () => {
    t.h = harness(t.sink.url, { maxBatchBytes: 40_000, maxBatchSize: 100, flushIntervalMs: 0 });
    // each item over 8,192 characters of JSON, with text that is 2-4 bytes a character in UTF-8
    const list = events(10).map((e, i) => ({ ...e, provider_response_json: JSON.stringify([{ delta: `Grüße 東京 😀 "${i}" `.repeat(500) }]) }));
    const item = Buffer.byteLength(JSON.stringify(toBulkItem(list[0]!)), 'utf8');
    expect(JSON.stringify(toBulkItem(list[0]!)).length).toBeGreaterThan(8192);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    const bulks = t.sink.ingestRequests;
    expect(bulks.flatMap((r) => r.body as unknown[])).toEqual(list.map(toBulkItem));
    for (const r of bulks) {
      expect(Buffer.byteLength(r.raw, 'utf8')).toBeLessThanOrEqual(40_000);
      expect(requestProblems(r)).toEqual([]);
    }
    // every request but the last is full: one more item would not have fitted
    for (const r of bulks.slice(0, -1)) expect(Buffer.byteLength(r.raw, 'utf8') + item + 1).toBeGreaterThan(40_000);
  });

  test.each([[100], ['1mb'], [1.5]])('ingest.maxBatchBytes %p is a PayiConfigError naming the option', (value) => {
    expect(() => resolveOptions({ ingest: { maxBatchBytes: value as number } }, {})).toThrow(PayiConfigError);
    expect(() => resolveOptions({ ingest: { maxBatchBytes: value as number } }, {})).toThrow(/ingest\.maxBatchBytes .* is invalid; expected a whole number >= 4096/);
  });
});
