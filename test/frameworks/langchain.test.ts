import { ChatAnthropic } from '@langchain/anthropic';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableSequence } from '@langchain/core/runnables';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { trackContext } from '../../src/context/scope';
import { shutdown } from '../../src/instrument';
import { openaiStandinUsage } from '../../samples/standin/openai';
import { bodiesTo, globalAttribution, openaiHeaders, sameButIds, startHarness, type FrameworkHarness } from './helpers';

let h: FrameworkHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const chatOpenAI = (extra: Record<string, unknown> = {}): ChatOpenAI => new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'k', configuration: { baseURL: `${h.standin.url}/v1` }, maxRetries: 0, ...extra });

test('ChatOpenAI (its own nested openai 7 copy) invoke: one event with the scope attribution', async () => {
  const reply = await trackContext({ userId: 'lc-user' }, () => chatOpenAI().invoke('Hello there, how are you today?'));
  const [sent] = bodiesTo(h.standin, '/v1/chat/completions');
  const u = openaiStandinUsage(sent);
  expect(await h.events()).toEqual([
    {
      category: 'system.openai',
      resource: 'gpt-4o-mini',
      units: { text: { input: u.prompt, output: u.completion } },
      event_timestamp: expect.any(String),
      end_to_end_latency_ms: expect.any(Number),
      http_status_code: 200,
      properties: { 'system.usage_source': 'reported' },
      provider_response_id: reply.id,
      provider_uri: `${h.standin.url}/v1/chat/completions`,
      provider_request_json: expect.any(String),
      provider_response_json: expect.stringContaining(`"id":"${reply.id}"`),
      provider_response_headers: openaiHeaders('req_standin_1'),
      user_id: 'lc-user',
      ...globalAttribution,
    },
  ]);
  expect(reply.content).toBe(u.reply);
  // without this SDK (patches removed), the same call answers the same message
  await shutdown();
  const raw = await chatOpenAI().invoke('Hello there, how are you today?');
  const seen = (m: typeof reply): unknown => sameButIds({ content: m.content, response_metadata: m.response_metadata, usage_metadata: m.usage_metadata, tool_calls: m.tool_calls });
  expect(seen(reply)).toEqual(seen(raw));
});

test('a RunnableSequence (prompt | model | parser) and a streamed .stream(): one event each, in the scope', async () => {
  const chain = RunnableSequence.from([ChatPromptTemplate.fromMessages([['human', 'Tell me about {topic}']]), chatOpenAI(), new StringOutputParser()]);
  const text = await trackContext({ useCaseName: 'lc_chain' }, () => chain.invoke({ topic: 'the sea' }));
  const chunks: string[] = [];
  await trackContext({ useCaseName: 'lc_stream' }, async () => {
    for await (const c of await chain.stream({ topic: 'the sky' })) chunks.push(c);
  });
  const events = await h.events();
  expect(events.map((e) => [e.use_case_name, e.category, e.resource, e.properties?.['system.stream_outcome']])).toEqual([
    ['lc_chain', 'system.openai', 'gpt-4o-mini', undefined],
    ['lc_stream', 'system.openai', 'gpt-4o-mini', 'completed'],
  ]);
  expect(text).toBe('Stand-in reply: Tell me about the sea');
  expect(chunks.join('')).toBe('Stand-in reply: Tell me about the sky');
  await shutdown();
  const rawChunks: string[] = [];
  for await (const c of await chain.stream({ topic: 'the sky' })) rawChunks.push(c);
  expect(chunks).toEqual(rawChunks);
  expect(events[1]?.units.text?.input).toBeGreaterThan(0);
});

test('OpenAIEmbeddings: one event', async () => {
  const emb = new OpenAIEmbeddings({ model: 'text-embedding-3-small', apiKey: 'k', configuration: { baseURL: `${h.standin.url}/v1` }, maxRetries: 0 });
  await trackContext({ userId: 'e-user' }, () => emb.embedQuery('sunny day'));
  const events = await h.events();
  expect(events.map((e) => [e.category, e.resource, e.user_id])).toEqual([['system.openai', 'text-embedding-3-small', 'e-user']]);
});

test('ChatAnthropic (its own nested @anthropic-ai/sdk 0.x copy): invoke and stream give one event each', async () => {
  const model = new ChatAnthropic({ model: 'claude-sonnet-4-5', apiKey: 'k', anthropicApiUrl: h.standin.url, maxRetries: 0 });
  const reply = await trackContext({ userId: 'a-user' }, () => model.invoke('Hello there'));
  const chunks: unknown[] = [];
  await trackContext({ userId: 'b-user' }, async () => {
    for await (const c of await model.stream('Hello again')) chunks.push(c.content);
  });
  const events = await h.events();
  expect(events.map((e) => [e.category, e.resource, e.user_id, e.properties?.['system.stream_outcome']])).toEqual([
    ['system.anthropic', 'claude-sonnet-4-5', 'a-user', undefined],
    ['system.anthropic', 'claude-sonnet-4-5', 'b-user', 'completed'],
  ]);
  expect(events[0]?.provider_response_id).toBe(reply.id);
  expect(chunks.length).toBeGreaterThan(1);
});
