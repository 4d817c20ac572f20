import type { FunctionCall } from '../../src/events/types';
import { PayiPropertyNames } from '../../src/headers/names';
import type { AdapterOutcome } from '../../src/recording/recorder';
import { responseJsonOf } from '../shared/body-text';
import type { StreamOutcome } from '../shared/stainless';
import type { AnthropicStreamState } from './stream-state';
import type { AnthropicCreateParams, AnthropicMessage } from './types';
import { anthropicUnits } from './units';

/** What every outcome of one call shares: the model asked for, the request body, the provider URI. */
export interface CallBasics {
  params: AnthropicCreateParams;
  providerUri?: string;
  /** The resource, when the client decides it (Vertex AI: `anthropic.<model>`); else the model asked for. */
  resource?: string;
  /** `false`: no request or response JSON is made (logging is off for the call and there is no prompt logger). */
  keepJson?: boolean;
}

function base(call: CallBasics): AdapterOutcome {
  const out: AdapterOutcome = { units: {} };
  const requestJson = keptJson(call, call.params);
  if (requestJson !== undefined) out.requestJson = requestJson;
  if (call.resource) out.resource = call.resource;
  else if (typeof call.params.model === 'string' && call.params.model) out.resource = call.params.model;
  if (call.providerUri) out.providerUri = call.providerUri;
  return out;
}

/**
 * The JSON of `value` for the call's event (`bodyText` when it was parsed from that JSON body),
 * unless the call keeps no JSON (`keepJson: false`).
 */
function keptJson(call: CallBasics, value: unknown, bodyText?: string): string | undefined {
  return call.keepJson === false ? undefined : responseJsonOf(value, bodyText);
}

/** `tool_use` blocks of a complete message as `{ name, arguments: JSON of input }`. */
export function messageFunctionCalls(message: AnthropicMessage): FunctionCall[] {
  const out: FunctionCall[] = [];
  for (const b of message.content ?? []) {
    if (b && b.type === 'tool_use') out.push({ name: String(b.name ?? ''), arguments: JSON.stringify(b.input ?? {}) });
  }
  return out;
}

/** The outcome of a non-streamed call that returned `message` (parsed from `bodyText`, when known: logged as it came). */
export function messageOutcome(call: CallBasics, message: AnthropicMessage, response: Response | undefined, bodyText?: string): AdapterOutcome {
  const out = base(call);
  out.units = anthropicUnits(message.usage);
  out.httpStatusCode = response?.status ?? 200;
  if (typeof message.model === 'string' && !out.resource) out.resource = message.model;
  if (typeof message.id === 'string') out.responseId = message.id;
  const requestId = response?.headers.get('request-id');
  if (requestId) out.requestId = requestId;
  const responseJson = keptJson(call, message, bodyText);
  if (responseJson !== undefined) out.responseJson = responseJson;
  if (response) out.responseHeaders = response.headers;
  const calls = messageFunctionCalls(message);
  if (calls.length > 0) out.functionCalls = calls;
  return out;
}

/** The outcome of a streamed call, when it completed, was abandoned, or failed with `error`. */
export function streamOutcome(call: CallBasics, state: AnthropicStreamState, response: Response | undefined, outcome: StreamOutcome, error?: unknown): AdapterOutcome {
  const out = base(call);
  out.units = anthropicUnits(state.usage);
  if (state.model && !out.resource) out.resource = state.model;
  if (state.id) out.responseId = state.id;
  if (state.firstContentAt !== undefined) out.firstCompletionTokenAt = state.firstContentAt;
  const requestId = response?.headers.get('request-id');
  if (requestId) out.requestId = requestId;
  if (response) out.responseHeaders = response.headers;
  const responseJson = keptJson(call, state.events);
  if (responseJson !== undefined) out.responseJson = responseJson;
  const calls = state.functionCalls();
  if (calls.length > 0) out.functionCalls = calls;
  out.properties = { [PayiPropertyNames.streamOutcome]: outcome };
  out.httpStatusCode = response?.status ?? 200;
  if (outcome === 'failed') applyError(out, error, call);
  return out;
}

/** The outcome of a call that failed before a result: the provider's status, or 299 with `system.failure`. */
export function errorOutcome(call: CallBasics, error: unknown): AdapterOutcome {
  const out = base(call);
  applyError(out, error, call);
  return out;
}

function applyError(out: AdapterOutcome, error: unknown, call: CallBasics): void {
  const e = (error ?? {}) as { status?: unknown; requestID?: unknown; headers?: unknown; error?: unknown; message?: unknown; constructor?: { name?: string } };
  if (typeof e.requestID === 'string' && e.requestID) out.requestId = e.requestID;
  if (e.headers && typeof e.headers === 'object') out.responseHeaders = e.headers as Headers;
  const body = e.error !== undefined && out.responseJson === undefined ? keptJson(call, e.error) : undefined;
  if (body !== undefined) out.responseJson = body;
  if (typeof e.status === 'number') {
    out.httpStatusCode = e.status;
    return;
  }
  out.httpStatusCode = 299;
  const name = (error !== null && typeof error === 'object' ? e.constructor?.name : undefined) || typeof error;
  out.properties = {
    ...(out.properties ?? {}),
    [PayiPropertyNames.failure]: name,
    [PayiPropertyNames.failureDescription]: typeof e.message === 'string' ? e.message : String(error),
  };
}
