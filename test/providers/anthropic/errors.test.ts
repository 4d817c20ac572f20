import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { shutdown } from '../../../src/instrument';
import { responseHeaderPairs, timing, anthropicHarness } from './support';

const h = anthropicHarness();

const MODEL = 'claude-opus-4-6';
const body = { model: MODEL, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello' }] };

async function failure(p: PromiseLike<unknown>): Promise<APIError> {
  try {
    await p;
  } catch (err) {
    return err as APIError;
  }
  throw new Error('expected the call to fail');
}
const noIds = (x: unknown): unknown => (x === undefined ? x : JSON.parse(JSON.stringify(x).replace(/req_standin_\d+/g, 'ID')));
const view = (e: APIError) => ({ class: e.constructor, status: e.status, error: noIds(e.error), message: noIds(e.message) });

test.each([
  [400, 'BadRequestError'],
  [429, 'RateLimitError'],
  [500, 'InternalServerError'],
  [529, 'OverloadedError'],
])('a provider %i reaches the caller unchanged (%s) and the event records the status and request id', async (status, className) => {
  const headers = { 'x-standin-scenario': `error-${status}` };
  const err = await failure(h.makeClient().messages.create(body, { headers }));
  await shutdown();
  const raw = await failure(h.makeClient().messages.create(body, { headers }));
  expect(view(err)).toEqual(view(raw));
  expect(err.constructor.name).toBe(className);
  expect(err.requestID).toMatch(/^req_standin_/);
  expect(h.capture.events).toEqual([
    {
      category: 'system.anthropic',
      resource: MODEL,
      units: {},
      ...timing,
      http_status_code: status,
      provider_response_id: err.requestID,
      provider_uri: h.standin.url,
      properties: { 'system.usage_source': 'missing' },
      provider_request_json: JSON.stringify(body),
      provider_response_json: JSON.stringify(err.error),
      provider_response_headers: responseHeaderPairs(err.headers as Headers),
      provider_request_headers: [{ name: 'x-standin-scenario', value: `error-${status}` }],
    },
  ]);
});

test('a streamed call refused with 500 throws the same error before any stream, recorded with its status', async () => {
  const headers = { 'x-standin-scenario': 'error-500' };
  const err = await failure(h.makeClient().messages.create({ ...body, stream: true }, { headers }));
  expect(err).toBeInstanceOf(Anthropic.InternalServerError);
  await shutdown();
  expect(h.capture.events).toEqual([expect.objectContaining({ http_status_code: 500, provider_response_id: err.requestID, units: {} })]);
  expect(h.capture.events[0].properties).toEqual({ 'system.usage_source': 'missing' });
});

test('a connection error reaches the caller unchanged and is recorded as 299 with system.failure', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((r) => closed.close(() => r()));
  const client = new Anthropic({ apiKey: 'k', baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 });

  const err = await failure(client.messages.create(body));
  await shutdown();
  const raw = await failure(new Anthropic({ apiKey: 'k', baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 }).messages.create(body));
  expect(err).toBeInstanceOf(Anthropic.APIConnectionError);
  expect(view(err)).toEqual(view(raw));
  expect(h.capture.events).toEqual([
    {
      category: 'system.anthropic',
      resource: MODEL,
      units: {},
      ...timing,
      http_status_code: 299,
      provider_response_id: expect.stringMatching(/^payi_[0-9a-f-]{36}$/),
      provider_uri: `http://127.0.0.1:${port}`,
      provider_request_json: JSON.stringify(body),
      properties: { 'system.failure': 'APIConnectionError', 'system.failure.description': err.message, 'system.usage_source': 'missing' },
    },
  ]);
});

test('a request without max_tokens gets the provider 400, recorded', async () => {
  const err = await failure(h.makeClient().messages.create({ model: MODEL, messages: body.messages } as unknown as Anthropic.MessageCreateParamsNonStreaming));
  await shutdown();
  expect(err.status).toBe(400);
  expect(err.message).toContain('max_tokens: Field required');
  expect(h.capture.events[0].http_status_code).toBe(400);
});
