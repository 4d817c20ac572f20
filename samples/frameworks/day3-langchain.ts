/**
 * "Day 3: Applying Use Cases" written with LangChain.js: a chat model for the chatbot, a
 * `RunnableSequence` (prompt, model, parser) streamed for the summarizer. LangChain calls the
 * `openai` package (its own nested copy), which `payiInstrument()` patches.
 */
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableSequence } from '@langchain/core/runnables';
import { ChatOpenAI } from '@langchain/openai';
import { Track, payiInstrument, shutdown, trackContext } from 'payi-instrument';
import { runIfMain } from '../seeds/env';

const chat = (): ChatOpenAI => new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: process.env.OPENAI_API_KEY ?? 'sk-sample', configuration: { baseURL: process.env.OPENAI_BASE_URL }, maxRetries: 0 });

export class Features {
  @Track({ useCaseName: 'chatbot' })
  static async getChatbotResponse(prompt: string): Promise<string> {
    const reply = await chat().invoke(prompt);
    return String(reply.content);
  }

  @Track({ useCaseName: 'document_summarizer' })
  static async summarizeDocument(text: string): Promise<string> {
    const chain = RunnableSequence.from([ChatPromptTemplate.fromMessages([['system', 'Summarize the following text concisely:'], ['human', '{text}']]), chat(), new StringOutputParser()]);
    let out = '';
    for await (const piece of await chain.stream({ text })) out += piece;
    return out;
  }

  @Track({ useCaseName: 'chatbot' })
  static async getPersonalizedResponse(prompt: string, userId: string): Promise<string> {
    return trackContext({ userId }, () => Features.getChatbotResponse(prompt));
  }
}

const LONG_TEXT = 'Pay-i is a comprehensive instrumentation platform for GenAI applications. It provides cost tracking, usage monitoring, and performance analytics.';

/** The seed page's calls, then two users of the same features. */
export async function main(): Promise<string[]> {
  payiInstrument();
  try {
    return [
      await Features.getChatbotResponse('Tell me about Pay-i instrumentation'),
      await Features.summarizeDocument(LONG_TEXT),
      await Features.getPersonalizedResponse('Hello', 'user_42'),
      await trackContext({ userId: 'alice' }, () => Features.getChatbotResponse('hi')),
      await trackContext({ userId: 'bob' }, () => Features.summarizeDocument(LONG_TEXT)),
    ];
  } finally {
    await shutdown();
  }
}

runIfMain(module, main);
