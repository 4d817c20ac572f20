import { Agent, run, setDefaultOpenAIKey, setTracingDisabled, tool } from '@openai/agents';
import { z } from 'zod';
import pino from 'pino';
import { trackContext } from '../../src/context/scope';
import { payiInstrument, shutdown } from '../../src/instrument';
import { sameButIds, startHarness, type FrameworkHarness } from './helpers';

let h: FrameworkHarness;
const savedBaseUrl = process.env.OPENAI_BASE_URL;
// one stand-in for the file: the Agents SDK caches its default client (and so its base URL)
beforeAll(async () => {
  h = await startHarness();
  // the Agents SDK builds its own client from its nested openai 7 copy, which reads OPENAI_BASE_URL
  process.env.OPENAI_BASE_URL = `${h.standin.url}/v1`;
  setDefaultOpenAIKey('test-key');
  setTracingDisabled(true);
});
afterAll(async () => {
  if (savedBaseUrl === undefined) delete process.env.OPENAI_BASE_URL;
  else process.env.OPENAI_BASE_URL = savedBaseUrl;
  await h.close();
});

test('an agent run with a handoff and a tool call: one event per model call (Responses API), all in the scope the run started in', async () => {
  const getWeather = tool({ name: 'get_weather', description: 'Weather of a city', parameters: z.object({ city: z.string() }), execute: async ({ city }) => `${city}: sunny` });
  const specialist = new Agent({ name: 'Weather specialist', instructions: 'Answer weather questions.', model: 'gpt-4o-mini', tools: [getWeather], modelSettings: { toolChoice: 'get_weather' } });
  const triage = new Agent({ name: 'Triage', instructions: 'Route the question.', model: 'gpt-4o-mini', handoffs: [specialist] });
  const result = await trackContext({ userId: 'agent-user', useCaseName: 'weather_agent' }, () => run(triage, 'What is the weather in Paris?'));
  const calls = h.standin.requests.filter((r) => r.url === '/v1/responses');
  expect(calls).toHaveLength(3);
  const events = await h.events();
  expect(events.map((e) => [e.category, e.resource, e.user_id, e.use_case_name, e.provider_response_function_calls?.map((c) => c.name)])).toEqual([
    ['system.openai', 'gpt-4o-mini', 'agent-user', 'weather_agent', ['transfer_to_Weather_specialist']],
    ['system.openai', 'gpt-4o-mini', 'agent-user', 'weather_agent', ['get_weather']],
    ['system.openai', 'gpt-4o-mini', 'agent-user', 'weather_agent', undefined],
  ]);
  expect(events.every((e) => (e.units.text?.input ?? 0) > 0)).toBe(true);
  expect(result.lastAgent?.name).toBe('Weather specialist');
  expect(result.finalOutput).toMatch(/^Stand-in reply: /);
  // without this SDK (patches removed), the same run gives the same items and answer
  await shutdown();
  const raw = await run(triage, 'What is the weather in Paris?');
  const seen = (r: typeof result): unknown => sameButIds({ finalOutput: r.finalOutput, lastAgent: r.lastAgent?.name, items: r.newItems.map((i) => i.toJSON()) });
  expect(seen(result)).toEqual(seen(raw));
  payiInstrument({ payi: h.capture, logger: pino({ level: 'silent' }), useCaseName: 'framework_tests', ingest: { flushIntervalMs: 5, spillFile: false } });
});

test('a streamed agent run: one event, stream_outcome completed', async () => {
  const agent = new Agent({ name: 'Assistant', instructions: 'Be brief.', model: 'gpt-4o-mini' });
  const before = (await h.events()).length;
  const stream = await trackContext({ userId: 'stream-user' }, () => run(agent, 'Hello there', { stream: true }));
  for await (const _ of stream.toTextStream()) void _;
  await stream.completed;
  const events = (await h.events()).slice(before);
  expect(events.map((e) => [e.resource, e.user_id, e.properties?.['system.stream_outcome']])).toEqual([['gpt-4o-mini', 'stream-user', 'completed']]);
});
