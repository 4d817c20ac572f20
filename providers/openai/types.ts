/**
 * The shapes of the OpenAI API this adapter reads (a structural subset, so it works with every
 * supported `openai` version without importing its types). The supported versions are in the catalogue (`providers/registry.ts`).
 */

/** Which instrumented method a call came from. */
export type OpenAICallKind = 'chat' | 'responses' | 'embeddings';

/** Chat Completions and Embeddings usage. */
export interface ChatUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** Responses API usage. */
export interface ResponsesUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** A chat tool call (message or streamed delta). */
export interface ChatToolCall {
  index?: number;
  type?: string;
  function?: { name?: string; arguments?: string } | null;
}

/** The parts of a chat completion (or chunk) the adapter reads. */
export interface ChatCompletionLike {
  id?: string;
  model?: string;
  usage?: ChatUsage | null;
  choices?: {
    index?: number;
    message?: { tool_calls?: ChatToolCall[] | null; function_call?: { name?: string; arguments?: string } | null } | null;
    delta?: { tool_calls?: ChatToolCall[] | null; function_call?: { name?: string; arguments?: string } | null } | null;
  }[];
}

/** The parts of a Responses API response the adapter reads. */
export interface ResponseLike {
  id?: string;
  model?: string;
  usage?: ResponsesUsage | null;
  output?: { type?: string; name?: string; arguments?: string }[] | null;
}

/** A Responses API stream event. */
export interface ResponseStreamEvent {
  type?: string;
  response?: ResponseLike;
  item?: { type?: string; name?: string; arguments?: string };
}

/** The request body fields the adapter reads or changes. */
export interface OpenAIRequestBody {
  model?: string;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean | null; [k: string]: unknown } | null;
  [k: string]: unknown;
}
