import '../support/undici-global';
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { GoogleGenAI } from '@google/genai';
import { AzureOpenAI } from 'openai';
import { anthropicVertexRoute } from '../../samples/standin/anthropic-vertex';
import { geminiRoute } from '../../samples/standin/gemini';
import { openaiRoute } from '../../samples/standin/openai';
import { type Standin, startStandin } from '../../samples/standin/server';
import { matchPath } from '../wire/openapi';
import { call, startTestCollector } from './support';

/** The collector's proxy routes for google.vertex and azure.openai, with the real provider SDKs. */
type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
let standin: Standin;
beforeEach(async () => {
  c = await startTestCollector();
  standin = await startStandin([geminiRoute, anthropicVertexRoute, openaiRoute]);
});
afterEach(async () => {
  await c.close();
  await standin.close();
});

const rows = (): Record<string, any>[] => c.db.prepare('SELECT * FROM events ORDER BY id').all() as Record<string, any>[];
const MODEL = 'gemini-2.5-flash';

function gemini(): GoogleGenAI {
  return new GoogleGenAI({
    vertexai: true,
    apiKey: 'vx-key',
    httpOptions: { baseUrl: `${c.url}/api/v1/proxy/google.vertex`, headers: { 'xProxy-Provider-BaseUri': standin.url, 'xProxy-UseCase-Name': 'gemini_proxy' } },
  });
}

test('google.vertex: a Gemini generateContent and stream pass through and are metered as system.google.vertex / google.<model>', async () => {
  const response = await gemini().models.generateContent({ model: MODEL, contents: 'Hello through the proxy' });
  const chunks = [];
  for await (const chunk of await gemini().models.generateContentStream({ model: MODEL, contents: 'Hello through the proxy' })) chunks.push(chunk);
  expect(response.text).toBe('Stand-in reply: Hello through the proxy');
  expect(chunks.map((x) => x.text).join('')).toBe(response.text);
  expect(standin.requests.map((r) => r.url)).toEqual([`/v1beta1/publishers/google/models/${MODEL}:generateContent`, `/v1beta1/publishers/google/models/${MODEL}:streamGenerateContent?alt=sse`]);
  expect(Object.keys(standin.requests[0]!.headers).filter((h) => h.startsWith('xproxy-'))).toEqual([]);
  const u = response.usageMetadata!;
  const [json, stream] = rows();
  for (const row of [json, stream]) {
    expect(row).toMatchObject({ source: 'proxy', category: 'system.google.vertex', resource: `google.${MODEL}`, use_case_name: 'gemini_proxy', input_tokens: u.promptTokenCount, output_tokens: u.candidatesTokenCount, http_status_code: 200 });
  }
  expect(json?.provider_response_id).toBe(response.responseId);
  expect(JSON.parse(stream?.properties_json)).toEqual({ 'system.stream_outcome': 'completed' });
});

test('google.vertex: Claude on Vertex AI (rawPredict) is metered with Anthropic usage and resource anthropic.<model>', async () => {
  const authClient = { projectId: 'proj', getRequestHeaders: async () => new Headers({ authorization: 'Bearer test' }) };
  const client = new AnthropicVertex({
    region: 'us-east5',
    projectId: 'proj',
    authClient: authClient as never,
    baseURL: `${c.url}/api/v1/proxy/google.vertex`,
    maxRetries: 0,
    defaultHeaders: { 'xProxy-Provider-BaseUri': standin.url },
  });
  const message = await client.messages.create({ model: 'claude-sonnet-4-5@20250929', max_tokens: 32, messages: [{ role: 'user', content: 'Hi Claude' }] });
  expect(rows()).toEqual([
    expect.objectContaining({ category: 'system.google.vertex', resource: 'anthropic.claude-sonnet-4-5@20250929', input_tokens: message.usage.input_tokens, output_tokens: message.usage.output_tokens, provider_response_id: message.id }),
  ]);
});

test('azure.openai: chat completions of a deployment pass through; the resource is the served model unless the deployment is named after one', async () => {
  const azure = (deployment: string): AzureOpenAI =>
    new AzureOpenAI({ apiKey: 'azure-key', endpoint: `${c.url}/api/v1/proxy/azure.openai`, apiVersion: '2024-10-21', deployment, maxRetries: 0, defaultHeaders: { 'xProxy-Provider-BaseUri': standin.url } });
  const messages = [{ role: 'user' as const, content: 'Hello Azure proxy' }];
  const prod = await azure('prod-chat').chat.completions.create({ messages } as never);
  const stream = await azure('gpt-4o-mini').chat.completions.create({ messages, stream: true } as never) as unknown as AsyncIterable<unknown>;
  for await (const _ of stream) void _;
  expect(standin.requests.map((r) => r.url)).toEqual(['/openai/deployments/prod-chat/chat/completions?api-version=2024-10-21', '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21']);
  expect(standin.requests[0]!.headers['api-key']).toBe('azure-key');
  expect(rows().map((r) => [r.category, r.resource, r.input_tokens > 0, r.output_tokens > 0, r.provider_response_id])).toEqual([
    ['system.azureopenai', prod.model, true, true, prod.id],
    ['system.azureopenai', 'gpt-4o-mini', true, true, expect.any(String)],
  ]);
  expect(prod.model).toBe('gpt-4o-2024-08-06');
});

test('azure.openai without xProxy-Provider-BaseUri is refused with a 400 naming the header, before any request', async () => {
  const answer = await call(c.url, 'POST', '/api/v1/proxy/azure.openai/openai/deployments/prod-chat/chat/completions?api-version=2024-10-21', { messages: [{ role: 'user', content: 'x' }] });
  expect(answer.status).toBe(400);
  expect(JSON.stringify(answer.body)).toContain('xProxy-Provider-BaseUri');
  expect(standin.requests).toEqual([]);
});

test("the proxy paths used here are operations of Pay-i's OpenAPI document", () => {
  for (const p of [
    '/api/v1/proxy/google.vertex/v1beta1/projects/proj/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent',
    '/api/v1/proxy/google.vertex/v1beta1/projects/proj/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent',
    '/api/v1/proxy/google.vertex/v1/projects/proj/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5:rawPredict',
    '/api/v1/proxy/azure.openai/openai/deployments/prod-chat/chat/completions',
    '/api/v1/proxy/azure.openai/openai/deployments/prod-embed/embeddings',
    '/api/v1/proxy/azure.openai/openai/v1/responses',
  ]) {
    expect([p, matchPath('POST', p) !== undefined]).toEqual([p, true]);
  }
});
