import type { FunctionCall } from '../../src/events/types';
import type { AdapterOutcome, CallRecorder } from '../../src/recording/recorder';
import { failureFields } from '../shared/failure';
import { responseJsonOf } from '../shared/body-text';
import { safeJson } from '../shared/safe-json';
import { takeSentBody } from '../shared/sent-body';
import * as units from './units';
import type { ChatCompletionLike, OpenAICallKind, ResponseLike } from './types';

/** The client of a resource (`this._client`), as the adapter reads it. */
export interface ClientLike {
  baseURL?: string;
  deploymentName?: string;
  _options?: { defaultHeaders?: unknown };
}

const PATHS: Record<OpenAICallKind, string> = { chat: '/chat/completions', responses: '/responses', embeddings: '/embeddings' };

/** One instrumented call, prepared before the request goes out. */
export interface Prepared {
  kind: OpenAICallKind;
  recorder: CallRecorder;
  client: ClientLike | undefined;
  azure: boolean;
  args: unknown[];
  hideUsageChunk: boolean;
  keepJson: boolean;
  /** The request's JSON, once known (see {@link requestJsonOf}). */
  requestJson?: string;
  /** The request body sent as the caller gave it: its JSON is the SDK's own ({@link requestJsonOf}). */
  body?: object;
  model?: string;
  stream: boolean;
}

/**
 * The resource of a call: the model asked for; for Azure, the deployment (the model or the
 * client's deployment, else the `x-ms-deployment-name` header), replaced by the response's `model`
 * when the deployment's name is not a model name (`prod-chat` → `gpt-4o-2024-08-06`).
 */
function resourceOf(call: Prepared, deploymentHeader: string | undefined, responseModel: string | undefined): string | undefined {
  if (!call.azure) return call.model ?? responseModel;
  const deployment = call.model ?? deploymentHeader;
  if (responseModel && (!deployment || !units.isOpenAIModelName(deployment))) return responseModel;
  return deployment ?? responseModel;
}

/** The fields every outcome of a call with a response has. */
export function base(call: Prepared, response: Response, responseModel?: string): AdapterOutcome {
  const o: AdapterOutcome = { units: {}, httpStatusCode: response.status, responseHeaders: response.headers };
  const resource = resourceOf(call, response.headers.get('x-ms-deployment-name') || undefined, responseModel);
  if (resource) o.resource = resource;
  const requestId = response.headers.get('x-request-id');
  if (requestId) o.requestId = requestId;
  const uri = response.url ? response.url.split('?')[0] : providerUri(call);
  if (uri) o.providerUri = uri;
  const requestJson = requestJsonOf(call);
  if (requestJson !== undefined) o.requestJson = requestJson;
  return o;
}

/**
 * The request's JSON when it is kept: the string the SDK sent (`takeSentBody`), else the body
 * serialised here (the request was not built, or not from this object). Made once per call.
 */
export function requestJsonOf(call: Prepared): string | undefined {
  if (call.requestJson === undefined && call.body !== undefined) {
    const body = call.body;
    call.body = undefined;
    call.requestJson = takeSentBody(body) ?? safeJson(body);
  }
  return call.requestJson;
}

/**
 * The outcome of a call that returned `data` (a completion, response or embedding list);
 * `bodyText`: the JSON the SDK parsed it from, logged as it came (else `data` is serialised).
 */
export function successOutcome(call: Prepared, data: unknown, response: Response, bodyText?: string): AdapterOutcome {
  const d = data as (ChatCompletionLike & ResponseLike) | null | undefined;
  const o = base(call, response, typeof d?.model === 'string' ? d.model : undefined);
  let calls: FunctionCall[] = [];
  if (call.kind === 'responses') {
    o.units = units.responsesUnits(d?.usage as ResponseLike['usage']);
    calls = units.responsesFunctionCalls(d);
  } else {
    o.units = units.chatUnits(d?.usage as ChatCompletionLike['usage']);
    if (call.kind === 'chat') calls = units.chatFunctionCalls(d);
  }
  if (typeof d?.id === 'string' && d.id) o.responseId = d.id;
  if (calls.length > 0) o.functionCalls = calls;
  if (call.keepJson) {
    const json = responseJsonOf(data, bodyText);
    if (json !== undefined) o.responseJson = json;
  }
  return o;
}

/** The outcome of a call that failed before a result: the provider's status, or 299 with `system.failure`. */
export function errorOutcome(call: Prepared, err: unknown): AdapterOutcome {
  const f = failureFields(err);
  const o: AdapterOutcome = { units: {}, httpStatusCode: f.httpStatusCode };
  if (call.model) o.resource = call.model;
  if (f.properties) o.properties = f.properties;
  if (f.requestId) o.requestId = f.requestId;
  if (f.responseHeaders) o.responseHeaders = f.responseHeaders;
  if (f.responseJson !== undefined && call.keepJson) o.responseJson = f.responseJson;
  const requestJson = requestJsonOf(call);
  if (requestJson !== undefined) o.requestJson = requestJson;
  const uri = providerUri(call);
  if (uri) o.providerUri = uri;
  return o;
}

/** The request URL without query, from the client (Azure: with `/deployments/{model}` when the client has no deployment). */
function providerUri(call: Prepared): string | undefined {
  const baseURL = call.client?.baseURL?.replace(/\/+$/, '');
  if (!baseURL) return undefined;
  const deployment = call.azure && call.kind !== 'responses' && !baseURL.includes('/deployments') && call.model ? `/deployments/${call.model}` : '';
  return `${baseURL}${deployment}${PATHS[call.kind]}`;
}
