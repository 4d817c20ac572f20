import type { Units } from 'payi-instrument';
import { anthropicStreamMeter, bedrockStreamMeter, openaiStreamMeter, type StreamMeter } from './meters';
import { anthropicUnits, bedrockHeaderUsage, bedrockUnits, openaiUnits } from './usage';

type Obj = Record<string, any>;

/** What a JSON (non-streamed) answer told about the call. */
export interface JsonFacts {
  units: Units;
  id?: string;
  model?: string;
}

/** One provider the proxy forwards to. */
export interface ProxiedProvider {
  /** Route prefix under the collector, e.g. `/api/v1/proxy/openai/v1`. */
  prefix: string;
  category: string;
  /** Where calls go without an `xProxy-Provider-BaseUri` header. */
  defaultBaseUri: string;
  /** The upstream path for the part of the URL after the prefix. */
  upstreamPath(rest: string): string;
  /** The model named by the request. */
  model(path: string, body: Obj | undefined): string | undefined;
  /** Changes the request body before it is sent; `injected` tells the stream meter what it added. */
  prepare?(body: Obj): { body: Obj; injected: boolean } | undefined;
  fromJson(body: Obj | undefined, header: (name: string) => string | null): JsonFacts;
  streamMeter(injected: boolean): StreamMeter;
}

const bedrockModel = (path: string): string | undefined => {
  const m = /(?:^|\/)model\/([^/]+)\//.exec(path);
  return m ? decodeURIComponent(m[1] ?? '') : undefined;
};

/** The providers of contract §9: OpenAI (and Azure OpenAI via `xProxy-Provider-BaseUri`), Anthropic, AWS Bedrock. */
export const PROXIED_PROVIDERS: readonly ProxiedProvider[] = [
  {
    prefix: '/api/v1/proxy/openai/v1',
    category: 'system.openai',
    defaultBaseUri: 'https://api.openai.com',
    upstreamPath: (rest) => `/v1/${rest}`,
    model: (_p, b) => (typeof b?.model === 'string' ? b.model : undefined),
    prepare(body) {
      if (body.stream !== true) return undefined;
      const so = body.stream_options as Obj | undefined;
      if (so?.include_usage === true) return undefined;
      if (typeof body.input !== 'undefined' && typeof body.messages === 'undefined') return undefined; // Responses API streams always carry usage
      return { body: { ...body, stream_options: { ...(so ?? {}), include_usage: true } }, injected: true };
    },
    fromJson: (b) => ({ units: openaiUnits(b?.usage), id: b?.id, model: b?.model }),
    streamMeter: (injected) => openaiStreamMeter(injected),
  },
  {
    prefix: '/api/v1/proxy/anthropic',
    category: 'system.anthropic',
    defaultBaseUri: 'https://api.anthropic.com',
    upstreamPath: (rest) => `/${rest}`,
    model: (_p, b) => (typeof b?.model === 'string' ? b.model : undefined),
    fromJson: (b) => ({ units: anthropicUnits(b?.usage), id: b?.id, model: b?.model }),
    streamMeter: () => anthropicStreamMeter(),
  },
  {
    prefix: '/api/v1/proxy/aws.bedrock',
    category: 'system.aws.bedrock',
    defaultBaseUri: 'https://bedrock-runtime.us-east-1.amazonaws.com',
    upstreamPath: (rest) => `/${rest}`,
    model: (path) => bedrockModel(path),
    fromJson: (b, header) => {
      // InvokeModel: token counts in headers (the body is the model's own format); Converse: `usage`.
      const fromHeaders = bedrockHeaderUsage(header);
      const usage = b?.usage as Obj | undefined;
      const units = fromHeaders
        ? bedrockUnits(fromHeaders)
        : usage?.input_tokens !== undefined
          ? anthropicUnits(usage)
          : bedrockUnits(usage ?? b?.['amazon-bedrock-invocationMetrics']);
      return { units, id: header('x-amzn-requestid') ?? undefined };
    },
    streamMeter: () => bedrockStreamMeter(),
  },
];

/**
 * Joins a base URI and an upstream path, without doubling a `/v1` the base already ends with.
 * @example `upstreamUrl('http://127.0.0.1:9000/v1', '/v1/chat/completions', '')` → `http://127.0.0.1:9000/v1/chat/completions`
 */
export function upstreamUrl(base: string, path: string, query: string): string {
  let b = base.replace(/\/+$/, '');
  if (b.endsWith('/v1') && path.startsWith('/v1/')) b = b.slice(0, -3);
  return `${b}${path}${query}`;
}
