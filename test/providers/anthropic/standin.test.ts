import { anthropicRoute, standinTokens } from '../../../samples/standin/anthropic';
import { startStandin, type Standin } from '../../../samples/standin/server';

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin([anthropicRoute]);
});
afterAll(() => standin.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${standin.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const body = { model: 'claude-opus-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'one two three four' }] };

test('the stand-in streams the SSE framing of the real API, ping included', async () => {
  const text = await (await post({ ...body, stream: true })).text();
  const names = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
  expect(names[0]).toBe('message_start');
  expect(names[1]).toBe('ping');
  expect(names.slice(-2)).toEqual(['message_delta', 'message_stop']);
  expect(text).toContain('data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta"');
});

test('token counts are derived from the prompt: ceil(characters / 4)', async () => {
  const json = (await (await post(body)).json()) as { usage: { input_tokens: number; output_tokens: number }; content: { text: string }[] };
  expect(json.usage.input_tokens).toBe(standinTokens('one two three four'));
  expect(json.content[0].text).toBe('Stand-in reply: one two three four');
  expect(json.usage.output_tokens).toBe(standinTokens('Stand-in reply: one two three four'));
});

test('forced errors answer with Anthropic error bodies and a request-id header', async () => {
  const res = await post(body, { 'x-standin-scenario': 'error-529' });
  expect(res.status).toBe(529);
  const requestId = res.headers.get('request-id');
  expect(requestId).toMatch(/^req_standin_\d+$/);
  expect(await res.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'stand-in: forced error-529' }, request_id: requestId });
});
