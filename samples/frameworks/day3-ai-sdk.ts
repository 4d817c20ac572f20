/**
 * "Day 3: Applying Use Cases" written with the Vercel AI SDK: one use case per feature with
 * `@Track`, the user from `trackContext`, `generateText` for the chatbot and `streamText` for the
 * summarizer. No AI SDK-specific setup: `payiInstrument()` registers with the AI SDK itself.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { Track, payiInstrument, shutdown, trackContext } from 'payi-instrument';
import { runIfMain } from '../seeds/env';

const openai = createOpenAI({ apiKey: process.env.OPENAI_API_KEY ?? 'sk-sample', baseURL: process.env.OPENAI_BASE_URL });
const model = openai.chat('gpt-4o-mini');

export class Features {
  @Track({ useCaseName: 'chatbot' })
  static async getChatbotResponse(prompt: string): Promise<string> {
    const { text } = await generateText({ model, prompt, maxRetries: 0 });
    return text;
  }

  /** Streamed to the caller piece by piece; the call is recorded when the stream ends. */
  @Track({ useCaseName: 'document_summarizer' })
  static async summarizeDocument(text: string, onPiece: (piece: string) => void = () => undefined): Promise<string> {
    const result = streamText({ model, system: 'Summarize the following text concisely:', prompt: text, maxRetries: 0 });
    let out = '';
    for await (const piece of result.textStream) {
      onPiece(piece);
      out += piece;
    }
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
