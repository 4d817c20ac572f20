import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { Standin, StandinRequest, StandinRoute } from './server';

/**
 * The AWS Bedrock runtime part of the stand-in: `POST /model/{modelId}/converse`, `/converse-stream`,
 * `/invoke` and `/invoke-with-response-stream`, answered in the shapes of the real service (JSON,
 * and AWS event-stream binary frames for the two streaming commands).
 *
 * The AWS client cannot send a test header, so scenarios are chosen by the model id: one containing
 * `throttle` answers 429 `ThrottlingException`, `validation` 400 `ValidationException`, `drop` destroys
 * the connection (mid-stream for the streaming commands). A Converse request with `toolConfig`, or an
 * Anthropic invoke body with `tools`, gets a tool call back; a prompt containing `forbidden` under a
 * guardrail gets `guardrail_intervened`; a cache point (`cachePoint` / `cache_control`) gets cache
 * counts. Token counts are deterministic: input = ceil(prompt characters / 4), output = reply words.
 *
 * @example
 * ```ts
 * const standin = await startStandin([bedrockRoute]);
 * const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: standin.url,
 *   credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
 * ```
 */
export const bedrockRoute: StandinRoute = (req, res, standin) => {
  const m = /^\/model\/([^/?]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)(?:\?.*)?$/.exec(req.url);
  if (!m || req.method !== 'POST') return false;
  const modelId = decodeURIComponent(m[1]!);
  const op = m[2]!;
  const requestId = randomUUID();
  const base = { 'x-amzn-requestid': requestId };
  if (modelId.includes('throttle')) {
    sendError(res, 429, 'ThrottlingException', 'Too many requests, please wait before trying again.', base);
  } else if (modelId.includes('validation')) {
    sendError(res, 400, 'ValidationException', 'The provided model identifier is invalid.', base);
  } else if (modelId.includes('drop') && !op.endsWith('stream')) {
    res.socket?.destroy();
  } else {
    const body = readJson(req);
    const ctx: Ctx = { modelId, body, req, standin, drop: modelId.includes('drop') };
    if (op === 'converse') sendJson(res, converse(ctx), base);
    else if (op === 'converse-stream') sendFrames(res, ctx, converseStream(ctx).map((e) => frame(e[0], e[1])), base);
    else if (op === 'invoke') invoke(res, ctx, base);
    else sendFrames(res, ctx, invokeStream(ctx).map((c) => frame('chunk', { bytes: Buffer.from(JSON.stringify(c)).toString('base64') })), base);
  }
  return true;
};

interface Ctx {
  modelId: string;
  body: Record<string, any>;
  req: StandinRequest;
  standin: Standin;
  drop: boolean;
}

/** The answer text of the stand-in (its words are the output tokens). */
export const BEDROCK_STANDIN_REPLY = 'Hello from the Bedrock stand-in.';
const REFUSAL = 'Sorry, the model cannot answer this question.';
const CACHE = { read: 1024, write: 256 };
const codec = new EventStreamCodec(toUtf8, fromUtf8);

const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;
const tokens = (prompt: string): number => Math.max(1, Math.ceil(prompt.length / 4));

function readJson(req: StandinRequest): Record<string, any> {
  try {
    const v: unknown = JSON.parse(req.body.toString('utf8'));
    return v && typeof v === 'object' ? (v as Record<string, any>) : {};
  } catch {
    return {};
  }
}

/** Every `text` string found anywhere in the request body (prompt, system, messages). */
function promptText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(promptText).join('');
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return ['messages', 'system', 'content', 'text', 'prompt', 'inputText'].map((k) => (k in o ? promptText(o[k]) : '')).join('');
  }
  return '';
}

const hasKey = (v: unknown, key: string): boolean =>
  Array.isArray(v) ? v.some((x) => hasKey(x, key)) : !!v && typeof v === 'object' && Object.entries(v).some(([k, x]) => k === key || hasKey(x, key));

function sendError(res: http.ServerResponse, status: number, type: string, message: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...headers });
  res.end(JSON.stringify({ message }));
}

function sendJson(res: http.ServerResponse, body: unknown, headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function frame(eventType: string, body: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ ...(body as object), p: 'abcdefghij' })),
  });
}

function sendFrames(res: http.ServerResponse, ctx: Ctx, frames: Uint8Array[], headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-content-type': 'application/json', ...headers });
  const sent = ctx.drop ? frames.slice(0, 2) : frames;
  for (const f of sent) res.write(f);
  if (ctx.drop) setImmediate(() => res.socket?.destroy());
  else res.end();
}

function converseGuarded(ctx: Ctx): boolean {
  return !!ctx.body.guardrailConfig && promptText(ctx.body).includes('forbidden');
}

function converseUsage(ctx: Ctx, reply: string): Record<string, number> {
  const input = tokens(promptText(ctx.body));
  const output = words(reply);
  const cached = hasKey(ctx.body, 'cachePoint');
  const usage: Record<string, number> = { inputTokens: input, outputTokens: output, totalTokens: input + output };
  if (cached) Object.assign(usage, { cacheReadInputTokens: CACHE.read, cacheWriteInputTokens: CACHE.write, totalTokens: input + output + CACHE.read + CACHE.write });
  return usage;
}

function guardrailTrace(ctx: Ctx): Record<string, unknown> {
  const invoke = !ctx.body.guardrailConfig;
  const id = String(ctx.body.guardrailConfig?.guardrailIdentifier ?? ctx.req.headers['x-amzn-bedrock-guardrailidentifier'] ?? 'gr');
  return {
    guardrail: {
      [invoke ? 'input' : 'inputAssessment']: {
        [id]: {
          topicPolicy: { topics: [{ name: 'Forbidden', type: 'DENY', action: 'BLOCKED', detected: true }] },
          invocationMetrics: { guardrailProcessingLatency: 80, usage: { topicPolicyUnits: 1, contentPolicyUnits: 1, wordPolicyUnits: 0, sensitiveInformationPolicyUnits: 0, sensitiveInformationPolicyFreeUnits: 0, contextualGroundingPolicyUnits: 0 } },
        },
      },
    },
  };
}

function converse(ctx: Ctx): Record<string, unknown> {
  if (converseGuarded(ctx)) {
    const out: Record<string, unknown> = {
      output: { message: { role: 'assistant', content: [{ text: REFUSAL }] } },
      stopReason: 'guardrail_intervened',
      usage: converseUsage(ctx, ''),
      metrics: { latencyMs: 90 },
    };
    if (ctx.body.guardrailConfig?.trace === 'enabled') out.trace = guardrailTrace(ctx);
    return out;
  }
  const content: Record<string, unknown>[] = [{ text: BEDROCK_STANDIN_REPLY }];
  const tool = ctx.body.toolConfig?.tools?.[0]?.toolSpec?.name as string | undefined;
  if (tool) content.push({ toolUse: { toolUseId: `tooluse_standin_${ctx.standin.nextId('')}`, name: tool, input: { city: 'Paris' } } });
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: tool ? 'tool_use' : 'end_turn',
    usage: converseUsage(ctx, BEDROCK_STANDIN_REPLY),
    metrics: { latencyMs: 120 },
  };
}

function converseStream(ctx: Ctx): [string, unknown][] {
  const tool = ctx.body.toolConfig?.tools?.[0]?.toolSpec?.name as string | undefined;
  const events: [string, unknown][] = [['messageStart', { role: 'assistant' }]];
  for (const piece of BEDROCK_STANDIN_REPLY.split(/(?<= )/)) events.push(['contentBlockDelta', { contentBlockIndex: 0, delta: { text: piece } }]);
  events.push(['contentBlockStop', { contentBlockIndex: 0 }]);
  if (tool) {
    events.push(['contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_standin_stream', name: tool } } }]);
    for (const part of ['{"ci', 'ty": "Pa', 'ris"}']) events.push(['contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: part } } }]);
    events.push(['contentBlockStop', { contentBlockIndex: 1 }]);
  }
  events.push(['messageStop', { stopReason: tool ? 'tool_use' : 'end_turn' }]);
  events.push(['metadata', { usage: converseUsage(ctx, BEDROCK_STANDIN_REPLY), metrics: { latencyMs: 150 } }]);
  return events;
}

type Family = 'anthropic' | 'nova' | 'llama' | 'titan-embed' | 'gpt-oss' | 'other';
function family(modelId: string): Family {
  if (modelId.includes('anthropic.')) return 'anthropic';
  if (modelId.includes('amazon.nova')) return 'nova';
  if (modelId.includes('meta.llama')) return 'llama';
  if (modelId.includes('amazon.titan-embed')) return 'titan-embed';
  if (modelId.includes('openai.gpt-oss')) return 'gpt-oss';
  return 'other';
}

function invoke(res: http.ServerResponse, ctx: Ctx, base: Record<string, string>): void {
  const input = tokens(promptText(ctx.body));
  const output = words(BEDROCK_STANDIN_REPLY);
  const headers: Record<string, string> = { ...base, 'x-amzn-bedrock-input-token-count': String(input), 'x-amzn-bedrock-output-token-count': String(output), 'x-amzn-bedrock-invocation-latency': '120' };
  const f = family(ctx.modelId);
  let body: Record<string, unknown>;
  if (f === 'anthropic') body = anthropicMessage(ctx, input, output);
  else if (f === 'nova') body = { output: { message: { role: 'assistant', content: [{ text: BEDROCK_STANDIN_REPLY }] } }, stopReason: 'end_turn', usage: { inputTokens: input, outputTokens: output, totalTokens: input + output, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 } };
  else if (f === 'llama') body = { generation: BEDROCK_STANDIN_REPLY, prompt_token_count: input, generation_token_count: output, stop_reason: 'stop' };
  else if (f === 'titan-embed') {
    body = { embedding: [0.125, -0.25, 0.5], inputTextTokenCount: input };
    headers['x-amzn-bedrock-output-token-count'] = '0';
  } else if (f === 'gpt-oss') body = { id: `chatcmpl-standin-${ctx.standin.nextId('')}`, object: 'chat.completion', created: 1700000000, model: ctx.modelId, choices: [{ index: 0, message: { role: 'assistant', content: BEDROCK_STANDIN_REPLY }, finish_reason: 'stop' }], usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output } };
  else body = { outputs: [{ text: BEDROCK_STANDIN_REPLY, stop_reason: 'stop' }] };
  sendJson(res, body, headers);
}

function anthropicMessage(ctx: Ctx, input: number, output: number): Record<string, unknown> {
  const guarded = !!ctx.req.headers['x-amzn-bedrock-guardrailidentifier'] && promptText(ctx.body).includes('forbidden');
  const content: Record<string, unknown>[] = [{ type: 'text', text: guarded ? REFUSAL : BEDROCK_STANDIN_REPLY }];
  const tool = ctx.body.tools?.[0]?.name as string | undefined;
  if (tool && !guarded) content.push({ type: 'tool_use', id: 'toolu_bdrk_standin', name: tool, input: { city: 'Paris' } });
  const usage: Record<string, number> = { input_tokens: input, output_tokens: output };
  if (hasKey(ctx.body, 'cache_control')) Object.assign(usage, { cache_creation_input_tokens: CACHE.write, cache_read_input_tokens: CACHE.read });
  const msg: Record<string, unknown> = { id: `msg_bdrk_standin_${ctx.standin.nextId('')}`, type: 'message', role: 'assistant', model: 'claude-3-5-sonnet-20240620', content, stop_reason: tool && !guarded ? 'tool_use' : 'end_turn', stop_sequence: null, usage };
  if (guarded) {
    msg['amazon-bedrock-guardrailAction'] = 'INTERVENED';
    if (ctx.req.headers['x-amzn-bedrock-trace'] === 'ENABLED') msg['amazon-bedrock-trace'] = guardrailTrace(ctx);
  }
  return msg;
}

function invokeStream(ctx: Ctx): Record<string, unknown>[] {
  const input = tokens(promptText(ctx.body));
  const output = words(BEDROCK_STANDIN_REPLY);
  const pieces = BEDROCK_STANDIN_REPLY.split(/(?<= )/);
  const metrics = { 'amazon-bedrock-invocationMetrics': { inputTokenCount: input, outputTokenCount: output, invocationLatency: 150, firstByteLatency: 40 } };
  const f = family(ctx.modelId);
  if (f === 'anthropic') {
    const tool = ctx.body.tools?.[0]?.name as string | undefined;
    const usage: Record<string, number> = { input_tokens: input, output_tokens: 1 };
    if (hasKey(ctx.body, 'cache_control')) Object.assign(usage, { cache_creation_input_tokens: CACHE.write, cache_read_input_tokens: CACHE.read });
    const chunks: Record<string, unknown>[] = [
      { type: 'message_start', message: { id: `msg_bdrk_standin_${ctx.standin.nextId('')}`, type: 'message', role: 'assistant', model: 'claude-3-5-sonnet-20240620', content: [], stop_reason: null, stop_sequence: null, usage } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ...pieces.map((text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
      { type: 'content_block_stop', index: 0 },
    ];
    if (tool) {
      chunks.push({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_bdrk_standin', name: tool, input: {} } });
      for (const partial_json of ['{"ci', 'ty": "Pa', 'ris"}']) chunks.push({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json } });
      chunks.push({ type: 'content_block_stop', index: 1 });
    }
    chunks.push({ type: 'message_delta', delta: { stop_reason: tool ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: output } });
    chunks.push({ type: 'message_stop', ...metrics });
    return chunks;
  }
  if (f === 'nova') {
    return [
      { messageStart: { role: 'assistant' } },
      ...pieces.map((text) => ({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } })),
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn' } },
      { metadata: { usage: { inputTokens: input, outputTokens: output }, metrics: {}, trace: {} }, ...metrics },
    ];
  }
  if (f === 'llama') {
    return pieces.map((generation, i) => ({
      generation,
      prompt_token_count: i === 0 ? input : null,
      generation_token_count: i + 1,
      stop_reason: i === pieces.length - 1 ? 'stop' : null,
      ...(i === pieces.length - 1 ? metrics : {}),
    }));
  }
  return pieces.map((text, i) => ({ outputs: [{ text, stop_reason: i === pieces.length - 1 ? 'stop' : null }], ...(i === pieces.length - 1 ? metrics : {}) }));
}
