/**
 * Realistic request and answer bodies for the in-process benchmark: a chat prompt of about 1 kB
 * (system + user message), a JSON answer of about 1 kB, and streams of 40 content events (about
 * 8 kB of SSE), as the real OpenAI and Anthropic APIs send them. Built once; the `fetch` of
 * `memory-fetch.ts` answers with them, so the benchmark measures the client, never a socket.
 */

/** The prompt every benchmarked call sends (≈ 1 kB of JSON). */
export const SYSTEM_PROMPT =
  'You are a careful assistant for a travel company. Answer in two short paragraphs, cite the policy section you rely on, never invent prices, and ask one clarifying question when the request is ambiguous. Keep a friendly, concise tone.';
export const USER_PROMPT =
  'My flight from Lisbon to Boston was cancelled this morning and the rebooking offered leaves two days later. I have a hotel booked in Boston and a conference on Thursday. What are my options under your policy, can I get a refund for the unused hotel night, and is there any way to be rebooked on a partner airline today?';

/** The reply's words, streamed one event per word group. */
const REPLY_PARTS = Array.from({ length: 40 }, (_, i) => ` part${i} of the answer,`);
const REPLY = REPLY_PARTS.join('').trim();

const enc = new TextEncoder();

/** Response headers of the providers' APIs (the ones the SDKs and the instrumentation read, and the usual others). */
export function openaiHeaders(requestId: string, stream: boolean): Record<string, string> {
  return {
    'content-type': stream ? 'text/event-stream; charset=utf-8' : 'application/json',
    date: 'Tue, 01 Dec 2026 12:00:00 GMT',
    'openai-organization': 'bench-org',
    'openai-processing-ms': '412',
    'openai-version': '2020-10-01',
    'x-ratelimit-limit-requests': '10000',
    'x-ratelimit-limit-tokens': '30000000',
    'x-ratelimit-remaining-requests': '9999',
    'x-ratelimit-remaining-tokens': '29999000',
    'x-ratelimit-reset-requests': '6ms',
    'x-ratelimit-reset-tokens': '2ms',
    'x-request-id': requestId,
    'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
  };
}

/** Anthropic's response headers. */
export function anthropicHeaders(requestId: string, stream: boolean): Record<string, string> {
  return {
    'content-type': stream ? 'text/event-stream; charset=utf-8' : 'application/json',
    date: 'Tue, 01 Dec 2026 12:00:00 GMT',
    'anthropic-ratelimit-requests-limit': '4000',
    'anthropic-ratelimit-requests-remaining': '3999',
    'anthropic-ratelimit-requests-reset': '2026-12-01T12:00:01Z',
    'anthropic-ratelimit-tokens-limit': '400000',
    'anthropic-ratelimit-tokens-remaining': '399000',
    'anthropic-ratelimit-tokens-reset': '2026-12-01T12:00:01Z',
    'request-id': requestId,
    'anthropic-organization-id': '5c1a3e1e-bench',
    via: '1.1 google',
  };
}

/** A chat completion JSON answer (≈ 1.1 kB). */
export function openaiCompletion(id: string): string {
  return JSON.stringify({
    id,
    object: 'chat.completion',
    created: 1_764_590_400,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: REPLY, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: 142,
      completion_tokens: 120,
      total_tokens: 262,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_bench01',
  });
}

/** A chat completion stream as SSE events (one `Uint8Array` per event); with `includeUsage`, the usage chunk and `usage: null` on the others, as the API does. */
export function openaiStream(id: string, includeUsage: boolean): Uint8Array[] {
  const base = { id, object: 'chat.completion.chunk', created: 1_764_590_400, model: 'gpt-4o-mini-2024-07-18', service_tier: 'default', system_fingerprint: 'fp_bench01' };
  const extra = includeUsage ? { usage: null } : {};
  const chunks: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...extra }];
  for (const part of REPLY_PARTS) chunks.push({ ...base, choices: [{ index: 0, delta: { content: part }, logprobs: null, finish_reason: null }], ...extra });
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], ...extra });
  if (includeUsage) {
    chunks.push({
      ...base,
      choices: [],
      usage: { prompt_tokens: 142, completion_tokens: 120, total_tokens: 262, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    });
  }
  const out = chunks.map((c) => enc.encode(`data: ${JSON.stringify(c)}\n\n`));
  out.push(enc.encode('data: [DONE]\n\n'));
  return out;
}

/** An Anthropic message JSON answer (≈ 1 kB). */
export function anthropicMessage(id: string): string {
  return JSON.stringify({
    id,
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-6',
    content: [{ type: 'text', text: REPLY }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 142, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 120, service_tier: 'standard' },
  });
}

/** An Anthropic message stream as SSE events (one `Uint8Array` per event). */
export function anthropicStream(id: string): Uint8Array[] {
  const events: [string, unknown][] = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-6',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 142, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 1, service_tier: 'standard' },
        },
      },
    ],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ];
  for (const part of REPLY_PARTS) events.push(['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } }]);
  events.push(['content_block_stop', { type: 'content_block_stop', index: 0 }]);
  events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 120 } }]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events.map(([name, data]) => enc.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
}

/** A Bedrock Converse answer (JSON), with the usage the service reports. */
export function bedrockConverse(): string {
  return JSON.stringify({
    output: { message: { role: 'assistant', content: [{ text: REPLY }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 142, outputTokens: 120, totalTokens: 262 },
    metrics: { latencyMs: 412 },
  });
}

/** A Bedrock ConverseStream answer as the events it carries, in order: `[event type, payload]`. */
export function bedrockConverseStreamEvents(): [string, unknown][] {
  const events: [string, unknown][] = [['messageStart', { role: 'assistant' }]];
  for (const part of REPLY_PARTS) events.push(['contentBlockDelta', { contentBlockIndex: 0, delta: { text: part } }]);
  events.push(['contentBlockStop', { contentBlockIndex: 0 }]);
  events.push(['messageStop', { stopReason: 'end_turn' }]);
  events.push(['metadata', { usage: { inputTokens: 142, outputTokens: 120, totalTokens: 262 }, metrics: { latencyMs: 530 } }]);
  return events;
}

/** Response headers of the Bedrock runtime API. */
export function bedrockHeaders(requestId: string, stream: boolean): Record<string, string> {
  return {
    date: 'Mon, 07 Dec 2026 12:00:00 GMT',
    'content-type': stream ? 'application/vnd.amazon.eventstream' : 'application/json',
    ...(stream ? { 'x-amzn-bedrock-content-type': 'application/json' } : {}),
    'x-amzn-requestid': requestId,
    connection: 'keep-alive',
  };
}
