import type { AiSdkUsage } from './units';

/**
 * The parts of the AI SDK's model-call values this integration reads, typed structurally so that
 * nothing here needs `ai` or `@ai-sdk/provider` at run time or in the published types.
 */

/** A content part of a model result (`text`, `tool-call`, ...). */
export interface AiSdkContentPart {
  type: string;
  toolName?: string;
  input?: unknown;
}

/** A `doGenerate` result (LanguageModelV4GenerateResult, the fields read). */
export interface AiSdkGenerateResult {
  content?: AiSdkContentPart[];
  usage?: AiSdkUsage;
  request?: { url?: string; body?: unknown };
  response?: { id?: string; modelId?: string; headers?: Record<string, string | undefined>; body?: unknown };
  providerMetadata?: Record<string, unknown>;
}

/** One part of a `doStream` stream (LanguageModelV4StreamPart, the fields read). */
export interface AiSdkStreamPart {
  type: string;
  id?: string;
  modelId?: string;
  toolName?: string;
  input?: unknown;
  usage?: AiSdkUsage;
  error?: unknown;
}

/** A `doStream` result (LanguageModelV4StreamResult). */
export interface AiSdkStreamResult {
  stream: ReadableStream<AiSdkStreamPart>;
  request?: { url?: string; body?: unknown };
  response?: { headers?: Record<string, string | undefined> };
}
