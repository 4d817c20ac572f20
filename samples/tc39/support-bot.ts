/**
 * A plain TypeScript service with TC39 standard decorators (no `experimentalDecorators`): a
 * class-level `@Track` for the feature, a method-level one for a step, an async generator that
 * streams tokens to its caller, and the user from the arguments at call time.
 */
import OpenAI from 'openai';
import { Track, flush, payiInstrument, shutdown } from 'payi-instrument';
import { runIfMain } from '../seeds/env';

interface Ticket {
  id: string;
  customerId: string;
  question: string;
}

@Track({ useCaseName: 'support_bot', limitIds: ['support_monthly'] })
export class SupportBot {
  constructor(private readonly llm: OpenAI) {}

  /** Streams the answer; every chunk is read in the scope, and the call is recorded when the stream ends. */
  @Track({ useCaseStep: 'answer', userId: ({ args }) => (args[0] as Ticket).customerId })
  async *answer(ticket: Ticket): AsyncGenerator<string> {
    const stream = await this.llm.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: ticket.question }],
      stream: true,
    });
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta?.content;
      if (text) yield text;
    }
  }

  /** Classifies a ticket; a step of the same use case instance as the class scope. */
  @Track({ useCaseStep: 'triage', userId: ({ args }) => (args[0] as Ticket).customerId })
  async triage(ticket: Ticket): Promise<string> {
    const r = await this.llm.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `One word category for: ${ticket.question}` }],
    });
    return r.choices[0]?.message?.content ?? '';
  }
}

/** Triage and answer two tickets. */
export async function main(): Promise<string[]> {
  payiInstrument();
  const bot = new SupportBot(new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? 'sk-sample', baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 }));
  const out: string[] = [];
  try {
    for (const ticket of [
      { id: 'T-1', customerId: 'cust_1', question: 'My invoice is wrong' },
      { id: 'T-2', customerId: 'cust_2', question: 'How do I export data?' },
    ]) {
      out.push(await bot.triage(ticket));
      let answer = '';
      for await (const token of bot.answer(ticket)) answer += token;
      out.push(answer);
    }
    await flush();
    return out;
  } finally {
    await shutdown();
  }
}

runIfMain(module, main);
