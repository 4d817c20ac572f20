import type { PayiEvent, XproxyResult } from '../events/types';

/** An OpenTelemetry attribute value (the subset this SDK sets). */
export type AttrValue = string | number | boolean | string[];
/** Span or metric attributes. */
export type Attrs = Record<string, AttrValue>;

/** The instrumentation scope name of every span and metric this SDK makes. */
export const SCOPE_NAME = 'payi-instrument';

/** `gen_ai.provider.name` of each Pay-i category (GenAI semantic conventions' well-known values). */
const PROVIDER_NAMES: Record<string, string> = {
  'system.openai': 'openai',
  'system.azureopenai': 'azure.ai.openai',
  'system.anthropic': 'anthropic',
  'system.aws.bedrock': 'aws.bedrock',
  'system.google.vertex': 'gcp.vertex_ai',
};

/**
 * `gen_ai.provider.name` for a Pay-i category: the convention's name for the known ones, else the
 * category without its `system.` prefix.
 *
 * @example
 * ```ts
 * providerName('system.aws.bedrock'); // 'aws.bedrock'
 * ```
 */
export function providerName(category: string): string {
  return PROVIDER_NAMES[category] ?? category.replace(/^system\./, '');
}

/**
 * `gen_ai.operation.name` from the provider URI's path: `embeddings` for embedding endpoints,
 * `generate_content` for Gemini's, else `chat` (chat completions, Responses, Messages, Converse, Invoke).
 *
 * @example
 * ```ts
 * operationName('http://127.0.0.1:1/v1/embeddings'); // 'embeddings'
 * ```
 */
export function operationName(uri: string | undefined): string {
  if (!uri) return 'chat';
  if (/embed/i.test(uri)) return 'embeddings';
  if (/generateContent/i.test(uri)) return 'generate_content';
  return 'chat';
}

/** What the response body says beyond the event's fields (model, finish reasons). */
export interface ResponseFacts {
  model?: string;
  finishReasons: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reads one response object or stream chunk (OpenAI, Anthropic, Bedrock shapes). */
function readChunk(c: unknown, facts: ResponseFacts): void {
  if (c === null || typeof c !== 'object') return;
  const o = c as Record<string, any>;
  facts.model ??= str(o.model) ?? str(o.message?.model) ?? str(o.response?.model) ?? str(o.modelVersion);
  const add = (r: unknown): void => {
    const s = str(r);
    if (s && !facts.finishReasons.includes(s)) facts.finishReasons.push(s);
  };
  if (Array.isArray(o.choices)) for (const ch of o.choices) add(ch?.finish_reason);
  if (Array.isArray(o.candidates)) for (const ch of o.candidates) add(ch?.finishReason);
  add(o.stop_reason);
  add(o.delta?.stop_reason);
  add(o.stopReason);
  add(o.messageStop?.stopReason);
  if (o.object === 'response' || o.response?.object === 'response') add(o.status ?? o.response?.status);
}

/**
 * The response model and finish reasons in a provider's response JSON (a response object, or the
 * array of a stream's chunks or events). Unreadable JSON gives no facts.
 *
 * @example
 * ```ts
 * responseFacts('{"model":"gpt-4o-2024-08-06","choices":[{"finish_reason":"stop"}]}'); // { model: 'gpt-4o-2024-08-06', finishReasons: ['stop'] }
 * ```
 */
export function responseFacts(json: string | undefined): ResponseFacts {
  const facts: ResponseFacts = { finishReasons: [] };
  if (!json) return facts;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return facts;
  }
  if (Array.isArray(parsed)) for (const c of parsed) readChunk(c, facts);
  else readChunk(parsed, facts);
  return facts;
}

/** Input and output token totals of an event's units. */
export function tokenTotals(event: PayiEvent): { input: number; output: number } {
  let input = 0;
  let output = 0;
  for (const u of Object.values(event.units ?? {})) {
    input += u.input ?? 0;
    output += u.output ?? 0;
  }
  return { input, output };
}

/**
 * `error.type` of a failed call: the HTTP status as text (`'429'`), or for a failure without one
 * (status 299) the error's class name; `undefined` when the call succeeded.
 */
export function errorType(event: PayiEvent): string | undefined {
  const status = event.http_status_code;
  if (status !== undefined && status >= 400) return String(status);
  const failure = event.properties?.['system.failure'];
  if (failure) return failure;
  return undefined;
}

/** `server.address` and `server.port` of the provider URI. */
function serverAttrs(uri: string | undefined, out: Attrs): void {
  if (!uri) return;
  try {
    const u = new URL(uri);
    out['server.address'] = u.hostname;
    out['server.port'] = u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443;
  } catch {
    /* not a URL: left out */
  }
}

/**
 * The attributes every signal of a call shares (the convention's metric attributes plus the use
 * case): operation, provider, request and response model, server, error type, `payi.use_case.name`.
 */
export function commonAttributes(event: PayiEvent, facts: ResponseFacts): Attrs {
  const a: Attrs = {
    'gen_ai.operation.name': operationName(event.provider_uri),
    'gen_ai.provider.name': providerName(event.category),
    'gen_ai.request.model': event.resource,
  };
  if (facts.model) a['gen_ai.response.model'] = facts.model;
  serverAttrs(event.provider_uri, a);
  const err = errorType(event);
  if (err) a['error.type'] = err;
  if (event.use_case_name) a['payi.use_case.name'] = event.use_case_name;
  return a;
}

/** The cost attributes of the service's answer (`payi.cost.*`), when it has a total. */
export function costAttributes(result: XproxyResult | undefined): Attrs {
  const cost = result?.cost as { currency?: unknown; input?: { base?: unknown }; output?: { base?: unknown }; total?: { base?: unknown } } | null | undefined;
  const out: Attrs = {};
  if (!cost || typeof cost.total?.base !== 'number') return out;
  out['payi.cost.total'] = cost.total.base;
  if (typeof cost.input?.base === 'number') out['payi.cost.input'] = cost.input.base;
  if (typeof cost.output?.base === 'number') out['payi.cost.output'] = cost.output.base;
  if (typeof cost.currency === 'string') out['payi.cost.currency'] = cost.currency;
  return out;
}

/**
 * Every attribute of a call's span: {@link commonAttributes}, the response id, token usage, finish
 * reasons, HTTP status, the SDK's attribution (`payi.*`), and the prompt and response JSON only when
 * the event carries them (that is, when `logPromptAndResponse` allows it for the call).
 *
 * @example
 * ```ts
 * spanAttributes(event, responseFacts(event.provider_response_json))['gen_ai.usage.input_tokens']; // 12
 * ```
 */
export function spanAttributes(event: PayiEvent, facts: ResponseFacts): Attrs {
  const a = commonAttributes(event, facts);
  const id = event.provider_response_id;
  if (id && !id.startsWith('payi_')) a['gen_ai.response.id'] = id;
  const tokens = tokenTotals(event);
  a['gen_ai.usage.input_tokens'] = tokens.input;
  a['gen_ai.usage.output_tokens'] = tokens.output;
  if (facts.finishReasons.length > 0) a['gen_ai.response.finish_reasons'] = [...facts.finishReasons];
  if (event.http_status_code !== undefined) a['http.response.status_code'] = event.http_status_code;
  a['payi.category'] = event.category;
  if (event.provider_response_id) a['payi.request.id'] = event.provider_response_id;
  if (event.use_case_id) a['payi.use_case.id'] = event.use_case_id;
  if (event.use_case_version !== undefined) a['payi.use_case.version'] = event.use_case_version;
  if (event.use_case_step) a['payi.use_case.step'] = event.use_case_step;
  if (event.user_id) a['payi.user.id'] = event.user_id;
  if (event.account_name) a['payi.account.name'] = event.account_name;
  if (event.limit_ids?.length) a['payi.limit_ids'] = [...event.limit_ids];
  if (event.request_tags?.length) a['payi.request_tags'] = [...event.request_tags];
  if (event.resource_scope) a['payi.resource_scope'] = event.resource_scope;
  if (event.time_to_first_token_ms !== undefined) a['payi.time_to_first_token_ms'] = event.time_to_first_token_ms;
  const p = event.properties ?? {};
  if (p['system.usage_source']) a['payi.usage_source'] = p['system.usage_source'];
  if (p['system.stream_outcome']) a['payi.stream_outcome'] = p['system.stream_outcome'];
  if (event.provider_request_json !== undefined) a['payi.request.json'] = event.provider_request_json;
  if (event.provider_response_json !== undefined) a['payi.response.json'] = event.provider_response_json;
  return a;
}

/** The span's name by the convention: `{operation} {request model}`. */
export function spanName(event: PayiEvent): string {
  return `${operationName(event.provider_uri)} ${event.resource}`;
}

/** Start and end of the call in epoch milliseconds, from the event's timestamp and latency. */
export function callTimes(event: PayiEvent): { start: number; end: number } {
  const start = Date.parse(event.event_timestamp);
  return { start, end: start + (event.end_to_end_latency_ms ?? 0) };
}
