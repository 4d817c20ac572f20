import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { scenario, sendJson, type Standin, type StandinRoute } from './server';

/**
 * The Anthropic part of the stand-in: `POST /v1/messages` (also `?beta=true`), answered like the
 * real Messages API, as JSON or as SSE (`stream: true`).
 *
 * Deterministic behaviour, so tests can reason about it:
 * - Tokens: every piece of text (system, messages, tool definitions, tool inputs and results)
 *   counts `ceil(characters / 4)` tokens, see {@link standinTokens}.
 * - The reply is `Stand-in reply: <the last user text, first 12 words>`.
 * - Prompt caching: a block with `cache_control` is a breakpoint. The first time a prefix is seen
 *   its tokens are written (`cache_creation_input_tokens`, split in `cache_creation` by the
 *   breakpoint's `ttl`, `5m` default); later requests with the same prefix read it
 *   (`cache_read_input_tokens`). No minimum length applies, unlike the real API.
 * - Tools: with custom `tools` (and `tool_choice` not `none`), the answer is a text block then a
 *   `tool_use` block for `tool_choice.name` or the first tool, whose input has a value per schema
 *   property; when the last user turn carries a `tool_result`, the answer is text.
 *   A `web_search_*` server tool adds a `server_tool_use` and a `web_search_tool_result` block and
 *   `usage.server_tool_use.web_search_requests: 1`.
 * - Scenarios (`x-standin-scenario`, comma-separated): `error-400`, `error-429`, `error-500`,
 *   `error-529` (Anthropic's error body and a `request-id` header), `slow` (20 ms before each SSE
 *   event, 200 ms before a JSON answer), `drop-stream` (the connection is cut after the first text
 *   delta), `stream-error` (an `event: error` with `overloaded_error` after the first text delta),
 *   `pretty` (the JSON answer indented), `invalid-json` (the JSON answer cut in half).
 *
 * @example
 * ```ts
 * const standin = await startStandin([anthropicRoute]);
 * const client = new Anthropic({ apiKey: 'test', baseURL: standin.url, maxRetries: 0 });
 * ```
 */
export const anthropicRoute: StandinRoute = async (req, res, standin) => {
  const path = req.url.split('?')[0];
  if (req.method !== 'POST' || path !== '/v1/messages') return false;
  const requestId = standin.nextId('req_standin_');
  const scenarios = new Set((scenario(req) ?? '').split(',').map((s) => s.trim()));
  const headers = { 'request-id': requestId, 'anthropic-organization-id': 'org-standin' };

  const forced = [...scenarios].find((s) => /^error-\d{3}$/.test(s));
  if (forced) {
    const status = Number(forced.slice(6));
    sendAnthropicError(res, status, ERROR_TYPES[status] ?? 'api_error', `stand-in: forced ${forced}`, requestId, headers);
    return true;
  }
  const body = req.json as MessagesBody | undefined;
  const problem = !body || typeof body !== 'object' ? 'body: expected a JSON object' : !body.model ? 'model: Field required' : typeof body.max_tokens !== 'number' ? 'max_tokens: Field required' : !Array.isArray(body.messages) ? 'messages: Field required' : undefined;
  if (problem || !body) {
    sendAnthropicError(res, 400, 'invalid_request_error', problem ?? 'invalid body', requestId, headers);
    return true;
  }

  const message = buildMessage(body, standin);
  if (!body.stream) {
    if (scenarios.has('slow')) await sleep(200);
    sendJson(res, 200, message, headers, scenarios);
    return true;
  }
  await writeStream(res, message, headers, scenarios);
  return true;
};

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Tokens the stand-in counts for a piece of text: `ceil(characters / 4)`. */
export function standinTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

interface Block {
  type?: string;
  text?: string;
  content?: unknown;
  input?: unknown;
  cache_control?: { type?: string; ttl?: string } | null;
  [key: string]: unknown;
}
interface Tool {
  type?: string;
  name?: string;
  input_schema?: { properties?: Record<string, { type?: string }> };
  cache_control?: Block['cache_control'];
}
interface MessagesBody {
  model?: string;
  max_tokens?: number;
  stream?: boolean;
  system?: string | Block[];
  messages?: { role: string; content: string | Block[] }[];
  tools?: Tool[];
  tool_choice?: { type?: string; name?: string };
}

const seenPrefixes = new WeakMap<Standin, Set<string>>();

/** Text pieces in prompt order, each with the cache breakpoint that ends on it (if any). */
function promptPieces(body: MessagesBody): { text: string; breakpoint?: string }[] {
  const out: { text: string; breakpoint?: string }[] = [];
  const bp = (b: Block['cache_control']): string | undefined => (b && b.type === 'ephemeral' ? (b.ttl === '1h' ? '1h' : '5m') : undefined);
  for (const t of body.tools ?? []) out.push({ text: JSON.stringify(t), breakpoint: bp(t.cache_control) });
  const blocks = (c: string | Block[] | undefined): Block[] => (typeof c === 'string' ? [{ type: 'text', text: c }] : Array.isArray(c) ? c : []);
  for (const b of blocks(body.system)) out.push({ text: blockText(b), breakpoint: bp(b.cache_control) });
  for (const m of body.messages ?? []) for (const b of blocks(m.content)) out.push({ text: blockText(b), breakpoint: bp(b.cache_control) });
  return out;
}

function blockText(b: Block): string {
  if (typeof b.text === 'string') return b.text;
  if (b.type === 'tool_use') return JSON.stringify(b.input ?? {});
  if (typeof b.content === 'string') return b.content;
  if (Array.isArray(b.content)) return (b.content as Block[]).map(blockText).join('');
  return '';
}

function lastUserText(body: MessagesBody): { text: string; hasToolResult: boolean } {
  const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
  if (!last) return { text: '', hasToolResult: false };
  if (typeof last.content === 'string') return { text: last.content, hasToolResult: false };
  const blocks = Array.isArray(last.content) ? last.content : [];
  return { text: blocks.filter((b) => b.type === 'text').map(blockText).join(' '), hasToolResult: blocks.some((b) => b.type === 'tool_result') };
}

/** Input, cache-read and cache-write counts of a request (and remembers the prefixes it wrote). */
function countInput(body: MessagesBody, standin: Standin): { input: number; read: number; write5m: number; write1h: number } {
  const seen = seenPrefixes.get(standin) ?? new Set<string>();
  seenPrefixes.set(standin, seen);
  const pieces = promptPieces(body);
  const hash = createHash('sha256');
  let total = 0;
  const breakpoints: { at: number; ttl: string; key: string }[] = [];
  for (const p of pieces) {
    hash.update(p.text);
    total += standinTokens(p.text);
    if (p.breakpoint) breakpoints.push({ at: total, ttl: p.breakpoint, key: `${body.model}:${hash.copy().digest('hex')}` });
  }
  let read = 0;
  for (const b of breakpoints) if (seen.has(b.key)) read = b.at;
  let write5m = 0;
  let write1h = 0;
  let from = read;
  for (const b of breakpoints) {
    if (b.at <= read) continue;
    if (b.ttl === '1h') write1h += b.at - from;
    else write5m += b.at - from;
    from = b.at;
    seen.add(b.key);
  }
  return { input: total - from, read, write5m, write1h };
}

function toolInput(tool: Tool, text: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(tool.input_schema?.properties ?? {})) {
    const t = schema?.type;
    input[name] = t === 'number' || t === 'integer' ? 42 : t === 'boolean' ? true : t === 'string' || t === undefined ? text || 'standin' : null;
  }
  return input;
}

/** The complete `Message` the stand-in answers with (also the source of the SSE events). */
function buildMessage(body: MessagesBody, standin: Standin): Record<string, any> {
  const { text, hasToolResult } = lastUserText(body);
  const reply = `Stand-in reply: ${text.split(/\s+/).filter(Boolean).slice(0, 12).join(' ')}`.trim();
  const content: Block[] = [];
  const tools = body.tools ?? [];
  const webSearch = tools.find((t) => typeof t.type === 'string' && t.type.startsWith('web_search'));
  const custom = tools.filter((t) => !t.type || t.type === 'custom');
  const wantTool = custom.length > 0 && !hasToolResult && body.tool_choice?.type !== 'none';
  if (webSearch) {
    const id = standin.nextId('srvtoolu_standin_');
    content.push({ type: 'server_tool_use', id, name: webSearch.name ?? 'web_search', input: { query: text || 'standin' } });
    content.push({ type: 'web_search_tool_result', tool_use_id: id, content: [{ type: 'web_search_result', title: 'Stand-in result', url: 'https://example.com/standin', encrypted_content: 'c3RhbmRpbg==', page_age: null }] });
  }
  content.push({ type: 'text', text: wantTool ? 'I will use a tool.' : reply });
  let outputText = wantTool ? 'I will use a tool.' : reply;
  if (wantTool) {
    const tool = custom.find((t) => t.name === body.tool_choice?.name) ?? custom[0];
    const input = toolInput(tool, text);
    content.push({ type: 'tool_use', id: standin.nextId('toolu_standin_'), name: tool.name ?? 'tool', input });
    outputText += JSON.stringify(input);
  }
  const counts = countInput(body, standin);
  const usage: Record<string, unknown> = {
    input_tokens: counts.input,
    cache_creation_input_tokens: counts.write5m + counts.write1h,
    cache_read_input_tokens: counts.read,
    cache_creation: { ephemeral_5m_input_tokens: counts.write5m, ephemeral_1h_input_tokens: counts.write1h },
    output_tokens: Math.max(1, standinTokens(outputText)),
    service_tier: 'standard',
  };
  if (webSearch) usage.server_tool_use = { web_search_requests: 1 };
  return {
    id: standin.nextId('msg_standin_'),
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: wantTool ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage,
  };
}

/** Sends Anthropic's error body `{ type: 'error', error: { type, message }, request_id }`. */
function sendAnthropicError(res: ServerResponse, status: number, type: string, message: string, requestId: string, headers: Record<string, string>): void {
  const extra: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {};
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: requestId }, { ...headers, ...extra });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes the message as the SSE events of the real streaming API. */
async function writeStream(res: ServerResponse, message: Record<string, any>, headers: Record<string, string>, scenarios: Set<string>): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  let closed = false;
  res.on('close', () => (closed = true));
  const send = async (event: string, data: unknown): Promise<void> => {
    if (closed) return;
    if (scenarios.has('slow')) await sleep(20);
    if (closed) return;
    await new Promise<void>((resolve) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`, () => resolve()));
  };
  const usage = message.usage as Record<string, unknown>;
  const { server_tool_use: serverToolUse, ...startUsage } = usage;
  await send('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...startUsage, output_tokens: 1 } } });
  await send('ping', { type: 'ping' });
  let firstText = true;
  for (const [index, block] of (message.content as Block[]).entries()) {
    if (block.type === 'text') {
      await send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const piece of splitText(block.text ?? '')) {
        await send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
        if (firstText) {
          firstText = false;
          if (scenarios.has('drop-stream')) {
            res.socket?.destroy();
            return;
          }
          if (scenarios.has('stream-error')) {
            await send('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
            res.end();
            return;
          }
        }
      }
    } else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
      await send('content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } });
      const json = JSON.stringify(block.input ?? {});
      const cut = Math.ceil(json.length / 2);
      for (const partial of [json.slice(0, cut), json.slice(cut)]) {
        await send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } });
      }
    } else {
      await send('content_block_start', { type: 'content_block_start', index, content_block: block });
    }
    await send('content_block_stop', { type: 'content_block_stop', index });
  }
  const deltaUsage: Record<string, unknown> = {
    input_tokens: usage.input_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens,
    cache_read_input_tokens: usage.cache_read_input_tokens,
    output_tokens: usage.output_tokens,
  };
  if (serverToolUse) deltaUsage.server_tool_use = serverToolUse;
  await send('message_delta', { type: 'message_delta', delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: deltaUsage });
  await send('message_stop', { type: 'message_stop' });
  if (!closed) res.end();
}

/** Splits text in about three pieces at spaces (so a stream has several deltas). */
function splitText(text: string): string[] {
  const words = text.split(/(?<= )/);
  const size = Math.max(1, Math.ceil(words.length / 3));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
  return out.length > 0 ? out : [''];
}
