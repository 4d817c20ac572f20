/**
 * An OpenAI Agents SDK run under a use case and a user: a triage agent hands off to a weather
 * specialist, which calls a tool. Every model call of the run (Responses API, through the Agents
 * SDK's own `openai` copy) is one event in the scope the run started in.
 */
import { Agent, run, setDefaultOpenAIKey, setTracingDisabled, tool } from '@openai/agents';
import { Track, payiInstrument, shutdown, trackContext } from 'payi-instrument';
import { z } from 'zod';
import { runIfMain } from '../seeds/env';

const getWeather = tool({ name: 'get_weather', description: 'The weather of a city', parameters: z.object({ city: z.string() }), execute: async ({ city }) => `${city}: sunny, 21°C` });
const specialist = new Agent({ name: 'Weather specialist', instructions: 'Answer weather questions with get_weather.', model: 'gpt-4o-mini', tools: [getWeather], modelSettings: { toolChoice: 'get_weather' } });
const triage = new Agent({ name: 'Triage', instructions: 'Hand weather questions to the weather specialist.', model: 'gpt-4o-mini', handoffs: [specialist] });

export class Assistant {
  @Track({ useCaseName: 'weather_agent' })
  static async ask(question: string): Promise<{ answer: string; agent: string }> {
    const result = await run(triage, question);
    return { answer: String(result.finalOutput ?? ''), agent: result.lastAgent?.name ?? '' };
  }
}

/** One run for user `alice` (the Agents SDK reads OPENAI_BASE_URL; its trace export is off). */
export async function main(): Promise<{ answer: string; agent: string }> {
  setDefaultOpenAIKey(process.env.OPENAI_API_KEY ?? 'sk-sample');
  setTracingDisabled(true);
  payiInstrument();
  try {
    return await trackContext({ userId: 'alice' }, () => Assistant.ask('What is the weather in Paris?'));
  } finally {
    await shutdown();
  }
}

runIfMain(module, main);
