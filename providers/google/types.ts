/**
 * The parts of `@google/genai` shapes the adapter reads, written structurally so the adapter
 * compiles and runs without the SDK's types and across its versions (internal).
 */

/** One modality's token count (`promptTokensDetails`, `cacheTokensDetails`, `candidatesTokensDetails`). */
export interface GeminiModalityCount {
  modality?: string;
  tokenCount?: number | null;
}

/** `usageMetadata` of a `GenerateContentResponse` (and of an embedding response). */
export interface GeminiUsage {
  promptTokenCount?: number | null;
  candidatesTokenCount?: number | null;
  cachedContentTokenCount?: number | null;
  thoughtsTokenCount?: number | null;
  toolUsePromptTokenCount?: number | null;
  totalTokenCount?: number | null;
  promptTokensDetails?: GeminiModalityCount[] | null;
  cacheTokensDetails?: GeminiModalityCount[] | null;
  candidatesTokensDetails?: GeminiModalityCount[] | null;
}

/** A content part (only the fields the adapter reads). */
export interface GeminiPart {
  text?: string;
  thought?: boolean;
  functionCall?: { name?: string; args?: unknown } | null;
}

/** A `GenerateContentResponse` (or one streamed chunk of it). */
export interface GeminiResponse {
  candidates?: { content?: { parts?: GeminiPart[] | null } | null }[] | null;
  usageMetadata?: GeminiUsage | null;
  modelVersion?: string;
  responseId?: string;
  sdkHttpResponse?: { headers?: Record<string, string> } | null;
  [key: string]: unknown;
}

/** An `EmbedContentResponse` (only the fields the adapter reads). */
export interface GeminiEmbedResponse {
  embeddings?: { statistics?: { tokenCount?: number | null } | null }[] | null;
  usageMetadata?: GeminiUsage | null;
  sdkHttpResponse?: { headers?: Record<string, string> } | null;
  [key: string]: unknown;
}

/** The parameters of `generateContent` / `generateContentStream` / `embedContent` (what is read). */
export interface GeminiParams {
  model?: string;
  config?: { httpOptions?: { headers?: Record<string, string>; [key: string]: unknown } | null; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** The `Models` module's API client (`this.apiClient`), as the adapter reads it. */
export interface GeminiApiClient {
  isVertexAI?(): boolean;
  getBaseUrl?(): string;
}

/** Which instrumented `Models` method a call went through. */
export type GeminiCallKind = 'generate' | 'stream' | 'embed';
