import { BedrockRuntime, BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { PayiLimitBlockedError } from '../../../src/errors';
import { trackContext } from '../../../src/context/scope';
import { flush, payiInstrument, shutdown } from '../../../src/instrument';
import * as units from '../../../providers/bedrock/units';
import { ConverseStreamAccumulator } from '../../../providers/bedrock/stream-state';
import { bedrockRoute } from '../../../samples/standin/bedrock';
import { startStandin, type Standin } from '../../../samples/standin/server';
import { bedrockClient, captureClient, collect, normalise, NOVA, silent, startBedrockStandin, type CaptureClient } from './support';

let standin: Standin;
let capture: CaptureClient;

beforeAll(async () => {
  standin = await startBedrockStandin();
});
afterAll(async () => {
  await standin.close();
});
beforeEach(() => {
  capture = captureClient();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await shutdown();
});

const converse = (): ConverseCommand => new ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Say hello' }] }] });

test('clients created before and after payiInstrument(), and the BedrockRuntime aggregate client, are all recorded', async () => {
  const before = bedrockClient(standin);
  payiInstrument({ payi: capture, logger: silent, instruments: ['bedrock'] });
  const after = bedrockClient(standin);
  const aggregate = new BedrockRuntime({ region: 'us-east-1', endpoint: standin.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, requestHandler: before.config.requestHandler });
  const outs = [await before.send(converse()), await after.send(converse()), await aggregate.converse({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Say hello' }] }] })];
  await flush();

  expect(capture.events.map((e) => e.provider_response_id)).toEqual(outs.map((o) => o.$metadata.requestId));
  before.destroy();
  after.destroy();
});

test('the callback form of send() gets the result and the call is recorded', async () => {
  const client = bedrockClient(standin);
  payiInstrument({ payi: capture, logger: silent, instruments: ['bedrock'] });
  const out = await new Promise<ConverseCommandOutput>((resolve, reject) => client.send(converse(), (err: unknown, data?: ConverseCommandOutput) => (err ? reject(err) : resolve(data!))));
  await flush();

  expect(out.output?.message?.content?.[0]?.text).toBe('Hello from the Bedrock stand-in.');
  expect(capture.events.map((e) => e.provider_response_id)).toEqual([out.$metadata.requestId]);
  client.destroy();
});

test('shutdown() restores send and removes the middleware: later calls send no event', async () => {
  const client = bedrockClient(standin);
  payiInstrument({ payi: capture, logger: silent, instruments: ['bedrock'] });
  await client.send(converse());
  await flush();
  expect(Object.prototype.hasOwnProperty.call(BedrockRuntimeClient.prototype, 'send')).toBe(true);
  await shutdown();

  expect(Object.prototype.hasOwnProperty.call(BedrockRuntimeClient.prototype, 'send')).toBe(false);
  expect(client.middlewareStack.identify().some((m) => m.includes('payi'))).toBe(false);
  await client.send(converse());
  expect(capture.events).toHaveLength(1);
  client.destroy();
});

test('with globalInstrumentation off, only calls inside a scope are recorded, with the scope attribution', async () => {
  const client = bedrockClient(standin);
  payiInstrument({ payi: capture, logger: silent, instruments: ['bedrock'], globalInstrumentation: false });
  await client.send(converse());
  await trackContext({ useCaseName: 'summaries', userId: 'u-7', limitIds: ['monthly'] }, () => client.send(converse()));
  await flush();

  expect(capture.events).toHaveLength(1);
  expect(capture.events[0]).toMatchObject({ use_case_name: 'summaries', user_id: 'u-7', limit_ids: ['monthly'] });
  client.destroy();
});

describe('proxy mode', () => {
  let payi: Standin;
  beforeAll(async () => {
    // The Pay-i side: answers the proxied path the way the provider would.
    payi = await startStandin([(req, res, s) => req.url.startsWith('/api/v1/proxy/aws.bedrock/') && bedrockRoute({ ...req, url: req.url.slice('/api/v1/proxy/aws.bedrock'.length) }, res, s)]);
  });
  afterAll(async () => {
    await payi.close();
  });

  test.each([
    ['proxy: true', { proxy: true }, {}],
    ['a scope with proxy: true', {}, { proxy: true }],
  ])('%s sends the call to {baseUrl}/api/v1/proxy/aws.bedrock with the xProxy headers and ingests nothing', async (_name, global, scope) => {
    const client = bedrockClient(standin);
    payiInstrument({ payi: capture, logger: silent, instruments: ['bedrock'], apiKey: 'payi-test-key', baseUrl: `${payi.url}/`, ...global });
    const providerRequests = standin.requests.length;
    const out = await trackContext({ ...scope, useCaseName: 'proxied', userId: 'u-1', requestTags: ['t1'] }, () => client.send(converse()));
    const stream = await trackContext({ ...scope }, () => client.send(new ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Say hello' }] }] })));
    const events = await collect(stream.stream);
    await flush();

    expect(out.output?.message?.content?.[0]?.text).toBe('Hello from the Bedrock stand-in.');
    expect(events.length).toBeGreaterThan(3);
    expect(standin.requests.length).toBe(providerRequests);
    const got = payi.requests.slice(-2);
    expect(got.map((r) => r.url)).toEqual(['/api/v1/proxy/aws.bedrock/model/amazon.nova-lite-v1%3A0/converse', '/api/v1/proxy/aws.bedrock/model/amazon.nova-lite-v1%3A0/converse-stream']);
    expect(got[0]!.headers).toMatchObject({
      host: new URL(payi.url).host,
      'xproxy-provider-baseuri': standin.url,
      'xproxy-api-key': 'payi-test-key',
      'xproxy-usecase-name': 'proxied',
      'xproxy-user-id': 'u-1',
      'xproxy-request-tags': 't1',
      authorization: expect.stringContaining('AWS4-HMAC-SHA256'),
    });
    expect(got[0]!.headers['xproxy-usecase-id']).toEqual(expect.any(String));
    expect(capture.events).toEqual([]);
    client.destroy();
  });
});

test('enforceLimits: a call whose limit is blocked rejects with PayiLimitBlockedError and never reaches Bedrock', async () => {
  const client = bedrockClient(standin);
  capture.limitStates = { monthly: { state: 'blocked' } }; // batched mode reads it with GET /api/v1/limits/monthly
  payiInstrument({ payi: capture, logger: silent, instruments: ['bedrock'], enforceLimits: true, limitIds: ['monthly'] });
  await client.send(converse());
  await flush();
  const before = standin.requests.length;

  const err = await client.send(converse()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PayiLimitBlockedError);
  expect((err as PayiLimitBlockedError).limitIds).toEqual(['monthly']);
  expect(standin.requests.length).toBe(before);
  client.destroy();
});

test('an adapter hook that throws does not change the result, for a response and for a stream', async () => {
  const client = bedrockClient(standin);
  const raw = await client.send(converse());
  const rawEvents = await collect((await client.send(new ConverseStreamCommand(converse().input))).stream);
  payiInstrument({ payi: capture, logger: silent, instruments: ['bedrock'] });
  const unitsSpy = jest.spyOn(units, 'converseUnits').mockImplementation(() => {
    throw new Error('adapter bug');
  });
  const addSpy = jest.spyOn(ConverseStreamAccumulator.prototype, 'add').mockImplementation(() => {
    throw new Error('adapter bug');
  });
  capture.ingest.bulk = async () => {
    throw new Error('ingest down');
  };

  const out = await client.send(converse());
  const events = await collect((await client.send(new ConverseStreamCommand(converse().input))).stream);
  await flush();

  expect(unitsSpy).toHaveBeenCalled();
  expect(addSpy).toHaveBeenCalled();
  expect(normalise(out)).toEqual(normalise(raw));
  expect(normalise(events)).toEqual(normalise(rawEvents));
  client.destroy();
});

test('inline ingest: the event is sent before the result returns, and the result carries xproxy_result', async () => {
  const client = bedrockClient(standin);
  capture.answer = () => ({ request_id: 'payi-req-1' });
  payiInstrument({ payi: capture, logger: silent, instruments: ['bedrock'], ingest: { mode: 'inline' } });
  const out = (await client.send(converse())) as ConverseCommandOutput & { xproxy_result?: unknown };

  expect(capture.events).toHaveLength(1);
  expect(out.xproxy_result).toEqual({ request_id: 'payi-req-1' });
  client.destroy();
});
