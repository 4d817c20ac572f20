import { PayiIngestError } from '../../src/errors';
import { deliveryTestbed, harness, events, ids, readLines, recordingClient, until, onlySink } from './helpers';

describe('delivery retries', () => {
  const t = deliveryTestbed();

  test('a 500 is retried and the events arrive once', async () => {
    t.sink.next({ kind: 'status', status: 500, body: { xproxy_error: { code: 'internal', message: 'boom' } }, headers: { 'retry-after-ms': '5' } });
    t.h = harness(t.sink.url, { maxBatchSize: 3 });
    const list = events(3);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(t.sink.ingestRequests).toHaveLength(2);
    expect(t.sink.storedIds).toEqual(ids(list));
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 3, failed: 0, spilled: 0, retried: 1 }));
    expect(t.h.errors).toEqual([]);
  });

  test('a 429 is retried exactly after its Retry-After, not before', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    t.sink.next({ kind: 'status', status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '2' } });
    const client = recordingClient(t.sink.url);
    t.h = harness(t.sink.url, { maxBatchSize: 2 }, { payi: client });
    events(2).forEach((e) => t.h!.delivery.submit(e));
    await until(() => t.sink.ingestRequests.length === 1 && t.h!.logger.lines.some((l) => l.text.includes('retrying in 2000 ms')));
    const first = client.calls[0]!.at;
    await jest.advanceTimersByTimeAsync(1999);
    expect(client.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(client.calls.map((c) => c.at - first)).toEqual([0, 2000]);
    jest.useRealTimers();
    await t.h.delivery.flush();
    expect(t.sink.storedIds).toEqual(['chatcmpl-0', 'chatcmpl-1']);
  });

  test('per-item errors: only the failed retryable items are re-sent; refused items are spilled and reported', async () => {
    const failedOnce = new Set<string>();
    t.sink.behaviour = {
      kind: 'items',
      error: (e) => {
        if (e.provider_response_id === 'chatcmpl-2') return { status: 400, code: 'invalid_event', message: 'units is malformed' };
        if (e.provider_response_id === 'chatcmpl-1' && !failedOnce.has('1')) {
          failedOnce.add('1');
          return { status: 503, code: 'unavailable', message: 'try again' };
        }
        return undefined;
      },
    };
    t.h = harness(t.sink.url, { maxBatchSize: 4 });
    const list = events(4);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(t.sink.ingestRequests.map((r) => ids(r.body))).toEqual([ids(list), ['chatcmpl-1']]);
    expect([...t.sink.storedIds].sort()).toEqual(['chatcmpl-0', 'chatcmpl-1', 'chatcmpl-3']);
    expect(ids(readLines(t.h.spillFile))).toEqual(['chatcmpl-2']);
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 3, failed: 1, spilled: 1, retried: 1 }));
    expect(t.h.errors).toHaveLength(1);
    expect(t.h.errors[0]).toBeInstanceOf(PayiIngestError);
    expect(t.h.errors[0]).toMatchObject({ status: 400, code: 'invalid_event' });
    expect(t.h.errors[0]!.message).toContain('units is malformed');
  });

  test('a 401 is not retried: the events are spilled, onError gets the service error, the log names it', async () => {
    t.sink.behaviour = { kind: 'status', status: 401, body: { xproxy_error: { code: 'unauthorized', message: 'the API key is not valid' }, request_id: 'req_77' } };
    t.h = harness(t.sink.url, { maxBatchSize: 2 }, { apiKey: 'sk-payi-secret-0123456789' });
    const list = events(2);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(t.sink.ingestRequests).toHaveLength(1);
    expect(readLines(t.h.spillFile)).toEqual(list);
    expect(t.h.errors).toHaveLength(1);
    expect(t.h.errors[0]).toMatchObject({ name: 'PayiIngestError', status: 401, code: 'unauthorized', requestId: 'req_77' });
    expect(t.h.logger.lines.filter((l) => l.level === 'error').map((l) => l.text).join('\n')).toContain('the API key is not valid');
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 0, failed: 2, spilled: 2, retried: 0 }));
  });

  test('the sink down, then up: events arrive after recovery, none twice', async () => {
    await t.sink.down();
    const client = recordingClient(t.sink.url);
    t.h = harness(t.sink.url, { maxBatchSize: 3, concurrency: 1 }, { payi: client });
    const list = events(6);
    list.forEach((e) => t.h!.delivery.submit(e));
    await until(() => client.calls.length >= 3);
    expect(t.sink.requests).toEqual([]);
    await t.sink.up();
    await t.h.delivery.flush();
    expect([...t.sink.storedIds].sort()).toEqual(ids(list).sort());
    expect(new Set(t.sink.storedIds).size).toBe(6);
    const stats = t.h.delivery.stats();
    expect(stats).toMatchObject({ queued: 0, sent: 6, failed: 0, spilled: 0 });
    expect(stats.retried).toBeGreaterThanOrEqual(2);
    expect(t.h.errors).toEqual([]);
  });

  test('what cannot be sent within maxRetryMs lands in the spill file, and onError hears of it', async () => {
    await t.sink.down();
    t.h = harness(t.sink.url, { maxBatchSize: 3, maxRetryMs: 0 });
    const list = events(3);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(readLines(t.h.spillFile)).toEqual(list);
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 0, failed: 3, spilled: 3, retried: 0 }));
    expect(t.h.errors).toHaveLength(1);
    expect(t.h.errors[0]).toMatchObject({ code: 'api_connection_error' });
    expect(t.h.errors[0]!.message).toMatch(/3 events not delivered: still failing after 0 ms of retries/);
    expect(t.h.errors[0]!.message).toContain(t.h.spillFile);
  });

  test('connection errors are logged once per window, then with the count of those in between', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'hrtime'] });
    jest.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    await t.sink.down();
    t.h = harness(t.sink.url, { maxBatchSize: 1, maxRetryMs: 0, concurrency: 1, connectionErrorLogWindowMs: 60_000 });
    const cannotReach = (): string[] => t.h!.logger.lines.filter((l) => l.text.includes('cannot reach the Pay-i service')).map((l) => l.text);
    events(3).forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(cannotReach()).toHaveLength(1);
    jest.setSystemTime(new Date('2025-01-01T00:01:01Z'));
    t.h.delivery.submit(events(1, 10)[0]!);
    await t.h.delivery.flush();
    expect(cannotReach()).toHaveLength(2);
    expect(cannotReach()[1]).toContain('2 more connection errors in the last 60 s');
    expect(t.h.delivery.stats().spilled).toBe(4);
  });

  test('the API key never appears in a log line or an onError message, even when the service echoes it', async () => {
    const key = 'sk-payi-verysecret-abcdef987654';
    t.sink.behaviour = { kind: 'status', status: 403, body: { xproxy_error: { code: 'forbidden', message: `key ${key} may not ingest` } } };
    t.h = harness(t.sink.url, { maxBatchSize: 1 }, { apiKey: key });
    t.h.delivery.submit(events(1)[0]!);
    await t.h.delivery.flush();
    await t.sink.down();
    t.h.delivery.submit(events(1, 5)[0]!);
    await t.h.delivery.close(300);
    expect(t.sink.requests[0]!.headers['xproxy-api-key']).toBe(key);
    expect(t.h.logger.lines.length).toBeGreaterThan(0);
    expect(t.h.logger.text()).not.toContain(key);
    expect(t.h.errors.length).toBeGreaterThan(0);
    for (const e of t.h.errors) expect(`${e.message} ${JSON.stringify(e)}`).not.toContain(key);
    expect(t.h.logger.text()).toContain('may not ingest');
  });
});
