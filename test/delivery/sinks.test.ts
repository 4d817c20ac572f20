import OpenAI from 'openai';
import * as path from 'node:path';
import { flush, ingestStats, payiInstrument, PayiConfigError, shutdown, type EventSink } from '../../src';
import type { PayiEvent } from '../../src/events/types';
import { resolveOptions } from '../../src/options/resolve';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin } from '../../samples/standin/server';
import { deliveryTestbed, events, harness, ids, memoryLogger, readLines, tempDir } from './helpers';

/** A sink that records what it was given and answers as `answer` says. */
function scriptedSink(name: string, answer: (call: number) => 'ok' | 'fail' | 'throw' | 'hang' | 'retry'): EventSink & { calls: string[][]; contexts: boolean[] } {
  const calls: string[][] = [];
  const contexts: boolean[] = [];
  return {
    name,
    calls,
    contexts,
    async send(list, context) {
      calls.push(ids(list));
      contexts.push(context.answerLost);
      const a = answer(calls.length);
      if (a === 'throw') throw new Error(`${name} is broken`);
      if (a === 'hang') return new Promise(() => undefined);
      if (a === 'fail') return list.map(() => ({ status: 'failed' as const, reason: 'refused by the test' }));
      if (a === 'retry') return list.map(() => ({ status: 'retryable' as const, reason: 'busy', retryAfterMs: 1 }));
      return list.map(() => ({ status: 'sent' as const }));
    },
  };
}

describe('sinks beside Pay-i', () => {
  const t = deliveryTestbed();
  let standin: Standin | undefined;
  afterEach(async () => {
    await shutdown({ timeoutMs: 2000 });
    await standin?.close();
    standin = undefined;
  });

  test('a sink that fails, one that hangs and one that throws never hold Pay-i back: every Pay-i event arrives and provider calls are unaffected', async () => {
    standin = await startStandin([openaiRoute]);
    const spillFile = path.join(tempDir(), 'undelivered.jsonl');
    const failing = scriptedSink('failing', () => 'fail');
    const hanging = scriptedSink('hanging', () => 'hang');
    const throwing = scriptedSink('throwing', () => 'throw');
    const logger = memoryLogger();
    payiInstrument({
      baseUrl: t.sink.url,
      logger,
      ingest: { spillFile, flushIntervalMs: 10, maxBatchSize: 5, requestTimeoutMs: 1000, maxRetryMs: 300, sinks: [failing, hanging, throwing] },
    });
    const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${standin.url}/v1`, maxRetries: 0 });
    const replies: unknown[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hello ${i}` }] });
      replies.push({ choices: r.choices, usage: r.usage, model: r.model });
    }
    await t.sink.waitForStored(12); // Pay-i gets every event while the other sinks are still failing or hanging
    expect(t.sink.storedIds).toHaveLength(12);
    expect(new Set(t.sink.storedIds).size).toBe(12);
    await flush();
    const stats = ingestStats();
    expect(stats).toEqual({
      queued: 0, sent: 12, failed: 0, spilled: 0, retried: 0,
      sinks: {
        payi: { queued: 0, sent: 12, failed: 0, spilled: 0, retried: 0 },
        failing: { queued: 0, sent: 0, failed: 12, spilled: 12, retried: 0 },
        hanging: { queued: 0, sent: 0, failed: 12, spilled: 12, retried: expect.any(Number) },
        throwing: { queued: 0, sent: 0, failed: 12, spilled: 12, retried: 0 },
      },
    });
    // each other sink's undeliverable events go to its own spill file, never into Pay-i's
    expect(readLines(spillFile)).toEqual([]);
    for (const name of ['failing', 'hanging', 'throwing']) expect(readLines(spillFile.replace('.jsonl', `.${name}.jsonl`)).map((e) => e.provider_response_id).sort()).toEqual([...t.sink.storedIds].sort());
    // the provider answers were what the uninstrumented SDK gives
    await shutdown({ timeoutMs: 2000 });
    const raw: unknown[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hello ${i}` }] });
      raw.push({ choices: r.choices, usage: r.usage, model: r.model });
    }
    expect(replies).toEqual(raw);
  });

  test("a sink's own measure cuts its batches; one that throws or answers nonsense is measured by the default bound and still gets every event", async () => {
    const measured = { ...scriptedSink('measured', () => 'ok'), measure: () => 6000 }; // two of these never fit in 8 kB
    const throwing = { ...scriptedSink('throwing-measure', () => 'ok'), measure: (): number => { throw new Error('measure is broken'); } };
    const nonsense = { ...scriptedSink('nonsense-measure', () => 'ok'), measure: () => Number.NaN };
    t.h = harness(t.sink.url, { maxBatchBytes: 8192, maxBatchSize: 100, flushIntervalMs: 0, sinks: [measured, throwing, nonsense] });
    const list = events(4);
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(measured.calls).toEqual(ids(list).map((id) => [id]));
    expect(throwing.calls.flat()).toEqual(ids(list));
    expect(throwing.calls.length).toBeLessThan(4);
    expect(nonsense.calls.flat()).toEqual(ids(list));
    expect(t.sink.storedIds).toEqual(ids(list));
  });

  test("a sink's own stand-ins (measure answering { bytes, event }) are what it is sent, and its restore of them is what is spilled; a stand-in without restore is not used", async () => {
    const originals = new Map<PayiEvent, PayiEvent>();
    const given: PayiEvent[] = [];
    const standing: EventSink = {
      name: 'standing',
      measure: (e) => {
        const standIn = { ...e, provider_request_json: undefined };
        originals.set(standIn, e);
        return { bytes: 200, event: standIn };
      },
      restore: (e) => originals.get(e) ?? e,
      send: async (list) => (given.push(...list), list.map(() => ({ status: 'failed' as const, reason: 'refused by the test' }))),
    };
    const noRestoreGiven: PayiEvent[] = [];
    const noRestore: EventSink = {
      name: 'no-restore',
      measure: (e) => ({ bytes: 200, event: { ...e, provider_request_json: undefined } }),
      send: async (list) => (noRestoreGiven.push(...list), list.map(() => ({ status: 'sent' as const }))),
    };
    t.h = harness(t.sink.url, { flushIntervalMs: 0, sinks: [standing, noRestore] });
    const list = events(2).map((e, i) => ({ ...e, provider_request_json: `{"q":"hello ${i}"}` }));
    list.forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(given.map((e) => e.provider_request_json)).toEqual([undefined, undefined]);
    expect(readLines(t.h.spillFile.replace('.jsonl', '.standing.jsonl'))).toEqual(list);
    expect(noRestoreGiven).toEqual(list);
    expect(t.sink.storedIds).toEqual(ids(list));
  });

  test('a sink that asks for retries gets the same events again until it accepts them; ingestStats() keeps the counts after shutdown, and the next payiInstrument() starts at zero', async () => {
    const flaky = scriptedSink('flaky', (n) => (n <= 2 ? 'retry' : 'ok'));
    payiInstrument({ baseUrl: t.sink.url, logger: memoryLogger(), ingest: { spillFile: path.join(tempDir(), 's.jsonl'), flushIntervalMs: 0, sinks: [flaky] } });
    const { getRuntime } = await import('../../src/instrument');
    events(3).forEach((e) => getRuntime()!.delivery.submit(e));
    await shutdown({ timeoutMs: 5000 });
    expect(flaky.calls).toEqual([ids(events(3)), ids(events(3)), ids(events(3))]);
    const after = ingestStats();
    expect(after).toEqual({
      queued: 0, sent: 3, failed: 0, spilled: 0, retried: 0,
      sinks: { payi: { queued: 0, sent: 3, failed: 0, spilled: 0, retried: 0 }, flaky: { queued: 0, sent: 3, failed: 0, spilled: 0, retried: 2 } },
    });
    payiInstrument({ baseUrl: t.sink.url, logger: memoryLogger(), ingest: { spillFile: path.join(tempDir(), 's.jsonl') } });
    expect(ingestStats()).toEqual({ queued: 0, sent: 0, failed: 0, spilled: 0, retried: 0, sinks: { payi: { queued: 0, sent: 0, failed: 0, spilled: 0, retried: 0 } } });
  });

  test('inline mode: the Pay-i inline sink answers the call with its xproxy_result; another sink gets the event in the background', async () => {
    const copy = scriptedSink('copy', () => 'ok');
    t.h = harness(t.sink.url, { mode: 'inline', flushIntervalMs: 0, sinks: [copy] });
    const result = await t.h.delivery.sendInline(events(1)[0]!);
    expect(result).toMatchObject({ request_id: expect.any(String) });
    await t.h.delivery.flush();
    expect(t.sink.ingestRequests.map((r) => r.path)).toEqual(['/api/v1/ingest']);
    expect(copy.calls).toEqual([ids(events(1))]);
    expect(t.h.delivery.stats().sinks).toEqual({ payi: { queued: 0, sent: 1, failed: 0, spilled: 0, retried: 0 }, copy: { queued: 0, sent: 1, failed: 0, spilled: 0, retried: 0 } });
  });

  test('offline mode is the JSON-lines file sink: events in the file count as sent under sinks.file', async () => {
    const file = path.join(tempDir(), 'events.jsonl');
    const extra = scriptedSink('copy', () => 'ok');
    t.h = harness(t.sink.url, { sinks: [extra] }, { offline: { file } });
    events(4).forEach((e) => t.h!.delivery.submit(e));
    await t.h.delivery.flush();
    expect(ids(readLines(file))).toEqual(ids(events(4)));
    expect(extra.calls.flat()).toEqual(ids(events(4)));
    expect(t.h.delivery.stats().sinks).toEqual({ file: { queued: 0, sent: 4, failed: 0, spilled: 0, retried: 0 }, copy: { queued: 0, sent: 4, failed: 0, spilled: 0, retried: 0 } });
    expect(t.sink.requests).toEqual([]);
  });

  test.each([
    ['not an array', { sinks: 'otel' }, 'ingest.sinks'],
    ['a sink without send', { sinks: [{ name: 'x' }] }, 'ingest.sinks[0]'],
    ['a taken name', { sinks: [{ name: 'payi', send: async () => [] }] }, 'ingest.sinks[0].name'],
    ['two sinks with one name', { sinks: [{ name: 'a', send: async () => [] }, { name: 'a', send: async () => [] }] }, 'ingest.sinks[1].name'],
  ])('ingest.sinks: %s is a PayiConfigError naming the option', (_what, ingest, option) => {
    let error: unknown;
    try {
      resolveOptions({ ingest: ingest as never }, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PayiConfigError);
    expect(error).toMatchObject({ option });
  });
});
