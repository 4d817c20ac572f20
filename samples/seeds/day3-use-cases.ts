/**
 * Twin of "Day 3: Applying Use Cases with @track(use_case_name)": one use case per feature, combined
 * with trackContext for the user, including the web-application version (node:http instead of Flask).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Track, payiInstrument, shutdown, trackContext } from 'payi-instrument';
import { runIfMain, sampleOpenAI } from './env';

const client = sampleOpenAI();

export class Features {
  @Track({ useCaseName: 'chatbot' })
  static async getChatbotResponse(prompt: string): Promise<string> {
    const response = await client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: prompt }] });
    return response.choices[0]?.message?.content ?? '';
  }

  @Track({ useCaseName: 'document_summarizer' })
  static async summarizeDocument(text: string): Promise<string> {
    const response = await client.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages: [
        { role: 'system', content: 'Summarize the following text concisely:' },
        { role: 'user', content: text },
      ],
    });
    return response.choices[0]?.message?.content ?? '';
  }

  /** Combining use cases and user ids: @Track for the static name, trackContext for the dynamic user. */
  @Track({ useCaseName: 'chatbot' })
  static async getPersonalizedResponse(prompt: string, userId: string): Promise<string> {
    return trackContext({ userId }, async () => {
      const response = await client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: prompt }] });
      return response.choices[0]?.message?.content ?? '';
    });
  }
}

/** The web application: the user comes from the request (header `x-user-id`), like Flask's `g.user`. */
export function createWebApp(): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const userId = String(req.headers['x-user-id'] ?? 'anonymous');
    const handle = async (): Promise<string> => {
      if (url.pathname === '/chat') return trackContext({ userId }, () => Features.getChatbotResponse(url.searchParams.get('prompt') ?? ''));
      if (url.pathname === '/summarize') return trackContext({ userId }, () => Features.summarizeDocument(url.searchParams.get('document') ?? ''));
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
various AI providers including OpenAI, Anthropic, Azure OpenAI, and AWS Bedrock.`;

/** Makes the calls of the seed page, then two requests to the web app as users alice and bob. */
export async function main(): Promise<string[]> {
  payiInstrument();
  const server = createWebApp();
  try {
    const out = [
      await Features.getChatbotResponse('Tell me about Pay-i instrumentation'),
      await Features.summarizeDocument(LONG_TEXT),
      await Features.getPersonalizedResponse('Hello', 'user_42'),
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
