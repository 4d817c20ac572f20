import type { Units } from '../../src/events/types';
import { PayiPropertyNames as P } from '../../src/headers/names';
import type { AdapterOutcome } from '../../src/recording/recorder';
import type { StreamOutcome } from './stream';
import type { StreamSummary } from './stream-state';
import type { CallState } from './types';
import { jsonOf } from './json';
import { converseFunctionCalls, converseUnits, guardrailUnits, invokeBodyInfo } from './units';

/**
 * Builds the adapter's outcome of one Bedrock call (contract §5, §6) from the command input, the
 * SDK's output or error, and what the middleware saw on the wire. Pure apart from reading its inputs.
 */

type Obj = Record<string, any>;
const GUARDRAIL = 'system.aws.bedrock.guardrail';
const decoder = new TextDecoder();

/** The fields every Bedrock outcome shares. */
function common(state: CallState, input: Obj): AdapterOutcome {
  const o: AdapterOutcome = { units: {} };
  if (typeof input.modelId === 'string') o.resource = input.modelId;
  if (state.providerUri) o.providerUri = state.providerUri;
  o.requestJson = state.requestBody ?? jsonOf(requestPart(state, input));
  if (state.response) {
    o.httpStatusCode = state.response.statusCode;
    o.responseHeaders = state.response.headers;
    const rid = state.response.headers['x-amzn-requestid'] ?? state.response.headers['x-amzn-request-id'];
    if (rid) o.requestId = rid;
  }
  const props = guardrailConfig(state, input);
  if (Object.keys(props).length > 0) o.properties = props;
  return o;
}

/** What the caller asked for, without the path parameter (as the SDK would have sent it). */
function requestPart(state: CallState, input: Obj): unknown {
  if (state.kind === 'InvokeModel' || state.kind === 'InvokeModelWithResponseStream') {
    return input.body instanceof Uint8Array ? decoder.decode(input.body) : input.body;
  }
  const { modelId: _m, ...rest } = input;
  return rest;
}

function guardrailConfig(state: CallState, input: Obj): Record<string, string> {
  const converse = state.kind === 'Converse' || state.kind === 'ConverseStream';
  const id: unknown = converse ? input.guardrailConfig?.guardrailIdentifier : input.guardrailIdentifier;
  const version: unknown = converse ? input.guardrailConfig?.guardrailVersion : input.guardrailVersion;
  const props: Record<string, string> = {};
  if (typeof id === 'string' && id) props[`${GUARDRAIL}.id`] = id;
  if (typeof version === 'string' && version) props[`${GUARDRAIL}.version`] = version;
  return props;
}

/** Adds the guardrail action (and, when it intervened, the failure properties) and trace units. */
function applyGuardrail(o: AdapterOutcome, action: string | undefined, trace: unknown): void {
  if (action) {
    o.properties = { ...(o.properties ?? {}), [`${GUARDRAIL}.action`]: action };
    if (action === 'INTERVENED') {
      o.properties[P.failure] = 'guardrail_intervened';
      o.properties[P.failureDescription] = 'Bedrock Guardrails intervened';
    }
  }
  const g = guardrailUnits(trace);
  if (Object.keys(g).length > 0) o.units = { ...o.units, ...g };
}

const withoutMetadata = (output: Obj): Obj => {
  const { $metadata: _m, xproxy_result: _x, ...rest } = output;
  return rest;
};

/**
 * Converse: units from `usage`, tool calls from `toolUse` blocks, the request id as response id.
 *
 * @example
 * ```ts
 * recorder.finish(converseOutcome(state, command.input, output));
 * ```
 */
export function converseOutcome(state: CallState, input: Obj, output: Obj): AdapterOutcome {
  const o = common(state, input);
  o.units = converseUnits(output.usage);
  if (output.$metadata?.httpStatusCode) o.httpStatusCode = output.$metadata.httpStatusCode;
  if (output.$metadata?.requestId) o.requestId = output.$metadata.requestId;
  o.responseJson = jsonOf(withoutMetadata(output));
  const calls = converseFunctionCalls(output.output?.message?.content);
  if (calls.length > 0) o.functionCalls = calls;
  applyGuardrail(o, output.stopReason === 'guardrail_intervened' ? 'INTERVENED' : undefined, output.trace);
  return o;
}

/**
 * InvokeModel: the body (a `Uint8Array`, decoded without consuming it) read by model family.
 * `family` is the model id, or the price-as resource when one is set.
 *
 * @example
 * ```ts
 * recorder.finish(invokeOutcome(state, command.input, output, modelId));
 * ```
 */
export function invokeOutcome(state: CallState, input: Obj, output: Obj, family: string | undefined): AdapterOutcome {
  const o = common(state, input);
  if (output.$metadata?.httpStatusCode) o.httpStatusCode = output.$metadata.httpStatusCode;
  if (output.$metadata?.requestId) o.requestId = output.$metadata.requestId;
  const text = output.body instanceof Uint8Array ? decoder.decode(output.body) : typeof output.body === 'string' ? output.body : undefined;
  let body: unknown;
  try {
    body = text === undefined ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const info = invokeBodyInfo(family, body, state.response?.headers);
  o.units = info.units;
  if (info.responseId) o.responseId = info.responseId;
  if (text !== undefined) o.responseJson = text;
  if (info.functionCalls.length > 0) o.functionCalls = info.functionCalls;
  applyGuardrail(o, info.guardrailAction, info.trace);
  return o;
}

/**
 * A stream's outcome (either command) from its summary; `system.stream_outcome` says how it ended,
 * and a broken stream adds the failure properties.
 *
 * @example
 * ```ts
 * recorder.finish(streamOutcome(state, input, output, acc.summary(), 'abandoned'));
 * ```
 */
export function streamOutcome(state: CallState, input: Obj, output: Obj, s: StreamSummary, how: StreamOutcome, error?: unknown): AdapterOutcome {
  const o = common(state, input);
  if (output.$metadata?.httpStatusCode) o.httpStatusCode = output.$metadata.httpStatusCode;
  if (output.$metadata?.requestId) o.requestId = output.$metadata.requestId;
  o.units = s.units;
  if (s.responseId) o.responseId = s.responseId;
  o.responseJson = s.eventsJson;
  if (s.functionCalls.length > 0) o.functionCalls = s.functionCalls;
  const action = s.guardrailAction ?? (s.stopReason === 'guardrail_intervened' ? 'INTERVENED' : undefined);
  applyGuardrail(o, action, s.trace);
  o.properties = { ...(o.properties ?? {}), [P.streamOutcome]: how };
  if (how === 'failed') Object.assign(o.properties, failureProps(error));
  return o;
}

function failureProps(error: unknown): Record<string, string> {
  const e = error as { name?: unknown; message?: unknown; constructor?: { name?: string } } | undefined;
  const cls = e?.constructor?.name;
  const name = cls && cls !== 'Object' ? cls : typeof e?.name === 'string' && e.name ? e.name : typeof error;
  return { [P.failure]: name, [P.failureDescription]: typeof e?.message === 'string' && e.message ? e.message : String(error) };
}

/**
 * A failed `send()`: the SDK's `$metadata.httpStatusCode` and request id, the error as
 * `provider_response_json`; without a status (connection refused, aborted), status 299 and the
 * failure properties.
 *
 * @example
 * ```ts
 * recorder.finish(errorOutcome(state, command.input, err));
 * ```
 */
export function errorOutcome(state: CallState, input: Obj, error: unknown): AdapterOutcome {
  const o = common(state, input);
  const err = (error ?? {}) as Obj;
  const status: unknown = err.$metadata?.httpStatusCode ?? state.response?.statusCode;
  if (typeof err.$metadata?.requestId === 'string') o.requestId = err.$metadata.requestId;
  o.units = {} as Units;
  if (typeof status === 'number' && status > 0) {
    o.httpStatusCode = status;
    o.responseJson = JSON.stringify({ name: err.name, message: err.message });
  } else {
    o.httpStatusCode = 299;
    o.properties = { ...(o.properties ?? {}), ...failureProps(error) };
  }
  return o;
}
