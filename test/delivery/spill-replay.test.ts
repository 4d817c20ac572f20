import * as fs from 'node:fs';
import * as path from 'node:path';
import { replaySpillFile } from '../../src/delivery/replay';
import type { PayiEvent } from '../../src/events/types';
import { toBulkItem } from '../../src/wire/ingest';
import { deliveryTestbed, harness, events, ids, readLines, tempDir, onlySink } from './helpers';

/** What a logged call puts on its event: prompt and response JSON (quotes, line breaks, non-ASCII), headers, a function call. */
function logged(i: number): Partial<PayiEvent> {
  return {
    provider_request_json: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Grüße "${i}"\n€ 東京 😀 \\ path` }] }),
    provider_response_json: JSON.stringify({ id: `chatcmpl-${i}`, choices: [{ message: { content: `answer ${i}: "ok"` } }] }, null, 2),
    provider_request_headers: [{ name: 'content-type', value: 'application/json' }],
    provider_response_headers: [{ name: 'x-request-id', value: `req_${i}` }, { name: 'openai-processing-ms', value: '412' }],
    provider_response_function_calls: [{ name: 'lookup', arguments: `{"city":"Lisboa ${i}"}` }],
  };
}

describe('spill file and replay', () => {
  const t = deliveryTestbed();

  test('beyond maxQueueSize, events go to the spill file instead of memory (folder created)', async () => {
    t.h = harness(t.sink.url, { maxQueueSize: 5, maxBatchSize: 100, flushIntervalMs: 60_000 });
    const list = events(12);
    list.forEach((e) => t.h!.delivery.submit(e));
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 5, sent: 0, failed: 7, spilled: 7, retried: 0 }));
    await t.h.delivery.flush();
    expect(t.sink.storedIds).toEqual(ids(list.slice(0, 5)));
    expect(ids(readLines(t.h.spillFile))).toEqual(ids(list.slice(5)));
    const warnings = t.h.logger.lines.filter((l) => l.level === 'warn' && l.text.includes('queue full'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toContain('maxQueueSize 5');
  });

  test('replay sends the spilled events later and empties the file', async () => {
    await t.sink.down();
    t.h = harness(t.sink.url, { maxBatchSize: 4, maxRetryMs: 0 });
    const list = events(10);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(readLines(t.h.spillFile)).toHaveLength(10);
    await t.sink.up();
    const progress: number[] = [];
    const result = await replaySpillFile(t.h.spillFile, { baseUrl: t.sink.url, batchSize: 4, onProgress: (p) => progress.push(p.sent) });
    expect(result).toEqual({ total: 10, sent: 10, rejected: 0, unsent: 0, failed: 0, invalid: 0, remaining: 0 });
    expect(progress).toEqual([4, 8, 10]);
    expect([...t.sink.storedIds].sort()).toEqual(ids(list).sort());
    expect(t.sink.ingestRequests.map((r) => r.body.length)).toEqual([4, 4, 2]);
    expect(fs.readFileSync(t.h.spillFile, 'utf8')).toBe('');
  });

  test('replay keeps refused items, lines that are not JSON, and everything when the service is down', async () => {
    const file = path.join(tempDir(), 'undelivered.jsonl');
    const list = events(3);
    fs.writeFileSync(file, [JSON.stringify(list[0]), 'not json {', JSON.stringify(list[1]), '', JSON.stringify(list[2])].join('\n') + '\n');
    t.sink.behaviour = { kind: 'items', error: (e) => (e.provider_response_id === 'chatcmpl-1' ? { status: 400, code: 'invalid_event', message: 'bad units' } : undefined) };
    const r1 = await replaySpillFile(file, { baseUrl: t.sink.url });
    expect(r1).toEqual({ total: 4, sent: 2, rejected: 1, unsent: 0, failed: 1, invalid: 1, remaining: 2 });
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toEqual(['not json {', JSON.stringify(list[1])]);

    await t.sink.down();
    const r2 = await replaySpillFile(file, { baseUrl: t.sink.url });
    expect(r2).toMatchObject({ total: 2, sent: 0, unsent: 1, invalid: 1, remaining: 2 });
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toEqual(['not json {', JSON.stringify(list[1])]);
  });

  test('replay of a file that does not exist does nothing', async () => {
    const r = await replaySpillFile(path.join(tempDir(), 'missing.jsonl'), { baseUrl: t.sink.url });
    expect(r).toEqual({ total: 0, sent: 0, rejected: 0, unsent: 0, failed: 0, invalid: 0, remaining: 0 });
    expect(t.sink.requests).toEqual([]);
  });

  test('close(timeoutMs) spills what is still undelivered at the time-out and resolves', async () => {
    await t.sink.down();
    t.h = harness(t.sink.url, { maxBatchSize: 2, flushIntervalMs: 60_000 });
    const list = events(5);
    list.forEach((e) => t.h!.delivery.submit(e));
    const closing = t.h.delivery.close(300);
    await closing;
    expect([...ids(readLines(t.h.spillFile))].sort()).toEqual(ids(list).sort());
    expect(t.h.delivery.stats()).toMatchObject({ queued: 0, sent: 0, failed: 5, spilled: 5 });
    expect(t.h.errors.some((e) => e.code === 'shutdown_timeout' && /5 events not delivered within the shutdown time-out/.test(e.message))).toBe(true);
    t.h.delivery.submit(events(1, 9)[0]!);
    await t.h.delivery.flush();
    expect(ids(readLines(t.h.spillFile))).toContain('chatcmpl-9');
  });

  test('with spillFile: false, undeliverable events are counted failed and logged as lost', async () => {
    await t.sink.down();
    t.h = harness(t.sink.url, { maxBatchSize: 2, maxRetryMs: 0, spillFile: false });
    events(2).forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(t.h.delivery.stats()).toEqual(onlySink('payi', { queued: 0, sent: 0, failed: 2, spilled: 0, retried: 0 }));
    expect(t.h.logger.text()).toContain('2 undeliverable events dropped (ingest.spillFile is false)');
  });

  test('events held as their bulk bytes while they wait are spilled whole, prompt, response, headers and function calls as submitted, and replay sends them so', async () => {
    await t.sink.down();
    t.h = harness(t.sink.url, { maxBatchSize: 3, maxRetryMs: 0 });
    const list = events(5).map((e, i) => ({ ...e, ...logged(i) }));
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(readLines(t.h.spillFile)).toEqual(list);
    await t.sink.up();
    const result = await replaySpillFile(t.h.spillFile, { baseUrl: t.sink.url });
    expect(result).toMatchObject({ sent: 5, remaining: 0 });
    expect(t.sink.ingestRequests.flatMap((r) => r.body as unknown[])).toEqual(list.map(toBulkItem));
  });

  test('a shutdown that times out spills the events of a batch being retried whole, not as what delivery held of them', async () => {
    t.sink.behaviour = { kind: 'items', error: () => ({ status: 503, code: 'busy' }) };
    t.h = harness(t.sink.url, { maxBatchSize: 2 });
    const list = events(2).map((e, i) => ({ ...e, ...logged(i) }));
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.sink.waitFor(() => t.sink.ingestRequests.length >= 1);
    await t.h.delivery.close(200);
    expect(t.sink.ingestRequests[0]!.body).toEqual(list.map(toBulkItem));
    expect(readLines(t.h.spillFile).sort((a, b) => a.provider_response_id.localeCompare(b.provider_response_id))).toEqual(list);
  });

  test('a shutdown during retries spills both the refused items and the ones still being retried', async () => {
    t.sink.behaviour = { kind: 'items', error: (e) => (e.provider_response_id === 'chatcmpl-0' ? { status: 400, code: 'invalid_event', message: 'bad' } : e.provider_response_id === 'chatcmpl-1' ? { status: 503, code: 'busy' } : undefined) };
    t.h = harness(t.sink.url, { maxBatchSize: 3 });
    events(3).forEach((e) => t.h!.delivery.submit(e));
    await t.sink.waitFor(() => t.sink.ingestRequests.length >= 1);
    await t.h.delivery.close(200);
    expect(t.sink.storedIds).toEqual(['chatcmpl-2']);
    expect(ids(readLines(t.h.spillFile)).sort()).toEqual(['chatcmpl-0', 'chatcmpl-1']);
    expect(t.h.delivery.stats()).toMatchObject({ queued: 0, sent: 1, failed: 2, spilled: 2 });
    expect(t.h.errors.map((e) => e.code).sort()).toEqual(['invalid_event', 'shutdown_timeout']);
  });
});
