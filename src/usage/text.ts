/**
 * The text a provider bills for, taken from a request body or from stream chunks, for estimating
 * usage when the provider reported none (an abandoned or broken stream). Provider-neutral: it knows
 * the shapes of OpenAI Chat Completions and Responses, Anthropic Messages and Bedrock Converse.
 */

/** Keys whose string values are prompt text (messages, system, prompt, instructions, tool arguments). */
const TEXT_KEYS = new Set(['content', 'text', 'input', 'prompt', 'system', 'instructions', 'arguments', 'thinking', 'output', 'name', 'description']);
/** Keys of binary or referenced content (images, audio, files): not text. */
const SKIP_KEYS = new Set(['image_url', 'image', 'source', 'input_audio', 'audio', 'file', 'file_data', 'document', 'video', 'bytes', 'data']);
/** Request fields that are settings, not prompt. */
const SETTING_KEYS = new Set(['model', 'modelId', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'max_output_tokens', 'temperature', 'top_p', 'top_k', 'n', 'stop', 'seed', 'user', 'metadata', 'inferenceConfig', 'service_tier', 'store', 'parallel_tool_calls', 'tool_choice', 'response_format', 'reasoning', 'thinking_config', 'logprobs', 'top_logprobs']);

/**
 * The prompt text of a request body: every message's text, the system prompt, `prompt`/`input`,
 * `instructions`, and the JSON of `tools` (definitions are billed as input). Images, audio and
 * files are left out. `''` for anything else.
 *
 * @example
 * ```ts
 * requestText({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }); // 'Hi'
 * ```
 */
export function requestText(body: unknown): string {
  if (!body || typeof body !== 'object') return typeof body === 'string' ? body : '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (SETTING_KEYS.has(key)) continue;
    if (key === 'tools' || key === 'toolConfig' || key === 'functions') {
      try {
        parts.push(JSON.stringify(value));
      } catch {
        /* not serialisable: not counted */
      }
      continue;
    }
    collect(value, key, parts, 0);
  }
  return parts.join('\n');
}

function collect(value: unknown, key: string, parts: string[], depth: number): void {
  if (depth > 12 || SKIP_KEYS.has(key)) return;
  if (typeof value === 'string') {
    if (TEXT_KEYS.has(key) || key === 'messages' || key === '') parts.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, typeof v === 'string' ? key : '', parts, depth + 1);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) collect(v, k, parts, depth + 1);
  }
}

/**
 * The generated text a stream chunk carries: Chat Completions `choices[].delta` content, refusal
 * and tool-call arguments; Responses `*.delta` events; Anthropic `content_block_delta`
 * (text, thinking, tool input JSON); Bedrock ConverseStream `contentBlockDelta`. `''` otherwise.
 *
 * @example
 * ```ts
 * chunkText({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }); // 'Hel'
 * ```
 */
export function chunkText(chunk: unknown): string {
  if (!chunk || typeof chunk !== 'object') return '';
  const c = chunk as Record<string, any>;
  if (Array.isArray(c.choices)) {
    let out = '';
    for (const choice of c.choices) {
      const d = choice?.delta;
      if (!d) continue;
      if (typeof d.content === 'string') out += d.content;
      if (typeof d.refusal === 'string') out += d.refusal;
      if (typeof d.reasoning_content === 'string') out += d.reasoning_content;
      if (typeof d.function_call?.arguments === 'string') out += d.function_call.arguments;
      if (Array.isArray(d.tool_calls)) for (const t of d.tool_calls) if (typeof t?.function?.arguments === 'string') out += t.function.arguments;
    }
    return out;
  }
  if (typeof c.type === 'string') {
    if (c.type === 'content_block_delta') {
      const d = c.delta ?? {};
      return [d.text, d.thinking, d.partial_json].filter((s) => typeof s === 'string').join('');
    }
    if (c.type.startsWith('response.') && c.type.endsWith('.delta') && typeof c.delta === 'string') return c.delta;
    return '';
  }
  const delta = c.contentBlockDelta?.delta;
  if (delta) return [delta.text, delta.toolUse?.input, delta.reasoningContent?.text].filter((s) => typeof s === 'string').join('');
  return '';
}
