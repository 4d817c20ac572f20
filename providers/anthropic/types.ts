/**
 * The parts of `@anthropic-ai/sdk` (>= 0.60, 1.x) shapes the adapter reads, written structurally so
 * the adapter compiles and runs without the SDK's types and across its versions (internal).
 */

/** `usage` of a `Message` (and of the `message_start` / `message_delta` stream events). */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  server_tool_use?: { web_search_requests?: number | null; web_fetch_requests?: number | null } | null;
}

/** A content block of a `Message` (only the fields the adapter reads). */
export interface AnthropicContentBlock {
  type: string;
  name?: string;
  input?: unknown;
}

/** A `Message` (only the fields the adapter reads). */
export interface AnthropicMessage {
  id?: string;
  type?: string;
  model?: string;
  content?: AnthropicContentBlock[];
  usage?: AnthropicUsage | null;
  [key: string]: unknown;
}

/** One raw stream event of `messages.create({ stream: true })`. */
export interface AnthropicStreamEvent {
  type: string;
  index?: number;
  message?: AnthropicMessage;
  content_block?: AnthropicContentBlock;
  delta?: { type?: string; partial_json?: string; [key: string]: unknown };
  usage?: AnthropicUsage | null;
}

/** The body of `messages.create` (only the fields the adapter reads). */
export interface AnthropicCreateParams {
  model?: string;
  stream?: boolean;
  [key: string]: unknown;
}
