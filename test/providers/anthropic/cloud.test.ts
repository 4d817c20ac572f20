import type Anthropic from '@anthropic-ai/sdk';
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import pino from 'pino';
import { anthropicVertexRoute } from '../../../samples/standin/anthropic-vertex';
import { bedrockRoute } from '../../../samples/standin/bedrock';
import { startStandin, type Standin } from '../../../samples/standin/server';
import { payiInstrument, shutdown } from '../../../src/instrument';
import { trackContext } from '../../../src/context/scope';
import { CaptureClient } from '../../support/capture-client';
import { responseHeaderPairs, sameButIds, timing } from './support';

let standin: Standin;
let capture: CaptureClient;
beforeAll(async () => {
  standin = await startStandin([anthropicVertexRoute, bedrockRoute]);
});
afterAll(() => standin.close());
beforeEach(() => {
  capture = new CaptureClient();
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: null });
});
afterEach(() => shutdown());

// a Google auth client that needs no credentials (the stand-in does not check the token)
const authClient = { projectId: 'proj', getRequestHeaders: async () => new Headers({ authorization: 'Bearer test' }) } as unknown as ConstructorParameters<typeof AnthropicVertex>[0] extends infer O ? (O extends { authClient?: infer A } ? A : never) : never;
const vertex = (): AnthropicVertex => new AnthropicVertex({ region: 'us-east5', projectId: 'proj', authClient, baseURL: standin.url, maxRetries: 0 });
const bedrock = (): AnthropicBedrock => new AnthropicBedrock({ awsAccessKey: 'AKIDTEST', awsSecretKey: 'test', awsRegion: 'us-east-1', baseURL: standin.url, maxRetries: 0 });
const VERTEX_MODEL = 'claude-sonnet-4-5@20250929';
const BEDROCK_MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const sameIds = (x: unknown): unknown => sameButIds(JSON.parse(JSON.stringify(x).replace(/msg_bdrk_standin_\d+/g, 'msg_bdrk_ID')));
const body = (model: string) => ({ model, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello from the cloud' }] });

async function collect(stream: AsyncIterable<Anthropic.RawMessageStreamEvent>): Promise<Anthropic.RawMessageStreamEvent[]> {
  const out: Anthropic.RawMessageStreamEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

test('AnthropicVertex messages.create: category system.google.vertex, resource anthropic.<model>, the message unchanged', async () => {
  const { data: message, response } = await vertex().messages.create(body(VERTEX_MODEL)).withResponse();
  await shutdown();
  const raw = await vertex().messages.create(body(VERTEX_MODEL));
  expect(sameIds(message)).toEqual(sameIds(raw));
  expect(capture.events).toEqual([
    {
      category: 'system.google.vertex',
      resource: `anthropic.${VERTEX_MODEL}`,
      units: { text: { input: message.usage.input_tokens, output: message.usage.output_tokens } },
      ...timing,
      http_status_code: 200,
      provider_response_id: message.id,
      provider_uri: standin.url,
      provider_request_json: JSON.stringify(body(VERTEX_MODEL)),
      provider_response_json: JSON.stringify(message),
      provider_response_headers: responseHeaderPairs(response.headers),
    },
  ]);
});

test('AnthropicVertex stream: the same events as the raw client, stream_outcome completed; an early break is abandoned', async () => {
  const events = await collect(await vertex().messages.create({ ...body(VERTEX_MODEL), stream: true }));
  for await (const _ of await vertex().messages.create({ ...body(VERTEX_MODEL), stream: true })) break;
  await shutdown();
  const raw = await collect(await vertex().messages.create({ ...body(VERTEX_MODEL), stream: true }));
  expect(sameIds(events)).toEqual(sameIds(raw));
  expect(capture.events.map((e) => [e.category, e.resource, e.properties])).toEqual([
    ['system.google.vertex', `anthropic.${VERTEX_MODEL}`, { 'system.stream_outcome': 'completed' }],
    ['system.google.vertex', `anthropic.${VERTEX_MODEL}`, { 'system.stream_outcome': 'abandoned' }],
  ]);
  const start = events[0] as Anthropic.RawMessageStartEvent;
  const delta = events.find((e) => e.type === 'message_delta') as Anthropic.RawMessageDeltaEvent;
  expect(capture.events[0]!.units).toEqual({ text: { input: start.message.usage.input_tokens, output: delta.usage.output_tokens } });
});

test('AnthropicBedrock messages.create: category system.aws.bedrock, resource = the Bedrock model id', async () => {
  const { data: message, response } = await bedrock().messages.create(body(BEDROCK_MODEL)).withResponse();
  await shutdown();
  expect(standin.requests.at(-1)!.url).toBe(`/model/${encodeURIComponent(BEDROCK_MODEL)}/invoke`.replace('%3A', ':'));
  expect(capture.events).toEqual([
    {
      category: 'system.aws.bedrock',
      resource: BEDROCK_MODEL,
      units: { text: { input: message.usage.input_tokens, output: message.usage.output_tokens } },
      ...timing,
      http_status_code: 200,
      provider_response_id: message.id,
      provider_uri: standin.url,
      provider_request_json: JSON.stringify(body(BEDROCK_MODEL)),
      provider_response_json: JSON.stringify(message),
      provider_response_headers: responseHeaderPairs(response.headers),
    },
  ]);
});

test('AnthropicBedrock stream (AWS event stream): events unchanged, usage of both ends, completed', async () => {
  const events = await collect(await bedrock().messages.create({ ...body(BEDROCK_MODEL), stream: true }));
  await shutdown();
  const raw = await collect(await bedrock().messages.create({ ...body(BEDROCK_MODEL), stream: true }));
  expect(sameIds(events)).toEqual(sameIds(raw));
  const start = events[0] as Anthropic.RawMessageStartEvent;
  const delta = events.find((e) => e.type === 'message_delta') as Anthropic.RawMessageDeltaEvent;
  expect(capture.events).toEqual([
    expect.objectContaining({
      category: 'system.aws.bedrock',
      resource: BEDROCK_MODEL,
      units: { text: { input: start.message.usage.input_tokens, output: delta.usage.output_tokens } },
      properties: { 'system.stream_outcome': 'completed' },
    }),
  ]);
});

test("instruments chooses the client: ['anthropic'] leaves the cloud clients alone, ['system.aws.bedrock'] records AnthropicBedrock only", async () => {
  await shutdown();
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: null, instruments: ['anthropic'] });
  await vertex().messages.create(body(VERTEX_MODEL));
  await bedrock().messages.create(body(BEDROCK_MODEL));
  await shutdown();
  expect(capture.events).toEqual([]);
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: null, instruments: ['system.aws.bedrock'] });
  await trackContext({ useCaseName: 'cloud', userId: 'u1' }, async () => {
    await vertex().messages.create(body(VERTEX_MODEL));
    await bedrock().messages.create(body(BEDROCK_MODEL));
  });
  await shutdown();
  expect(capture.events.map((e) => [e.category, e.use_case_name, e.user_id])).toEqual([['system.aws.bedrock', 'cloud', 'u1']]);
});

test('an AnthropicBedrock error (HTTP 429 ThrottlingException) reaches the caller unchanged and is recorded with its status', async () => {
  const model = 'anthropic.claude-throttle-v1:0';
  const error = await bedrock().messages.create(body(model)).catch((e: unknown) => e);
  await shutdown();
  const raw = await bedrock().messages.create(body(model)).catch((e: unknown) => e);
  expect((error as { status?: number }).status).toBe(429);
  expect((error as Error).constructor).toBe((raw as Error).constructor);
  expect(capture.events).toEqual([expect.objectContaining({ category: 'system.aws.bedrock', resource: model, http_status_code: 429, units: {} })]);
});
