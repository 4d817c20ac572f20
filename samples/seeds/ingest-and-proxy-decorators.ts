/**
 * Twin of "Decorators" (@ingest / @proxy): nested decorators combine limit ids and request tags and
 * inherit the use case; the innermost user id wins, and a per-call header beats them all; @Proxy
 * sends the annotations as headers through the Pay-i proxy (here: the local collector's).
 */
import OpenAI from 'openai';
import { Ingest, PayiHeaderNames, PayiProxy, createHeaders, getContext, payiInstrument, shutdown } from 'payi-instrument';
import { runIfMain, sampleOpenAI } from './env';

const client = sampleOpenAI();

async function complete(llm: OpenAI, content: string, headers?: Record<string, string>): Promise<string> {
  const r = await llm.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content }] }, headers ? { headers } : undefined);
  return r.choices[0]?.message?.content ?? '';
}

export class DocumentPipeline {
  static seen: Record<string, unknown> = {};

  @Ingest({ requestTags: ['app'], useCaseName: 'document_processing' })
  static async processDocument(document: string): Promise<string> {
    const parsed = await DocumentPipeline.parseDocument(document);
    return DocumentPipeline.summarizeContent(parsed);
  }

  @Ingest({ requestTags: ['parsing'] })
  static async parseDocument(document: string): Promise<string> {
    DocumentPipeline.seen.parse = getContext(); // document_processing, tags app + parsing
    return complete(client, `Parse this document and extract key information: ${document}`);
  }

  @Ingest({ requestTags: ['summarization'], useCaseName: 'document_summary' })
  static async summarizeContent(content: string): Promise<string> {
    DocumentPipeline.seen.summarize = getContext(); // document_summary, tags app + summarization
    return complete(client, `Summarize this content: ${content}`);
  }
}

export class UserPrecedence {
  @Ingest({ userId: 'default_user', requestTags: ['app'] })
  static processUserRequest(actualUserId: string, query: string): Promise<string> {
    return UserPrecedence.queryLlm(actualUserId, query);
  }

  @Ingest({ requestTags: ['query'] })
  static queryLlm(userId: string, query: string): Promise<string> {
    // inherits 'default_user', but the per-call header takes precedence
    return complete(client, query, createHeaders({ userId, limitIds: ['limit_a', 'limit_b'] }));
  }
}

/** @Proxy: the client points at the Pay-i proxy; the annotations travel as xProxy-* headers. */
export class ProxiedSupport {
  constructor(private readonly llm: OpenAI) {}

  @PayiProxy({ requestTags: ['chat'], useCaseName: 'customer_support' })
  answerCustomerQuestion(question: string, userId: string): Promise<string> {
    return complete(this.llm, question, createHeaders({ userId, limitIds: ['personal_limit', 'department_budget', 'project_x'] }));
  }
}

/** Runs the examples; the proxied one goes through `${PAYI_BASE_URL}/api/v1/proxy/openai/v1`. */
export async function main(): Promise<Record<string, unknown>> {
  payiInstrument();
  const payiBase = process.env.PAYI_BASE_URL ?? 'http://127.0.0.1:7480';
  const proxied = new OpenAI({
    apiKey: process.env.OPENAI_API_KEY ?? 'sk-sample',
    baseURL: `${payiBase}/api/v1/proxy/openai/v1`,
    defaultHeaders: {
      [PayiHeaderNames.apiKey]: process.env.PAYI_API_KEY ?? '',
      // where the proxy forwards to: the real API, or the local stand-in
      ...(process.env.OPENAI_BASE_URL ? { [PayiHeaderNames.providerBaseUri]: new URL(process.env.OPENAI_BASE_URL).origin } : {}),
    },
    maxRetries: 0,
  });
  try {
    await DocumentPipeline.processDocument('Quarterly report: revenue up 12%.');
    await UserPrecedence.processUserRequest('actual_user', 'What is Pay-i?');
    await new ProxiedSupport(proxied).answerCustomerQuestion('Where is my order?', 'customer_9');
    return DocumentPipeline.seen;
  } finally {
    await shutdown();
  }
}

runIfMain(module, main);
