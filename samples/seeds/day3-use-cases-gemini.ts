/**
 * The Gemini twin of "Day 3: Applying Use Cases with @track(use_case_name)" (day3-use-cases.ts):
 * the same features, use cases and users, with `@google/genai` instead of OpenAI. The
 * instrumentation code is identical; only the provider calls change.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Track, payiInstrument, shutdown, trackContext } from 'payi-instrument';
import { runIfMain, sampleGemini } from './env';

const ai = sampleGemini();
const MODEL = 'gemini-2.5-flash';

export class GeminiFeatures {
  @Track({ useCaseName: 'chatbot' })
  static async getChatbotResponse(prompt: string): Promise<string> {
    const response = await ai.models.generateContent({ model: MODEL, contents: prompt });
    return response.text ?? '';
  }

  @Track({ useCaseName: 'document_summarizer' })
  static async summarizeDocument(text: string): Promise<string> {
    const response = await ai.models.generateContent({ model: MODEL, contents: text, config: { systemInstruction: 'Summarize the following text concisely:' } });
    return response.text ?? '';
  }

  /** Combining use cases and user ids: @Track for the static name, trackContext for the dynamic user (a streamed answer here). */
  @Track({ useCaseName: 'chatbot' })
  static async getPersonalizedResponse(prompt: string, userId: string): Promise<string> {
    return trackContext({ userId }, async () => {
      let text = '';
      for await (const chunk of await ai.models.generateContentStream({ model: MODEL, contents: prompt })) text += chunk.text ?? '';
      return text;
    });
  }
}

/** The web application: the user comes from the request (header `x-user-id`), like Flask's `g.user`. */
export function createWebApp(): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const userId = String(req.headers['x-user-id'] ?? 'anonymous');
    const handle = async (): Promise<string> => {
      if (url.pathname === '/chat') return trackContext({ userId }, () => GeminiFeatures.getChatbotResponse(url.searchParams.get('prompt') ?? ''));
      if (url.pathname === '/summarize') return trackContext({ userId }, () => GeminiFeatures.summarizeDocument(url.searchParams.get('document') ?? ''));
      throw new Error('not found');
    };
    handle().then(
      (text) => res.end(text),
      () => {
        res.statusCode = 404;
        res.end();
      },
    );
  });
}

const LONG_TEXT = `Pay-i is a comprehensive instrumentation platform for GenAI applications.
It provides cost tracking, usage monitoring, and performance analytics for
various AI providers including OpenAI, Anthropic, Google Gemini, Azure OpenAI, and AWS Bedrock.`;

/** Makes the calls of the seed page, then two requests to the web app as users alice and bob. */
export async function main(): Promise<string[]> {
  payiInstrument();
  const server = createWebApp();
  try {
    const out = [
      await GeminiFeatures.getChatbotResponse('Tell me about Pay-i instrumentation'),
      await GeminiFeatures.summarizeDocument(LONG_TEXT),
      await GeminiFeatures.getPersonalizedResponse('Hello', 'user_42'),
    ];
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    out.push(await (await fetch(`${base}/chat?prompt=hi`, { headers: { 'x-user-id': 'alice' } })).text());
    out.push(await (await fetch(`${base}/summarize?document=${encodeURIComponent(LONG_TEXT)}`, { headers: { 'x-user-id': 'bob' } })).text());
    return out;
  } finally {
    server.close();
    await shutdown();
  }
}

runIfMain(module, main);
