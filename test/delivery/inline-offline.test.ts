import * as path from 'node:path';
import { createDelivery } from '../../src/delivery';
import { PayiIngestError } from '../../src/errors';
import { setLogger } from '../../src/internal/logger';
import { LimitStateStore } from '../../src/limits/store';
import { resolveOptions } from '../../src/options/resolve';
import type { Delivery } from '../../src/delivery/types';
import { deliveryTestbed, harness, ev, events, ids, memoryLogger, readLines, tempDir, onlySink } from './helpers';
import { startSink } from '../support/ingest-sink';

describe('inline delivery', () => {
  const t = deliveryTestbed();

  test('sendInline returns the xproxy_result and records its limit states', async () => {
    t.sink.limitStates = { budget: 'blocked' };
    t.h = harness(t.sink.url, { mode: 'inline' }, { apiKey: 'sk-inline-key-0000' });
    const event = ev('abc', { limit_ids: ['budget'], user_id: 'user_1', use_case_name: 'chat', use_case_id: 'uc-1', use_case_version: 2, properties: { tier: 'gold' } });
    const result = await t.h.delivery.sendInline(event);
    expect(result).toEqual({ request_id: 'req_1', limits: { budget: { state: 'blocked' } } });
    expect(t.h.limits.blocked(['budget'])).toEqual(['budget']);
    const req = t.sink.ingestRequests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/ingest');
    // The spec's IngestRequest: no attribution fields in the body (they are headers); ?id= as the Python SDK sends it.
    expect(req.query).toEqual({ id: event.provider_response_id });
    const { limit_ids: _limitIds, user_id: _userId, use_case_name: _name, use_case_id: _id, use_case_version: _version, ...body } = event;
    expect(req.body).toEqual(body);
    expect(req.headers).toMatchObject({
      'xproxy-api-key': 'sk-inline-key-0000',
      'xproxy-limit-ids': 'budget',
      'xproxy-user-id': 'user_1',
      'xproxy-usecase-name': 'chat',
      'xproxy-usecase-id': 'uc-1',
      'xproxy-usecase-version': '2',
      'xproxy-instrumented-module': 'payi-instrument/0.1.0',
    });
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 1, failed: 0, spilled: 0, retried: 0 }));
  });

  test('a failed inline send resolves to undefined, and the event is retried in the background until it arrives', async () => {
    t.sink.next({ kind: 'status', status: 503, body: { message: 'busy' }, headers: { 'retry-after-ms': '1' } });
    t.h = harness(t.sink.url, { mode: 'inline', flushIntervalMs: 0 });
    await expect(t.h.delivery.sendInline(ev(7))).resolves.toBeUndefined();
    await t.h.delivery.flush();
    expect(t.sink.storedIds).toEqual(['chatcmpl-7']);
    expect(t.sink.ingestRequests.map((r) => r.path)).toEqual(['/api/v1/ingest', '/api/v1/ingest/bulk']);
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 1, failed: 0, spilled: 0, retried: 1 }));
  });

  test('an inline send refused with 400 resolves to undefined, is spilled and reported', async () => {
    t.sink.behaviour = { kind: 'items', error: () => ({ status: 400, code: 'invalid_event', message: 'resource is missing' }) };
    t.h = harness(t.sink.url, { mode: 'inline' });
    await expect(t.h.delivery.sendInline(ev(8))).resolves.toBeUndefined();
    await t.h.delivery.flush();
    expect(ids(readLines(t.h.spillFile))).toEqual(['chatcmpl-8']);
    expect(t.h.errors[0]).toBeInstanceOf(PayiIngestError);
    expect(t.h.errors[0]).toMatchObject({ status: 400, code: 'invalid_event' });
    expect(t.h.delivery.stats()).toMatchObject({ sent: 0, failed: 1, spilled: 1 });
  });

  test('a throwing onError callback never reaches the caller', async () => {
    await t.sink.down();
    const logger = memoryLogger();
    const settings = resolveOptions({ baseUrl: t.sink.url, logger, ingest: { mode: 'inline', maxRetryMs: 0, spillFile: path.join(tempDir(), 's.jsonl'), onError: () => { throw new Error('callback bug'); } } }, {});
    setLogger(logger); // as payiInstrument() does
    const delivery = createDelivery(settings, new LimitStateStore());
    try {
      await expect(delivery.sendInline(ev(1))).resolves.toBeUndefined();
      await expect(delivery.flush()).resolves.toBeUndefined();
      expect(delivery.stats()).toMatchObject({ failed: 1, spilled: 1 });
      expect(logger.text()).toContain('payi: ingest.onError threw; ignored');
    } finally {
      setLogger(undefined);
      await delivery.close(500);
    }
  });
});

describe('offline delivery', () => {
  let delivery: Delivery | undefined;
  afterEach(async () => {
    await delivery?.close();
    delivery = undefined;
  });

  test('offline mode appends each event as one JSON line and sends nothing', async () => {
    const sink = await startSink();
    try {
      const file = path.join(tempDir(), 'nested', 'events.jsonl');
      delivery = createDelivery(resolveOptions({ baseUrl: sink.url, logger: memoryLogger(), offline: { file } }, {}), new LimitStateStore());
      const list = events(3);
      list.forEach((e) => delivery!.submit(e));
      await delivery.flush();
      expect(readLines(file)).toEqual(list);
      delivery.submit(ev(99));
      await delivery.close();
      expect(ids(readLines(file))).toEqual([...ids(list), 'chatcmpl-99']);
      expect(delivery.stats()).toEqual(onlySink('file', { queued: 0, sent: 4, failed: 0, spilled: 0, retried: 0 }));
      expect(sink.requests).toEqual([]);
    } finally {
      await sink.stop();
    }
  });
});
