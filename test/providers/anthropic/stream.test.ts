import type Anthropic from '@anthropic-ai/sdk';
import pino from 'pino';
import { payiInstrument, shutdown } from '../../../src/instrument';
import { responseHeaderPairs, timing, sameButIds, anthropicHarness } from './support';

const h = anthropicHarness();

const MODEL = 'claude-opus-4-6';
const body = { model: MODEL, max_tokens: 256, messages: [{ role: 'user' as const, content: 'Tell me a short story about a lighthouse keeper' }] };
const tools = [{ name: 'lookup', description: 'Look up', input_schema: { type: 'object' as const, properties: { term: { type: 'string' }, limit: { type: 'integer' } } } }];
const scenario = (name: string) => ({ headers: { 'x-standin-scenario': name } });

async function collect(stream: AsyncIterable<Anthropic.RawMessageStreamEvent>): Promise<Anthropic.RawMessageStreamEvent[]> {
  const out: Anthropic.RawMessageStreamEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

test('create({ stream: true }) yields the same events as the raw client, and the event has the usage of both ends', async () => {
  const { data: stream, response } = await h.makeClient().messages.create({ ...body, stream: true, tools }).withResponse();
  const events = await collect(stream);
  await shutdown();
  const raw = await collect(await h.makeClient().messages.create({ ...body, stream: true, tools }));
  expect(sameButIds(events)).toEqual(sameButIds(raw));

  const start = events[0] as Anthropic.RawMessageStartEvent;
  const delta = events.find((e) => e.type === 'message_delta') as Anthropic.RawMessageDeltaEvent;
  const toolStart = events.find((e) => e.type === 'content_block_start' && e.content_block.type === 'tool_use') as Anthropic.RawContentBlockStartEvent;
  const partial = events
    .filter((e): e is Anthropic.RawContentBlockDeltaEvent => e.type === 'content_block_delta' && e.delta.type === 'input_json_delta')
    .map((e) => (e.delta as Anthropic.InputJSONDelta).partial_json)
    .join('');
  expect(toolStart.index).toBe(1);
  expect(h.capture.events).toEqual([
    {
      category: 'system.anthropic',
      resource: MODEL,
      units: { text: { input: start.message.usage.input_tokens, output: delta.usage.output_tokens } },
      ...timing,
      time_to_first_token_ms: expect.any(Number),
      // message_start comes first; the first content delta later: sent as its own figure
      time_to_first_completion_token_ms: expect.any(Number),
      http_status_code: 200,
      provider_response_id: start.message.id,
      provider_uri: h.standin.url,
      properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' },
      provider_request_json: JSON.stringify({ ...body, stream: true, tools }),
      provider_response_json: JSON.stringify(events),
      provider_response_headers: responseHeaderPairs(response.headers),
      provider_response_function_calls: [{ name: 'lookup', arguments: partial }],
    },
  ]);
  expect(JSON.parse(partial)).toEqual({ term: body.messages[0].content, limit: 42 });
});

test('messages.stream() emits the same events and final message as the raw client, recorded once', async () => {
  const seen: string[] = [];
  const ms = h.makeClient().messages.stream({ ...body, tools });
  ms.on('text', (t) => seen.push(`text:${t}`));
  ms.on('inputJson', (partial) => seen.push(`json:${partial}`));
  const final = await ms.finalMessage();
  await shutdown();

  const rawSeen: string[] = [];
  const rawMs = h.makeClient().messages.stream({ ...body, tools });
  rawMs.on('text', (t) => rawSeen.push(`text:${t}`));
  rawMs.on('inputJson', (partial) => rawSeen.push(`json:${partial}`));
  const rawFinal = await rawMs.finalMessage();

  expect(seen).toEqual(rawSeen);
  expect(sameButIds(final)).toEqual(sameButIds(rawFinal));
  expect(h.capture.events).toHaveLength(1);
  expect(h.capture.events[0]).toEqual(
    expect.objectContaining({
      provider_response_id: final.id,
      units: { text: { input: final.usage.input_tokens, output: final.usage.output_tokens } },
      properties: { 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' },
      provider_response_function_calls: [{ name: 'lookup', arguments: JSON.stringify(final.content[1].type === 'tool_use' ? final.content[1].input : null) }],
    }),
  );
});

test('breaking out of the loop early records an abandoned stream with the input side of usage', async () => {
  const stream = await h.makeClient().messages.create({ ...body, stream: true });
  let first: Anthropic.RawMessageStreamEvent | undefined;
  for await (const e of stream) {
    first = e;
    break;
  }
  await shutdown();
  const start = first as Anthropic.RawMessageStartEvent;
  expect(h.capture.events).toEqual([
    expect.objectContaining({
      provider_response_id: start.message.id,
      units: { text: { input: start.message.usage.input_tokens, output: start.message.usage.output_tokens } },
      // nothing generated was received: message_start's counts are all that is known
      properties: { 'system.stream_outcome': 'abandoned', 'system.usage_source': 'reported' },
      http_status_code: 200,
    }),
  ]);
});

test('controller.abort() mid-stream ends the loop quietly, as without instrumentation, and is recorded as abandoned', async () => {
  const stream = await h.makeClient().messages.create({ ...body, stream: true }, scenario('slow'));
  const types: string[] = [];
  for await (const e of stream) {
    types.push(e.type);
    if (e.type === 'content_block_delta') stream.controller.abort();
  }
  await shutdown();
  expect(types[types.length - 1]).toBe('content_block_delta');
  // text was received after message_start: its output is estimated from that text (issue 11 item 6)
  expect(h.capture.events).toEqual([expect.objectContaining({ properties: { 'system.stream_outcome': 'abandoned', 'system.usage_source': 'estimated' } })]);
});

test('MessageStream.abort() rejects finalMessage() with the SDK error and records an abandoned stream', async () => {
  const ms = h.makeClient().messages.stream(body, scenario('slow'));
  ms.on('text', () => ms.abort());
  const err = await ms.finalMessage().catch((e: unknown) => e);
  await shutdown();
  expect((err as Error).constructor.name).toBe('APIUserAbortError');
  expect(h.capture.events).toEqual([expect.objectContaining({ properties: { 'system.stream_outcome': 'abandoned', 'system.usage_source': 'estimated' } })]);
});

test('a dropped connection: the events before it reach the caller (nothing buffered), then the same error as without instrumentation; recorded as failed with 299', async () => {
  const run = async (client: Anthropic): Promise<{ err: unknown; types: string[] }> => {
    const types: string[] = [];
    try {
      for await (const e of await client.messages.create({ ...body, stream: true }, scenario('drop-stream'))) types.push(e.type);
    } catch (err) {
      return { err, types };
    }
    return { err: undefined, types };
  };
  const got = await run(h.makeClient());
  await shutdown();
  const raw = await run(h.makeClient());
  expect(got.types).toEqual(raw.types);
  expect(got.types).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
  expect((got.err as Error).constructor).toBe((raw.err as Error).constructor);
  expect((got.err as Error).message).toBe((raw.err as Error).message);
  expect(h.capture.events).toEqual([
    expect.objectContaining({
      http_status_code: 299,
      // message_start said output 1; the text received before the drop is more, so output is estimated from it
      units: { text: { input: expect.any(Number), output: expect.any(Number) } },
      properties: {
        'system.usage_source': 'estimated',
        'system.stream_outcome': 'failed',
        'system.failure': (got.err as Error).constructor.name,
        'system.failure.description': (got.err as Error).message,
      },
    }),
  ]);
});

test('an error event inside the stream reaches the caller as the SDK APIError and is recorded as failed', async () => {
  let caught: unknown;
  try {
    for await (const _ of await h.makeClient().messages.create({ ...body, stream: true }, scenario('stream-error'))) void _;
  } catch (err) {
    caught = err;
  }
  await shutdown();
  expect((caught as Error).constructor.name).toBe('APIError');
  expect(h.capture.events[0].properties).toEqual({
    'system.usage_source': 'estimated',
    'system.stream_outcome': 'failed',
    'system.failure': 'APIError',
    'system.failure.description': (caught as Error).message,
  });
});

test('tee() of an instrumented stream gives both readers every event, recorded once', async () => {
  const stream = await h.makeClient().messages.create({ ...body, stream: true });
  const [a, b] = stream.tee();
  const [ea, eb] = await Promise.all([collect(a), collect(b)]);
  await shutdown();
  expect(ea).toEqual(eb);
  expect(ea[ea.length - 1].type).toBe('message_stop');
  expect(h.capture.events).toHaveLength(1);
  expect(h.capture.events[0].properties).toEqual({ 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' });
});

test('logging off: the event has no prompt or response, a prompt logger still gets both, and the first-token times are kept', async () => {
  await shutdown();
  const logged: Record<string, string>[] = [];
  payiInstrument({ payi: h.capture, logger: pino({ level: 'silent' }), useCaseName: null, logPromptAndResponse: false, promptAndResponseLogger: (_id, data) => void logged.push(data) });
  const events = await collect(await h.makeClient().messages.create({ ...body, stream: true }));
  await shutdown();
  payiInstrument({ payi: h.capture, logger: pino({ level: 'silent' }), useCaseName: null, logPromptAndResponse: false });
  await collect(await h.makeClient().messages.create({ ...body, stream: true }));
  await shutdown();
  expect(h.capture.events).toHaveLength(2);
  for (const e of h.capture.events) {
    expect(e).not.toHaveProperty('provider_request_json');
    expect(e).not.toHaveProperty('provider_response_json');
    expect(e).toMatchObject({ time_to_first_token_ms: expect.any(Number), time_to_first_completion_token_ms: expect.any(Number), units: { text: { input: expect.any(Number), output: expect.any(Number) } } });
  }
  expect(logged).toEqual([{ provider_request_json: JSON.stringify({ ...body, stream: true }), provider_response_json: JSON.stringify(events), provider_response_id: (events[0] as Anthropic.RawMessageStartEvent).message.id }]);
});
