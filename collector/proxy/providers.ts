import type { Units } from 'payi-instrument';
import { geminiResource, geminiUnits, isOpenAIModelName } from 'payi-instrument/internal';
import { anthropicStreamMeter, bedrockStreamMeter, geminiStreamMeter, openaiStreamMeter, type StreamMeter } from './meters';
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
  fromJson(body: Obj | undefined, header: (name: string) => string | null, path: string): JsonFacts;
  /** The meter of a streamed answer; `path` is the part of the URL after the prefix. */
  streamMeter(injected: boolean, path: string): StreamMeter;
}

const bedrockModel = (path: string): string | undefined => {
  const m = /(?:^|\/)model\/([^/]+)\//.exec(path);
  return m ? decodeURIComponent(m[1] ?? '') : undefined;
};

/** OpenAI chat streams carry usage only when asked: the proxy asks, and hides the extra chunk (`injected`). */
function includeUsage(body: Obj): { body: Obj; injected: boolean } | undefined {
  if (body.stream !== true) return undefined;
  const so = body.stream_options as Obj | undefined;
  if (so?.include_usage === true) return undefined;
  if (typeof body.input !== 'undefined' && typeof body.messages === 'undefined') return undefined; // Responses API streams always carry usage
  return { body: { ...body, stream_options: { ...(so ?? {}), include_usage: true } }, injected: true };
}

/** `…/publishers/{publisher}/models/{model}:{method}` of a Vertex AI path (`models/{model}:{method}` of a Gemini API path: publisher `google`). */
const vertexModel = (path: string): { publisher: string; model: string; method: string } | undefined => {
  const m = /(?:publishers\/([^/]+)\/)?models\/([^/:]+):([A-Za-z]+)/.exec(path);
  return m ? { publisher: m[1] ?? 'google', model: decodeURIComponent(m[2]!), method: m[3]! } : undefined;
};

/** The providers of contract §9 and Pay-i's spec: OpenAI, Azure OpenAI, Anthropic, AWS Bedrock, Google Vertex AI (Gemini and Anthropic models). */
export const PROXIED_PROVIDERS: readonly ProxiedProvider[] = [
  {
    prefix: '/api/v1/proxy/openai/v1',
    category: 'system.openai',
    defaultBaseUri: 'https://api.openai.com',
    upstreamPath: (rest) => `/v1/${rest}`,
    model: (_p, b) => (typeof b?.model === 'string' ? b.model : undefined),
    prepare: includeUsage,
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
  {
    // `/openai/deployments/{deployment}/chat/completions|embeddings`, `/openai/v1/responses`; the
    // resource's endpoint comes in `xProxy-Provider-BaseUri` (there is no public default)
    prefix: '/api/v1/proxy/azure.openai',
    category: 'system.azureopenai',
    defaultBaseUri: '',
    upstreamPath: (rest) => `/${rest}`,
    model: (path, b) => {
      const deployment = typeof b?.model === 'string' ? b.model : /(?:^|\/)deployments\/([^/]+)\//.exec(path)?.[1];
      // a deployment named after a model is the resource; otherwise the answer's model is
      return deployment && isOpenAIModelName(decodeURIComponent(deployment)) ? decodeURIComponent(deployment) : undefined;
    },
    prepare: includeUsage,
    fromJson: (b) => ({ units: openaiUnits(b?.usage), id: b?.id, model: b?.model }),
    streamMeter: (injected) => openaiStreamMeter(injected),
  },
  {
    // `/{version}/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent|streamGenerateContent`,
    // and `publishers/anthropic/models/{m}:rawPredict|streamRawPredict` for Claude on Vertex AI
    prefix: '/api/v1/proxy/google.vertex',
    category: 'system.google.vertex',
    defaultBaseUri: 'https://aiplatform.googleapis.com',
    upstreamPath: (rest) => `/${rest}`,
    model: (path) => {
      const v = vertexModel(path);
      if (!v) return undefined;
      return v.publisher === 'anthropic' ? `anthropic.${v.model}` : geminiResource(v.model);
    },
    fromJson: (b, _header, path) => {
      const v = vertexModel(path);
      if (v?.publisher === 'anthropic') return { units: anthropicUnits(b?.usage), id: b?.id, model: b?.model };
      return { units: geminiUnits(b?.usageMetadata, b?.modelVersion ?? v?.model), id: b?.responseId };
    },
    streamMeter: (_injected, path) => {
      const v = vertexModel(path);
      return v?.publisher === 'anthropic' ? anthropicStreamMeter() : geminiStreamMeter(v?.model);
    },
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
