import { deliveryTestbed, harness, events, ids, recordingClient, until, onlySink } from './helpers';

describe('batched delivery', () => {
  const t = deliveryTestbed();

  test('a batch leaves as soon as it reaches maxBatchSize, as one bulk request with { events }', async () => {
    t.h = harness(t.sink.url, { maxBatchSize: 5, flushIntervalMs: 60_000 }, { apiKey: 'sk-test-key-123456' });
    const list = events(12);
    list.forEach((e) => t.h!.delivery.submit(e));
    await until(() => t.h!.delivery.stats().sent === 10);
    const bulk = t.sink.ingestRequests;
    expect(bulk.map((r) => r.body.length)).toEqual([5, 5]);
    expect(bulk[0]!.method).toBe('POST');
    expect(bulk[0]!.path).toBe('/api/v1/ingest/bulk');
    expect(bulk[0]!.headers['xproxy-api-key']).toBe('sk-test-key-123456');
    expect(bulk[0]!.body[0]).toEqual(list[0]);
    expect(t.h.delivery.stats()).toMatchObject({ queued: 2, sent: 10 });
    await t.h.delivery.flush();
    expect(t.sink.storedIds).toEqual(ids(list));
  });

  test('a smaller batch leaves flushIntervalMs after its first event, not before', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const client = recordingClient(t.sink.url);
    t.h = harness(t.sink.url, { maxBatchSize: 100, flushIntervalMs: 1000 }, { payi: client });
    const start = Date.now();
    t.h.delivery.submit(events(1)[0]!);
    await jest.advanceTimersByTimeAsync(400);
    t.h.delivery.submit(events(2, 1)[1]!);
    await jest.advanceTimersByTimeAsync(599);
    expect(client.calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(client.calls).toEqual([{ kind: 'bulk', at: start + 1000, ids: ['chatcmpl-0', 'chatcmpl-2'] }]);
    jest.useRealTimers();
    await t.h.delivery.flush();
    expect(t.sink.storedIds).toEqual(['chatcmpl-0', 'chatcmpl-2']);
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 2, failed: 0, spilled: 0, retried: 0 }));
  });

  test('.flush() resolves after in-flight batches', async () => {
    t.sink.behaviour = { kind: 'slow', ms: 300 };
    t.h = harness(t.sink.url, { maxBatchSize: 3, flushIntervalMs: 60_000, concurrency: 2 });
    events(7).forEach((e) => t.h!.delivery.submit(e));
    expect(t.sink.storedIds).toEqual([]);
    await t.h.delivery.flush();
    expect([...t.sink.storedIds].sort()).toEqual(ids(events(7)).sort());
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 7, failed: 0, spilled: 0, retried: 0 }));
  });

  test('no more than `concurrency` bulk requests are in flight at once', async () => {
    t.sink.behaviour = { kind: 'slow', ms: 150 };
    const client = recordingClient(t.sink.url);
    let inFlight = 0;
    let most = 0;
    const counting = {
      ingest: {
        units: client.ingest.units,
        bulk: async (list: Parameters<typeof client.ingest.bulk>[0], o?: { signal?: AbortSignal }) => {
          most = Math.max(most, ++inFlight);
          try {
            return await client.ingest.bulk(list, o);
          } finally {
            inFlight--;
          }
        },
      },
    };
    t.h = harness(t.sink.url, { maxBatchSize: 2, concurrency: 2 }, { payi: counting });
    events(12).forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(t.sink.storedIds).toHaveLength(12);
    expect(most).toBe(2);
  });

  test('a client of your own (the payi option) gets every event whole, prompt, response and headers included, and the same bytes reach the service', async () => {
    const client = recordingClient(t.sink.url);
    const given: unknown[] = [];
    const own = { ingest: { ...client.ingest, bulk: (list: Parameters<typeof client.ingest.bulk>[0], o?: Parameters<typeof client.ingest.bulk>[1]) => (given.push(...list), client.ingest.bulk(list, o)) } };
    t.h = harness(t.sink.url, { maxBatchSize: 3, flushIntervalMs: 60_000 }, { payi: own });
    const list = events(3).map((e, i) => ({ ...e, provider_request_json: `{"q":"Grüße ${i}"}`, provider_response_json: `{"a":"\\"${i}\\""}`, provider_response_headers: [{ name: 'x-request-id', value: `req_${i}` }] }));
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(given).toEqual(list);
    expect(t.sink.storedIds).toEqual(ids(list));
  });

  test('batched mode with enforceLimits learns limit states from GET /api/v1/limits/{id} of delivered events (the bulk answer has none)', async () => {
    t.sink.limitStates = { monthly: 'blocked', daily: 'overrun' };
    t.h = harness(t.sink.url, { maxBatchSize: 2, limitRefreshMs: 60_000 }, { enforceLimits: true });
    t.h.delivery.submit(events(1)[0]!);
    t.h.delivery.submit({ ...events(2)[1]!, limit_ids: ['monthly', 'daily'] });
    await t.h.delivery.flush();
    expect(t.h.limits.get('monthly')).toBe('blocked');
    expect(t.h.limits.get('daily')).toBe('overrun');
    expect(t.h.limits.blocked(['daily', 'monthly'])).toEqual(['monthly']);
    const reads = () => t.sink.requests.filter((r) => r.method === 'GET').map((r) => r.path).sort();
    expect(reads()).toEqual(['/api/v1/limits/daily', '/api/v1/limits/monthly']);
    // Bounded in rate: more events on the same limits within limitRefreshMs read nothing now.
    t.h.delivery.submit({ ...events(4)[3]!, limit_ids: ['monthly'] });
    t.h.delivery.submit({ ...events(5)[4]!, limit_ids: ['monthly', 'daily'] });
    await t.h.delivery.flush();
    expect(reads()).toHaveLength(2);
  });

  test('without enforceLimits, batched delivery reads no limits', async () => {
    t.h = harness(t.sink.url, { maxBatchSize: 1 });
    t.h.delivery.submit({ ...events(1)[0]!, limit_ids: ['monthly'] });
    await t.h.delivery.flush();
    expect(t.sink.storedIds).toEqual(['chatcmpl-0']);
    expect(t.sink.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/ingest/bulk']);
  });

  test('a limit that cannot be read (404) leaves its state unknown and delivery unharmed', async () => {
    t.h = harness(t.sink.url, { maxBatchSize: 1, limitRefreshMs: 0 }, { enforceLimits: true });
    t.h.delivery.submit({ ...events(1)[0]!, limit_ids: ['missing'] });
    await t.h.delivery.flush();
    expect(t.h.limits.get('missing')).toBeUndefined();
    expect(t.h.delivery.stats()).toMatchObject({ queued: 0, sent: 1, failed: 0, spilled: 0, retried: 0 });
    expect(t.h.errors).toEqual([]);
  });
});
