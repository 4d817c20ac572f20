import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { anthropicRoute } from '../../samples/standin/anthropic';
import { openaiRoute, openaiStandinUsage } from '../../samples/standin/openai';
import { type Standin, startStandin } from '../../samples/standin/server';
import { call, startTestCollector } from './support';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
let standin: Standin;
beforeEach(async () => {
  c = await startTestCollector();
  standin = await startStandin([openaiRoute, anthropicRoute]);
});
afterEach(async () => {
  await c.close();
  await standin.close();
});

const rows = (): Record<string, any>[] => c.db.prepare('SELECT * FROM events ORDER BY id').all() as Record<string, any>[];

function openai(headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({
    apiKey: 'sk-test',
    baseURL: `${c.url}/api/v1/proxy/openai/v1`,
    maxRetries: 0,
    defaultHeaders: { 'xProxy-Provider-BaseUri': standin.url, ...headers },
  });
}

const messages = [{ role: 'user' as const, content: 'Say hello to the proxy please' }];

describe('proxy route /api/v1/proxy/openai/v1', () => {
  test("a real openai client gets the stand-in's JSON answer, and the call is metered", async () => {
    const client = openai({ 'xProxy-UseCase-Name': 'chat', 'xProxy-User-ID': 'u1' });
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    expect(data.choices[0]?.message.content).toBe('Stand-in reply: Say hello to the proxy please');
    expect(data.id).toMatch(/^chatcmpl-/);
    const requestId = response.headers.get('xproxy-request-id');
    expect((data as unknown as { xproxy_result: { request_id: string } }).xproxy_result.request_id).toBe(requestId);

    const usage = openaiStandinUsage({ model: 'gpt-4o-mini', messages });
    const [row] = rows();
    expect(row).toMatchObject({
      request_id: requestId,
      source: 'proxy',
      category: 'system.openai',
      resource: 'gpt-4o-mini',
      provider_response_id: data.id,
      http_status_code: 200,
      use_case_name: 'chat',
      user_id: 'u1',
      input_tokens: usage.prompt,
      output_tokens: usage.completion,
    });
    expect(row?.cost_total).toBeCloseTo(usage.prompt * 0.15e-6 + usage.completion * 0.6e-6, 12);
    // the stand-in saw the caller's own auth, and none of the xProxy-* headers
    const seen = standin.requests[0];
    expect(seen?.headers.authorization).toBe('Bearer sk-test');
    expect(Object.keys(seen?.headers ?? {}).filter((h) => h.startsWith('xproxy-'))).toEqual([]);
  });

  test('a stream passes through chunk by chunk without the usage chunk the proxy asked for, and is metered', async () => {
    const client = openai({ 'xProxy-Limit-IDs': 'team' });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.choices.length).toBeGreaterThan(0);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toBe('Stand-in reply: Say hello to the proxy please');
    expect((standin.requests[0]?.json as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
    const usage = openaiStandinUsage({ model: 'gpt-4o-mini', messages });
    const [row] = rows();
    expect(row).toMatchObject({ input_tokens: usage.prompt, output_tokens: usage.completion, resource: 'gpt-4o-mini', limit_ids_json: '["team"]', usage_source: 'reported' });
    expect(JSON.parse(row?.properties_json)).toEqual({ 'system.stream_outcome': 'completed' });
    expect(row?.time_to_first_token_ms).toEqual(expect.any(Number));
  });

  test('a stream where the caller asked for usage keeps the usage chunk', async () => {
    const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
    let usageChunks = 0;
    for await (const chunk of stream) if (chunk.usage) usageChunks++;
    expect(usageChunks).toBe(1);
    expect(rows()[0]?.input_tokens).toBeGreaterThan(0);
  });

  test('a stream reaches the caller before it ends; a caller that stops early is recorded as abandoned', async () => {
    const abort = new AbortController();
    const res = await fetch(`${c.url}/api/v1/proxy/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', 'xProxy-Provider-BaseUri': standin.url, 'x-standin-scenario': 'slow' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await reader.read().catch(() => undefined);
    // the event is written when the proxy notices the closed connection
    while (rows().length === 0) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(rows()[0]?.properties_json)).toEqual({ 'system.stream_outcome': 'abandoned' });
  });

  test('a provider error reaches the caller unchanged and is recorded with its status', async () => {
    const client = openai();
    const err = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-standin-scenario': 'error-429' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(rows()[0]).toMatchObject({ http_status_code: 429, cost_total: 0 });
  });

  test('a call naming a blocked limit gets 424 and never reaches the provider', async () => {
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'tiny', max: 0.0000001, limit_type: 'block', limit_id: 'tiny' });
    const client = openai({ 'xProxy-Limit-IDs': 'tiny' });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages }); // spends past max
    const spent = (await call(c.url, 'GET', '/api/v1/limits/tiny')).body.limit.totals;
    expect(spent.cost.total.base).toBeGreaterThan(0.0000001);
    expect(spent.requests).toMatchObject({ blocked: 1, total: 1 });
    const err = (await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(424);
    const raw = await call(c.url, 'POST', '/api/v1/proxy/openai/v1/chat/completions', { model: 'gpt-4o-mini', messages }, { 'xProxy-Provider-BaseUri': standin.url, 'xProxy-Limit-IDs': 'tiny' });
    expect(raw.status).toBe(424);
    const message = 'limit "tiny" is blocked: its spend reached its max; the call was not forwarded';
    expect(raw.body).toEqual({ message, statusCode: 424, xproxy_error: { code: 'limit_blocked', message }, xproxy_result: { blocked_limit_ids: ['tiny'], limits: { tiny: { state: 'blocked' } } } });
    expect(standin.requests).toHaveLength(1);
    expect(rows()).toHaveLength(1);
  });

  test('an unreachable provider gets 502 with the reason', async () => {
    const r = await call(c.url, 'POST', '/api/v1/proxy/openai/v1/chat/completions', { model: 'gpt-4o' }, { 'xProxy-Provider-BaseUri': 'http://127.0.0.1:1' });
    expect(r.status).toBe(502);
    expect(r.body.xproxy_error.code).toBe('provider_unreachable');
  });

  test('a bad xProxy-Provider-BaseUri gets 400 naming the header', async () => {
    const r = await call(c.url, 'POST', '/api/v1/proxy/openai/v1/chat/completions', { model: 'gpt-4o' }, { 'xProxy-Provider-BaseUri': 'ftp://x' });
    expect(r.status).toBe(400);
    expect(r.body.xproxy_error.message).toBe('header xProxy-Provider-BaseUri "ftp://x" is not an http(s) URL');
  });
});

describe('proxy route /api/v1/proxy/anthropic', () => {
  test('a real Anthropic client streams through the proxy and the call is metered with its units', async () => {
    const client = new Anthropic({
      apiKey: 'sk-ant-test',
      baseURL: `${c.url}/api/v1/proxy/anthropic`,
      maxRetries: 0,
      defaultHeaders: { 'xProxy-Provider-BaseUri': standin.url, 'xProxy-UseCase-Name': 'summarize' },
    });
    const stream = client.messages.stream({ model: 'claude-opus-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Summarize the proxy' }] });
    const final = await stream.finalMessage();
    const [row] = rows();
    expect(row).toMatchObject({
      category: 'system.anthropic',
      resource: 'claude-opus-4-5',
      provider_response_id: final.id,
      input_tokens: final.usage.input_tokens,
      output_tokens: final.usage.output_tokens,
      use_case_name: 'summarize',
      price_version: expect.stringMatching(/^genai-prices@/),
    });
    expect(row?.cost_total).toBeCloseTo(final.usage.input_tokens * 5e-6 + final.usage.output_tokens * 25e-6, 12);
  });
});
