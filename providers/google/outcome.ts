import type { AdapterOutcome } from '../../src/recording/recorder';
import { PayiPropertyNames } from '../../src/headers/names';
import { failureFields } from '../shared/failure';
import type { StreamOutcome } from '../shared/stainless';
import type { GeminiStreamState } from './stream-state';
import type { GeminiCallKind, GeminiEmbedResponse, GeminiParams, GeminiResponse } from './types';
import { geminiEmbedUnits, geminiFunctionCalls, geminiResource, geminiUnits } from './units';

/** What every outcome of one Gemini call shares. */
export interface GeminiCall {
  kind: GeminiCallKind;
  params: GeminiParams;
  /** Whether the prompt and response JSON are kept for the event. */
  keepJson: boolean;
  /** The client's base URL. */
  providerUri?: string;
  requestJson?: string;
}

/**
 * The request body as the event records it: the parameters without `config.httpOptions` (its
 * headers may carry credentials) and without `config.abortSignal`.
 */
export function requestJsonOf(params: GeminiParams): string | undefined {
  try {
    const config = params.config ? { ...params.config } : undefined;
    if (config) {
      delete config.httpOptions;
      delete config.abortSignal;
    }
    const { config: _, ...rest } = params;
    return JSON.stringify(config && Object.keys(config).length > 0 ? { ...rest, config } : rest);
  } catch {
    return undefined;
  }
}

function base(call: GeminiCall, modelVersion?: string): AdapterOutcome {
  const out: AdapterOutcome = { units: {} };
  const resource = geminiResource(call.params.model, modelVersion);
  if (resource) out.resource = resource;
  if (call.providerUri) out.providerUri = call.providerUri;
  if (call.requestJson !== undefined) out.requestJson = call.requestJson;
  return out;
}

function responseJson(call: GeminiCall, value: unknown): string | undefined {
  if (!call.keepJson) return undefined;
  try {
    return JSON.stringify(value, (k, v: unknown) => (k === 'sdkHttpResponse' ? undefined : v));
  } catch {
    return undefined;
  }
}

/** The outcome of a `generateContent` call that returned `response`. */
export function responseOutcome(call: GeminiCall, response: GeminiResponse): AdapterOutcome {
  const out = base(call, response?.modelVersion);
  out.units = geminiUnits(response?.usageMetadata, response?.modelVersion ?? call.params.model);
  out.httpStatusCode = 200;
  if (typeof response?.responseId === 'string' && response.responseId) out.responseId = response.responseId;
  const headers = response?.sdkHttpResponse?.headers;
  if (headers) out.responseHeaders = headers;
  const json = responseJson(call, response);
  if (json !== undefined) out.responseJson = json;
  const calls = geminiFunctionCalls(response);
  if (calls.length > 0) out.functionCalls = calls;
  return out;
}

/** The outcome of an `embedContent` call that returned `response`. */
export function embedOutcome(call: GeminiCall, response: GeminiEmbedResponse): AdapterOutcome {
  const out = base(call);
  out.units = geminiEmbedUnits(response);
  out.httpStatusCode = 200;
  const headers = response?.sdkHttpResponse?.headers;
  if (headers) out.responseHeaders = headers;
  const json = responseJson(call, response);
  if (json !== undefined) out.responseJson = json;
  return out;
}

/** The outcome of a streamed call, when it completed, was abandoned, or failed with `error`. */
export function streamOutcome(call: GeminiCall, state: GeminiStreamState, outcome: StreamOutcome, error?: unknown): AdapterOutcome {
  const out = base(call, state.modelVersion);
  out.units = geminiUnits(state.usage, state.modelVersion ?? call.params.model);
  out.httpStatusCode = 200;
  if (state.responseId) out.responseId = state.responseId;
  const json = call.keepJson ? responseJson(call, state.chunks) : undefined;
  if (json !== undefined) out.responseJson = json;
  const calls = state.functionCalls();
  if (calls.length > 0) out.functionCalls = calls;
  out.properties = { [PayiPropertyNames.streamOutcome]: outcome };
  if (outcome === 'failed') {
    const f = failureFields(error);
    out.httpStatusCode = f.httpStatusCode;
    out.properties = { ...f.properties, [PayiPropertyNames.streamOutcome]: outcome };
  }
  return out;
}

/** The outcome of a call that failed before a result: the `ApiError`'s status and body, or 299 with `system.failure`. */
export function errorOutcome(call: GeminiCall, error: unknown): AdapterOutcome {
  const out = base(call);
  const f = failureFields(error);
  out.httpStatusCode = f.httpStatusCode;
  if (f.properties) out.properties = f.properties;
  const message = (error as { message?: unknown } | null)?.message;
  // an ApiError's message is the error body the API sent
  if (call.keepJson && f.properties === undefined && typeof message === 'string' && message.startsWith('{')) out.responseJson = message;
  return out;
}
