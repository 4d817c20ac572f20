import type { SinkRequest } from '../support/ingest-sink';
import { requestProblems } from '../wire/openapi';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { replaySpillFile } from '../../src/delivery/replay';
import { deliveryTestbed, events, harness, ids, onlySink, readLines, tempDir } from './helpers';

describe('idempotent retries', () => {
  const t = deliveryTestbed();

  /** bulk-upsert as the spec describes it: insert or update, keyed by provider_response_id. */
  const upsert = (r: SinkRequest) => {
    for (const item of r.body as { provider_response_id: string }[]) {
      if (!t.sink.storedIds.includes(item.provider_response_id)) t.sink.storedIds.push(item.provider_response_id);
    }
    return { body: { request_id: 'upsert_1', ingest_timestamp: new Date().toISOString(), ingest_count: (r.body as unknown[]).length } };
  };

  test('a batch whose answer was lost (time-out) is retried with bulk-upsert: the service counts each event once', async () => {
    t.sink.route('POST', '/api/v1/ingest/bulk-upsert', upsert);
    // the service stores the batch but answers after the client gave up
    t.sink.next({ kind: 'slow', ms: 350 });
    t.h = harness(t.sink.url, { requestTimeoutMs: 250, flushIntervalMs: 0 });
    const list = events(3);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    await t.sink.waitFor(() => t.sink.requests.length >= 2);
    expect(t.sink.ingestRequests.map((r) => [r.path, ids(r.body)])).toEqual([
      ['/api/v1/ingest/bulk', ids(list)],
      ['/api/v1/ingest/bulk-upsert', ids(list)],
    ]);
    expect(t.sink.storedIds).toEqual(ids(list));
    expect(t.sink.ingestRequests.flatMap((r) => requestProblems(r))).toEqual([]);
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 3, failed: 0, spilled: 0, retried: 1 }));
  });

  test('replay against a service without bulk-upsert (404) falls back to plain bulk', async () => {
    t.sink.route('POST', '/api/v1/ingest/bulk-upsert', () => ({ status: 404, body: { message: 'not found', statusCode: 404 } }));
    const file = path.join(tempDir(), 'undelivered.jsonl');
    fs.writeFileSync(file, events(2).map((e) => JSON.stringify(e)).join('\n') + '\n');
    const r = await replaySpillFile(file, { baseUrl: t.sink.url });
    expect(r).toMatchObject({ sent: 2, remaining: 0 });
    expect(t.sink.ingestRequests.map((q) => q.path)).toEqual(['/api/v1/ingest/bulk-upsert', '/api/v1/ingest/bulk']);
    expect(t.sink.storedIds).toEqual(ids(events(2)));
  });

  test('a batch answered with an error (nothing stored) is retried with plain bulk', async () => {
    t.sink.next({ kind: 'status', status: 503, body: { message: 'busy', statusCode: 503 }, headers: { 'retry-after-ms': '1' } });
    t.h = harness(t.sink.url, { flushIntervalMs: 0 });
    events(2).forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(t.sink.ingestRequests.map((r) => r.path)).toEqual(['/api/v1/ingest/bulk', '/api/v1/ingest/bulk']);
    expect(t.sink.storedIds).toEqual(ids(events(2)));
  });

  test('per-item answers by item_index: a 429 item is re-sent alone, a 400 item is failed and spilled, never counted as sent', async () => {
    let first = true;
    t.sink.behaviour = {
      kind: 'items',
      error: (e) => {
        if (e.provider_response_id === 'chatcmpl-1') return { status: 400, code: 'invalid_units', message: 'units.text.input is negative' };
        if (e.provider_response_id === 'chatcmpl-2' && first) {
          first = false;
          return { status: 429, message: 'slow down' };
        }
        return undefined;
      },
    };
    t.h = harness(t.sink.url, { flushIntervalMs: 0 });
    const list = events(4);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(t.sink.ingestRequests.map((r) => ids(r.body))).toEqual([ids(list), ['chatcmpl-2']]);
    expect([...t.sink.storedIds].sort()).toEqual(['chatcmpl-0', 'chatcmpl-2', 'chatcmpl-3']);
    expect(ids(readLines(t.h.spillFile))).toEqual(['chatcmpl-1']);
    expect(t.h.errors.map((e) => [e.status, e.code])).toEqual([[400, 'invalid_units']]);
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 3, failed: 1, spilled: 1, retried: 1 }));
  });
});
