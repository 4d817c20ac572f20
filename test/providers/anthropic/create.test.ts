import pino from 'pino';
import { flush, payiInstrument, shutdown } from '../../../src/instrument';
import type { Standin } from '../../../samples/standin/server';
import { anthropicStandin, captureClient, responseHeaderPairs, timing, type CaptureClient } from './support';
import type Anthropic from '@anthropic-ai/sdk';

let standin: Standin;
let makeClient: Awaited<ReturnType<typeof anthropicStandin>>['client'];
let capture: CaptureClient;

beforeAll(async () => {
  ({ standin, client: makeClient } = await anthropicStandin());
});
afterAll(() => standin.close());
beforeEach(() => {
  capture = captureClient();
  payiInstrument({ payi: capture, logger: pino({ level: 'silent' }), useCaseName: null });
});
afterEach(() => shutdown());

const body = { model: 'claude-opus-4-6', max_tokens: 256, messages: [{ role: 'user' as const, content: 'What is the capital of France?' }] };

test('messages.create returns the same message as without instrumentation, and one event describes it', async () => {
  const client = makeClient();
  const { data: message, response, request_id } = await client.messages.create(body).withResponse();
  await shutdown();
  const raw = await makeClient().messages.create(body);
  expect({ ...raw, id: message.id }).toEqual(message);
  expect(capture.events).toEqual([
    {
      category: 'system.anthropic',
      resource: 'claude-opus-4-6',
      units: { text: { input: message.usage.input_tokens, output: message.usage.output_tokens } },
      ...timing,
      http_status_code: 200,
      provider_response_id: message.id,
      provider_uri: standin.url,
      provider_request_json: JSON.stringify(body),
      provider_response_json: JSON.stringify(message),
      provider_response_headers: responseHeaderPairs(response.headers),
    },
  ]);
  expect(request_id).toMatch(/^req_standin_/);
});
