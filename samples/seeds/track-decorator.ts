/**
 * Twin of "@track decorator": use case, limits and user on a method; several limits; a user id read
 * from the application's context at call time; and how nested decorators inherit.
 */
import type OpenAI from 'openai';
import { Track, getContext, payiInstrument, shutdown } from 'payi-instrument';
import { runIfMain, sampleOpenAI } from './env';

const client = sampleOpenAI();

/** The application's request context (Flask's `g` in the Python example). */
export const appContext = { user: { id: 'dashboard_user' } };

export class Documents {
  @Track({ useCaseName: 'document_summary', limitIds: ['daily_budget'], userId: 'user_123' })
  static async summarizeDocument(llm: OpenAI, documentText: string): Promise<string> {
    const response = await llm.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: `Summarize this: ${documentText}` }] });
    return response.choices[0]?.message?.content ?? '';
  }

  @Track({ useCaseName: 'customer_support', limitIds: ['support_budget', 'quality_limit'] })
  static async getSupportResponse(llm: OpenAI, question: string): Promise<string> {
    const response = await llm.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: question }] });
    return response.choices[0]?.message?.content ?? '';
  }

  // The user id is read from the application context at each call (a function option).
  @Track({ useCaseName: 'user_dashboard', userId: () => appContext.user.id })
  static async generateDashboardSummary(llm: OpenAI): Promise<string> {
    const response = await llm.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'Summarize dashboard data' }] });
    return response.choices[0]?.message?.content ?? '';
  }
}

/** Parameter inheritance: outer -> inner (inherits) and outer -> specific (its own name). */
export class Inheritance {
  static seen: Record<string, string | undefined> = {};

  @Track({ useCaseName: 'outer_function' })
  static async outerFunction(): Promise<void> {
    await Inheritance.innerFunction();
    await Inheritance.specificFunction();
  }

  @Track() // empty: inherits from the caller
  static async innerFunction(): Promise<void> {
    Inheritance.seen.inner = getContext().useCaseName;
    await client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'inner' }] });
  }

  @Track({ useCaseName: 'specific_function' })
  static async specificFunction(): Promise<void> {
    Inheritance.seen.specific = getContext().useCaseName;
    await client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'specific' }] });
  }
}

/** Runs every example of the page. */
export async function main(): Promise<Record<string, unknown>> {
  payiInstrument({ proxy: false });
  try {
    await Documents.summarizeDocument(client, 'Pay-i tracks GenAI cost.');
    await Documents.getSupportResponse(client, 'How do I reset my password?');
    await Documents.generateDashboardSummary(client);
    await Inheritance.outerFunction();
    return { inherited: Inheritance.seen };
  } finally {
    await shutdown();
  }
}

runIfMain(module, main);
