import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { bedrockRoute } from '../../samples/standin/bedrock';
import { type Standin, startStandin } from '../../samples/standin/server';
import { startTestCollector } from './support';

type C = Awaited<ReturnType<typeof startTestCollector>>;
let c: C;
let standin: Standin;
let client: BedrockRuntimeClient;
beforeEach(async () => {
  c = await startTestCollector();
  standin = await startStandin([bedrockRoute]);
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: `${c.url}/api/v1/proxy/aws.bedrock`,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    maxAttempts: 1,
    // the stand-in and the collector speak HTTP/1.1 (the client's default handler is HTTP/2)
    requestHandler: new NodeHttpHandler(),
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { headers: Record<string, string> };
      req.headers['xProxy-Provider-BaseUri'] = standin.url;
      req.headers['xProxy-UseCase-Name'] = 'bedrock_chat';
      return next(args);
    },
    { step: 'build', name: 'payiProxyHeaders' },
  );
});
afterEach(async () => {
  client.destroy();
  await c.close();
  await standin.close();
});

const rows = (): Record<string, any>[] => c.db.prepare('SELECT * FROM events ORDER BY id').all() as Record<string, any>[];
const MODEL = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const messages = [{ role: 'user' as const, content: [{ text: 'Hello Bedrock through the proxy' }] }];

describe('proxy route /api/v1/proxy/aws.bedrock', () => {
  test('Converse goes through with the AWS client and is metered from its usage', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL, messages }));
    expect(out.output?.message?.content?.[0]?.text).toBe('Hello from the Bedrock stand-in.');
    const [row] = rows();
    expect(row).toMatchObject({
      category: 'system.aws.bedrock',
      resource: MODEL,
      use_case_name: 'bedrock_chat',
      input_tokens: out.usage?.inputTokens,
      output_tokens: out.usage?.outputTokens,
      price_version: expect.stringMatching(/^genai-prices@/),
    });
    expect(row?.cost_total).toBeCloseTo((out.usage?.inputTokens ?? 0) * 0.8e-6 + (out.usage?.outputTokens ?? 0) * 4e-6, 12);
  });

  test('ConverseStream event-stream frames pass through untouched and the metadata usage is metered', async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages }));
    let text = '';
    let usage: { inputTokens?: number; outputTokens?: number } | undefined;
    for await (const ev of out.stream ?? []) {
      text += ev.contentBlockDelta?.delta?.text ?? '';
      if (ev.metadata?.usage) usage = ev.metadata.usage;
    }
    expect(text).toBe('Hello from the Bedrock stand-in.');
    const [row] = rows();
    expect(row).toMatchObject({ input_tokens: usage?.inputTokens, output_tokens: usage?.outputTokens });
    expect(JSON.parse(row?.properties_json)).toEqual({ 'system.stream_outcome': 'completed' });
  });

  test('InvokeModel is metered from the token-count headers, and its body is returned unchanged', async () => {
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'Hello invoke' }] });
    const out = await client.send(new InvokeModelCommand({ modelId: MODEL, body, contentType: 'application/json' }));
    const answer = JSON.parse(Buffer.from(out.body).toString('utf8'));
    expect(answer.xproxy_result).toBeUndefined();
    const [row] = rows();
    expect(row?.input_tokens).toBeGreaterThan(0);
    expect(row?.input_tokens).toBe(answer.usage.input_tokens);
    expect(row?.output_tokens).toBe(answer.usage.output_tokens);
  });
});
