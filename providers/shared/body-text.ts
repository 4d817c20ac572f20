/**
 * The text of a JSON response body as the Stainless SDKs (`openai`, `@anthropic-ai/sdk`) read it,
 * so that `provider_response_json` is the provider's own JSON instead of the parsed result
 * serialised a second time. The SDK reads a JSON body once, with `response.json()` (openai 6,
 * Anthropic) or `response.text()` and `JSON.parse` (openai 7); {@link tapBodyText} puts own
 * `text` and `json` methods on that one `Response` that read the body with the prototype's
 * `text()` (the same UTF-8 decoding `json()` does), keep the string and parse it with `JSON.parse`
 * as `json()` would, so the caller gets the same value and the same errors. The own methods are
 * removed on first use or by {@link BodyTextTap.release}, so the `Response` a caller may get
 * (`.withResponse()`) is as the SDK made it.
 */

import { safeJson } from './safe-json';

/** What {@link tapBodyText} took from one response. */
export interface BodyTextTap {
  /** The body's text, once the SDK read it with `text()` or `json()`. */
  text?: string;
  /** Removes the own methods if the SDK did not read the body (a stream, an empty body). */
  release(): void;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Removes the tap's own methods, the last added first (V8 then gives the object back its shape). */
function untap(response: Response): void {
  if (hasOwn.call(response, 'json')) delete (response as { json?: unknown }).json;
  if (hasOwn.call(response, 'text')) delete (response as { text?: unknown }).text;
}

/** Releases nothing: the response was not tapped. */
function noRelease(): void {}

/**
 * Keeps the body text the SDK reads from `response` (in the returned tap's `text`). Returns
 * `undefined` when the response has no `text`/`json` methods to read through or already has own
 * ones (someone else's), and then changes nothing. Never throws.
 *
 * @example
 * ```ts
 * const tap = tapBodyText(props.response);
 * const data = await parseResponse(client, props); // the SDK reads the body
 * tap?.release();
 * const json = tap?.text ?? JSON.stringify(data);
 * ```
 */
export function tapBodyText(response: Response): BodyTextTap | undefined {
  const r = response as Response | null | undefined;
  if (!r || typeof r !== 'object') return undefined;
  let text: Response['text'];
  try {
    text = r.text;
    if (typeof text !== 'function' || typeof r.json !== 'function' || hasOwn.call(r, 'text') || hasOwn.call(r, 'json')) return undefined;
  } catch {
    return undefined; // an odd response (a throwing getter): read as it is
  }
  const tap: BodyTextTap = { release: () => untap(r) };
  const keep = (t: string): string => {
    if (typeof t === 'string') tap.text = t;
    return t;
  };
  const readText = function payiText(this: Response): Promise<string> {
    untap(r);
    tap.release = noRelease;
    return text.call(this).then(keep);
  };
  const readJson = function payiJson(this: Response): Promise<unknown> {
    return readText.call(this).then((t) => JSON.parse(t) as unknown);
  };
  try {
    Object.defineProperty(r, 'text', { value: readText, configurable: true, writable: true, enumerable: false });
    Object.defineProperty(r, 'json', { value: readJson, configurable: true, writable: true, enumerable: false });
  } catch {
    untap(r); // a frozen response: read as it is
    return undefined;
  }
  return tap;
}

/**
 * The logged JSON of a parsed result: the body text the SDK parsed it from when there is one and
 * the result is an object (a JSON body), else the result serialised (`safeJson`: a text body, or no tap).
 *
 * @example
 * ```ts
 * const json = responseJsonOf(data, tap?.text);
 * ```
 */
export function responseJsonOf(data: unknown, text: string | undefined): string | undefined {
  return text !== undefined && data !== null && typeof data === 'object' ? text : safeJson(data);
}
