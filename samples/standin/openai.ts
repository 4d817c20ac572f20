import type { ServerResponse } from 'node:http';
import { scenario, sendJson, type Standin, type StandinRequest, type StandinRoute } from './server';

/**
 * The OpenAI and Azure OpenAI part of the stand-in, answered like the real APIs:
 * `POST /v1/chat/completions`, `/v1/responses`, `/v1/embeddings`, and the Azure paths
 * `/openai/deployments/{deployment}/chat/completions|embeddings?api-version=...` (answered with the
 * model behind the deployment, {@link AZURE_MODEL_OF}, as Azure does).
 *
 * Deterministic behaviour, so tests can compute expected units:
 * - Tokens: a text counts `ceil(characters / 4)` tokens ({@link openaiStandinTokens}); a prompt is
 *   the sum over its messages (or `input` items, plus `instructions`), see {@link openaiStandinUsage}.
 * - The reply is `Stand-in reply: <the last user text, first 12 words>`; with a JSON-schema
 *   `response_format` (or Responses `text.format`) it is a JSON object with `"standin"` for each
 *   schema property.
 * - Cached tokens: with `prompt_cache_key` set, half the prompt tokens (rounded down) are cached.
 * - Reasoning tokens: models named `o1`, `o3`, `o4-*` or `gpt-5*` add twice the reply's tokens.
 * - Tools: with function `tools` (and `tool_choice` not `none`) and no tool result in the last
 *   turn (or a `tool_choice` naming a function), the answer is a call to `tool_choice`'s function or the first one, with `"standin"` for
 *   each schema property. Streamed, it arrives as deltas (name first, then the arguments in pieces).
 * - Streams (`stream: true`): SSE chunks; with `stream_options.include_usage` every chunk carries
 *   `usage: null` and a last chunk with `choices: []` carries the usage, exactly like the real API.
 *   The Responses API streams `response.created` ... `response.completed` (usage in the last).
 * - Every answer has an `x-request-id` header (`req_standin_<n>`).
 * - Scenarios (`x-standin-scenario`, comma-separated): `error-400`, `error-401`, `error-429`,
 *   `error-500` (OpenAI's error body), `slow` (20 ms before each SSE event, 200 ms before a JSON
 *   answer), `drop-stream` (the connection is destroyed after the first content chunk), `pretty`
 *   (a JSON answer indented, as the real API sends it), `invalid-json` (a JSON answer cut in half).
 *
 * @example
 * ```ts
 * const standin = await startStandin([openaiRoute]);
 * const client = new OpenAI({ apiKey: 'test', baseURL: `${standin.url}/v1`, maxRetries: 0 });
 * ```
 */
export const openaiRoute: StandinRoute = async (req, res, standin) => {
  if (req.method !== 'POST') return false;
  const path = req.url.split('?')[0] ?? '';
  const azure = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(path);
  const kind = azure ? azure[2] : /^\/v1\/(chat\/completions|responses|embeddings)$/.exec(path)?.[1];
  if (!kind) return false;
  const requestId = standin.nextId('req_standin_');
  const headers: Record<string, string> = { 'x-request-id': requestId, 'openai-processing-ms': '1' };
  if (azure) headers['x-ms-deployment-name'] = decodeURIComponent(azure[1] ?? '');
  const scenarios = new Set((scenario(req) ?? '').split(',').map((s) => s.trim()));
  const forced = [...scenarios].find((s) => /^error-\d{3}$/.test(s));
  if (forced) {
    const status = Number(forced.slice(6));
    sendJson(res, status, { error: { message: `stand-in: forced ${forced}`, type: ERROR_TYPES[status] ?? 'api_error', param: null, code: ERROR_CODES[status] ?? null } }, headers);
    return true;
  }
  const body = (req.json ?? {}) as Body;
  const model = body.model ?? (azure ? decodeURIComponent(azure[1] ?? '') : undefined);
  if (!model) {
    sendJson(res, 400, { error: { message: 'you must provide a model parameter', type: 'invalid_request_error', param: 'model', code: null } }, headers);
    return true;
  }
  // Azure answers with the model behind the deployment, not the deployment's name
  const served = (answer: Record<string, unknown>): Record<string, unknown> => (azure ? { ...answer, model: AZURE_MODEL_OF(model) } : answer);
  if (kind === 'embeddings') {
    if (scenarios.has('slow')) await sleep(200);
    sendJson(res, 200, served(embeddingsAnswer(body, model)), headers, scenarios);
  } else if (kind === 'responses') {
    const response = responsesAnswer(body, model, standin);
    if (body.stream) await writeResponsesStream(res, response, headers, scenarios);
    else {
      if (scenarios.has('slow')) await sleep(200);
      sendJson(res, 200, response, headers, scenarios);
    }
  } else {
    const completion = served(chatAnswer(body, model, standin));
    if (body.stream) await writeChatStream(res, completion, body, headers, scenarios);
    else {
      if (scenarios.has('slow')) await sleep(200);
      sendJson(res, 200, completion, headers, scenarios);
    }
  }
  return true;
};

/**
 * The model an Azure deployment serves, as its answers name it: the deployment's own name when that
 * is a model name (`gpt-4o-mini`), else `gpt-4o-2024-08-06`.
 */
export const AZURE_MODEL_OF = (deployment: string): string => (/^(gpt-|o\d|text-embedding-)/.test(deployment) ? deployment : 'gpt-4o-2024-08-06');

const ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'invalid_request_error', 429: 'rate_limit_exceeded', 500: 'server_error' };
const ERROR_CODES: Record<number, string> = { 401: 'invalid_api_key', 429: 'rate_limit_exceeded' };

interface Tool {
  type?: string;
  name?: string;
  parameters?: { properties?: Record<string, unknown> };
  function?: { name?: string; parameters?: { properties?: Record<string, unknown> } };
}
interface Body {
  model?: string;
  messages?: { role?: string; content?: unknown }[];
  input?: unknown;
  instructions?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: Tool[];
  tool_choice?: unknown;
  prompt_cache_key?: string;
  encoding_format?: string;
  response_format?: { type?: string; json_schema?: { schema?: { properties?: Record<string, unknown> } } };
  text?: { format?: { type?: string; schema?: { properties?: Record<string, unknown> } } };
}

/** Tokens the stand-in counts for a piece of text: `ceil(characters / 4)`. */
export function openaiStandinTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : textOf((p as { text?: unknown; content?: unknown })?.text ?? (p as { content?: unknown })?.content))).join('');
  return '';
}

/** The prompt's items (chat `messages`, or Responses `instructions` + `input`). */
function promptItems(body: Body): { role: string; text: string }[] {
  if (Array.isArray(body.messages)) return body.messages.map((m) => ({ role: m.role ?? 'user', text: textOf(m.content) }));
  const items: { role: string; text: string }[] = [];
  if (body.instructions) items.push({ role: 'system', text: body.instructions });
  if (typeof body.input === 'string') items.push({ role: 'user', text: body.input });
  else if (Array.isArray(body.input)) {
    for (const it of body.input as { role?: string; type?: string; content?: unknown; output?: unknown }[]) {
      items.push({ role: it.type === 'function_call_output' ? 'tool' : (it.role ?? 'user'), text: textOf(it.content ?? it.output) });
    }
  }
  return items;
}

/**
 * The usage the stand-in reports for a chat or Responses request (what a test expects):
 * prompt, cached, completion (including reasoning) and reasoning tokens.
 *
 * @example
 * ```ts
 * const u = openaiStandinUsage({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
 * ```
 */
export function openaiStandinUsage(body: Body): { prompt: number; cached: number; completion: number; reasoning: number; reply: string } {
  const items = promptItems(body);
  const prompt = items.reduce((n, it) => n + openaiStandinTokens(it.text), 0);
  const cached = body.prompt_cache_key ? Math.floor(prompt / 2) : 0;
  const call = toolCallFor(body);
  const lastUser = [...items].reverse().find((it) => it.role === 'user')?.text ?? '';
  const schema = jsonSchemaOf(body);
  const reply = schema ? JSON.stringify(Object.fromEntries(Object.keys(schema.properties ?? {}).map((k) => [k, 'standin']))) : `Stand-in reply: ${lastUser.split(/\s+/).filter(Boolean).slice(0, 12).join(' ')}`;
  const visible = openaiStandinTokens(reply) + (call ? openaiStandinTokens(call.name + call.arguments) : 0);
  const reasoning = /^(o\d|gpt-5)/.test(body.model ?? '') ? 2 * openaiStandinTokens(reply) : 0;
  return { prompt, cached, completion: visible + reasoning, reasoning, reply };
}

/** The JSON schema of a structured-output request (chat `response_format`, Responses `text.format`). */
function jsonSchemaOf(body: Body): { properties?: Record<string, unknown> } | undefined {
  const chat = body.response_format;
  if (chat?.type === 'json_schema') return chat.json_schema?.schema ?? {};
  const responses = body.text?.format;
  if (responses?.type === 'json_schema') return responses.schema ?? {};
  return undefined;
}

function toolCallFor(body: Body): { name: string; arguments: string } | undefined {
  const tools = (body.tools ?? []).filter((t) => t.type === 'function');
  if (tools.length === 0 || body.tool_choice === 'none') return undefined;
  const choice = body.tool_choice as { function?: { name?: string }; name?: string } | undefined;
  const wanted = choice?.function?.name ?? choice?.name;
  // a tool_choice naming a function is always answered with a call to it, even after a tool result
  const last = promptItems(body).at(-1);
  if (last?.role === 'tool' && !wanted) return undefined;
  const tool = tools.find((t) => (t.function?.name ?? t.name) === wanted) ?? tools[0];
  const params = tool?.function?.parameters ?? tool?.parameters;
  const args: Record<string, string> = {};
  for (const key of Object.keys(params?.properties ?? {})) args[key] = 'standin';
  return { name: tool?.function?.name ?? tool?.name ?? 'tool', arguments: JSON.stringify(args) };
}

function chatAnswer(body: Body, model: string, standin: Standin): Record<string, unknown> {
  const u = openaiStandinUsage({ ...body, model });
  const call = toolCallFor(body);
  const id = standin.nextId('chatcmpl-standin-');
  const message: Record<string, unknown> = { role: 'assistant', content: call ? null : u.reply, refusal: null, annotations: [] };
  if (call) message.tool_calls = [{ id: `call_${id.slice(-6)}`, type: 'function', function: call }];
  return {
    id,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: call ? 'tool_calls' : 'stop' }],
    usage: chatUsage(u),
    service_tier: 'default',
    system_fingerprint: 'fp_standin',
  };
}

function chatUsage(u: ReturnType<typeof openaiStandinUsage>): Record<string, unknown> {
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function pieces(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}

async function writeChatStream(res: ServerResponse, c: Record<string, unknown>, body: Body, headers: Record<string, string>, scenarios: Set<string>): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  const withUsage = body.stream_options?.include_usage === true;
  const choice = (c.choices as { message: { content: string | null; tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[] }; finish_reason: string }[])[0]!;
  const base = { id: c.id, object: 'chat.completion.chunk', created: c.created, model: c.model, service_tier: 'default', system_fingerprint: 'fp_standin' };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(withUsage ? { usage: null } : {}),
  });
  const events: Record<string, unknown>[] = [chunk({ role: 'assistant', content: choice.message.content === null ? null : '', refusal: null })];
  if (choice.message.content !== null) for (const p of pieces(choice.message.content)) events.push(chunk({ content: p }));
  for (const [i, call] of (choice.message.tool_calls ?? []).entries()) {
    events.push(chunk({ tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    const half = Math.ceil(call.function.arguments.length / 2);
    for (const part of [call.function.arguments.slice(0, half), call.function.arguments.slice(half)]) {
      if (part) events.push(chunk({ tool_calls: [{ index: i, function: { arguments: part } }] }));
    }
  }
  events.push(chunk({}, choice.finish_reason));
  if (withUsage) events.push({ ...base, choices: [], usage: c.usage });
  for (const [i, e] of events.entries()) {
    if (scenarios.has('slow')) await sleep(20);
    res.write(`data: ${JSON.stringify(e)}\n\n`);
    if (i === 1 && scenarios.has('drop-stream')) return dropAfterFlush(res);
  }
  res.end('data: [DONE]\n\n');
}

function responsesAnswer(body: Body, model: string, standin: Standin): Record<string, unknown> {
  const u = openaiStandinUsage({ ...body, model });
  const call = toolCallFor(body);
  const id = standin.nextId('resp_standin_');
  const output: Record<string, unknown>[] = [];
  if (u.reasoning > 0) output.push({ id: `rs_${id.slice(5)}`, type: 'reasoning', summary: [] });
  if (call) output.push({ id: `fc_${id.slice(5)}`, type: 'function_call', status: 'completed', call_id: `call_${id.slice(5)}`, name: call.name, arguments: call.arguments });
  else output.push({ id: `msg_${id.slice(5)}`, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: u.reply, annotations: [], logprobs: [] }] });
  return {
    id,
    object: 'response',
    created_at: 1_700_000_000,
    status: 'completed',
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    model,
    output,
    parallel_tool_calls: true,
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    usage: {
      input_tokens: u.prompt,
      input_tokens_details: { cached_tokens: u.cached },
      output_tokens: u.completion,
      output_tokens_details: { reasoning_tokens: u.reasoning },
      total_tokens: u.prompt + u.completion,
    },
  };
}

async function writeResponsesStream(res: ServerResponse, r: Record<string, unknown>, headers: Record<string, string>, scenarios: Set<string>): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  let seq = 0;
  const events: Record<string, unknown>[] = [];
  const ev = (type: string, data: Record<string, unknown>): void => void events.push({ type, sequence_number: seq++, ...data });
  ev('response.created', { response: { ...r, status: 'in_progress', output: [], usage: null } });
  let firstDelta = -1;
  for (const [oi, item] of (r.output as Record<string, unknown>[]).entries()) {
    if (item.type === 'message') {
      const text = ((item.content as { text: string }[])[0] ?? { text: '' }).text;
      ev('response.output_item.added', { output_index: oi, item: { ...item, status: 'in_progress', content: [] } });
      ev('response.content_part.added', { item_id: item.id, output_index: oi, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
      for (const p of pieces(text)) {
        if (firstDelta < 0) firstDelta = events.length;
        ev('response.output_text.delta', { item_id: item.id, output_index: oi, content_index: 0, delta: p, logprobs: [] });
      }
      ev('response.output_text.done', { item_id: item.id, output_index: oi, content_index: 0, text, logprobs: [] });
      ev('response.content_part.done', { item_id: item.id, output_index: oi, content_index: 0, part: { type: 'output_text', text, annotations: [], logprobs: [] } });
    } else if (item.type === 'function_call') {
      ev('response.output_item.added', { output_index: oi, item: { ...item, status: 'in_progress', arguments: '' } });
      const args = String(item.arguments);
      const half = Math.ceil(args.length / 2);
      for (const part of [args.slice(0, half), args.slice(half)]) {
        if (!part) continue;
        if (firstDelta < 0) firstDelta = events.length;
        ev('response.function_call_arguments.delta', { item_id: item.id, output_index: oi, delta: part });
      }
      ev('response.function_call_arguments.done', { item_id: item.id, output_index: oi, name: item.name, arguments: args });
    } else {
      ev('response.output_item.added', { output_index: oi, item });
    }
    ev('response.output_item.done', { output_index: oi, item });
  }
  ev('response.completed', { response: r });
  for (const [i, e] of events.entries()) {
    if (scenarios.has('slow')) await sleep(20);
    res.write(`event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`);
    if (i === firstDelta && scenarios.has('drop-stream')) return dropAfterFlush(res);
  }
  res.end();
}

function embeddingsAnswer(body: Body, model: string): Record<string, unknown> {
  const inputs = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input];
  const texts = inputs.map((t) => (typeof t === 'string' ? t : JSON.stringify(t)));
  const data = texts.map((t, index) => {
    const vector = Array.from({ length: 8 }, (_, i) => Number((((t.charCodeAt(i % Math.max(1, t.length)) || 0) % 100) / 100).toFixed(2)));
    const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const prompt = texts.reduce((n, t) => n + openaiStandinTokens(t), 0);
  return { object: 'list', data, model, usage: { prompt_tokens: prompt, total_tokens: prompt } };
}

function dropAfterFlush(res: ServerResponse): void {
  // Let the written chunk reach the client, then cut the connection mid-stream.
  setTimeout(() => res.socket?.destroy(), 10);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The JSON body a stand-in request carried (typed for tests). */
export function requestBody(req: StandinRequest): Body {
  return (req.json ?? {}) as Body;
}
