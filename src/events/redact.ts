/**
 * The one rule for headers that may carry a credential (contract §6, docs/reliability.md): such a
 * header is left out of `provider_request_headers` and `provider_response_headers`, so it reaches
 * no event, spill file, log line or collector row. The collector applies the same rule to what it
 * stores.
 */
import type { HeaderPair } from './types';

/** Header names that always carry a credential (lower case). */
export const CREDENTIAL_HEADERS: readonly string[] = Object.freeze(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie', 'set-cookie']);

/**
 * Parts of a header name (split on `-` and `_`) that mark it as a credential: `x-client-secret`,
 * `x-session-id`, `x-request-signature`. Only whole parts count.
 */
const CREDENTIAL_PARTS = new Set(['apikey', 'secret', 'password', 'passwd', 'pwd', 'credential', 'credentials', 'auth', 'cookie', 'session', 'signature']);
/**
 * Parts that mark a credential when they end the name: `x-auth-token`, `x-amz-security-token`,
 * `x-goog-api-key`, `ocp-apim-subscription-key`; usage headers such as
 * `x-amzn-bedrock-input-token-count` and `x-ratelimit-remaining-tokens` stay.
 */
const CREDENTIAL_LAST_PARTS = new Set(['key', 'token']);
/** Anywhere in a name: `authorization`, `x-authenticate`, `clientsecret`, `mypassword`, `x-credentials`. */
const CREDENTIAL_ANYWHERE = /auth|secret|passw|credential|apikey|api_key|api-key/;

/** Extra names (exact, case-insensitive) or patterns (tested on the lower-case name) from `redactHeaders`. */
export type RedactRule = string | RegExp;

let extra: { names: Set<string>; patterns: RegExp[] } = { names: new Set(), patterns: [] };

/**
 * Verdicts by exact header name: a provider answers with the same few dozen names on every call,
 * so each is judged once. Bounded (cleared when full: names an attacker controls cannot grow it)
 * and cleared when the rule changes.
 */
const verdicts = new Map<string, boolean>();
/** The same, for response headers: whether a name is left out of `provider_response_headers`. */
const responseVerdicts = new Map<string, boolean>();
const MAX_VERDICTS = 1024;

/** Response headers that describe the body's transport, not the call: never recorded (the Python SDK's rule). */
const TRANSPORT_RESPONSE_HEADERS = /^(transfer-encoding|content-.*)$/i;

/**
 * Adds the application's own names to the rule (`payiInstrument({ redactHeaders })`); `[]` goes
 * back to the built-in rule alone. Called by `payiInstrument()` and `shutdown()`.
 *
 * @example
 * ```ts
 * setExtraRedactions(['x-tenant-signature', /^x-internal-/]);
 * ```
 */
export function setExtraRedactions(rules: readonly RedactRule[]): void {
  const names = new Set<string>();
  const patterns: RegExp[] = [];
  for (const r of rules) {
    if (typeof r === 'string') names.add(r.toLowerCase());
    else patterns.push(new RegExp(r.source, r.flags.replace(/[gy]/g, '')));
  }
  extra = { names, patterns };
  verdicts.clear();
  responseVerdicts.clear();
}

/**
 * True when a header of this name may carry a credential and must not be recorded.
 *
 * @example
 * ```ts
 * isCredentialHeader('Authorization'); // true
 * isCredentialHeader('x-my-token'); // true
 * isCredentialHeader('x-ratelimit-remaining-tokens'); // false
 * isCredentialHeader('x-amzn-bedrock-input-token-count'); // false
 * ```
 */
export function isCredentialHeader(name: string): boolean {
  return remembered(verdicts, name, judge);
}

/** `cache`'s verdict for `name`, judged once (the cache is bounded: cleared when full). */
function remembered(cache: Map<string, boolean>, name: string, judgeName: (name: string) => boolean): boolean {
  let verdict = cache.get(name);
  if (verdict === undefined) {
    verdict = judgeName(name);
    if (cache.size >= MAX_VERDICTS) cache.clear();
    cache.set(name, verdict);
  }
  return verdict;
}

/**
 * True when a provider response header of this name is left out of `provider_response_headers`:
 * `transfer-encoding`, every `content-*` header, and every header {@link isCredentialHeader}
 * names. Judged once per name (a provider answers with the same few dozen names on every call).
 *
 * @example
 * ```ts
 * isUnrecordedResponseHeader('content-type'); // true
 * isUnrecordedResponseHeader('set-cookie'); // true
 * isUnrecordedResponseHeader('x-request-id'); // false
 * ```
 */
export function isUnrecordedResponseHeader(name: string): boolean {
  return remembered(responseVerdicts, name, judgeResponseHeader);
}

function judgeResponseHeader(name: string): boolean {
  return TRANSPORT_RESPONSE_HEADERS.test(name) || isCredentialHeader(name);
}

function judge(name: string): boolean {
  const n = name.toLowerCase();
  if (CREDENTIAL_HEADERS.includes(n) || CREDENTIAL_ANYWHERE.test(n)) return true;
  const parts = n.split(/[-_]/);
  if (parts.some((p) => CREDENTIAL_PARTS.has(p)) || CREDENTIAL_LAST_PARTS.has(parts[parts.length - 1] ?? '')) return true;
  if (extra.names.has(n)) return true;
  return extra.patterns.some((p) => p.test(n));
}

/**
 * `x-stainless-*` request headers are written by the provider SDKs themselves (platform, retry
 * count, time-out, `x-stainless-helper-method: stream` from `messages.stream()`), never by the
 * caller: they are not the caller's headers and are not recorded.
 */
export function isSdkInternalHeader(name: string): boolean {
  return name.toLowerCase().startsWith('x-stainless-');
}

/**
 * The caller's per-call request headers as `{ name, value }` pairs, without credentials and
 * without the provider SDK's own `x-stainless-*` headers.
 *
 * @example
 * ```ts
 * requestHeaderPairs({ 'x-trace': 't1', authorization: 'Bearer sk-1' }); // [{ name: 'x-trace', value: 't1' }]
 * ```
 */
export function requestHeaderPairs(headers: Record<string, string> | undefined): HeaderPair[] {
  const out: HeaderPair[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) if (!isCredentialHeader(name) && !isSdkInternalHeader(name)) out.push({ name, value });
  return out;
}

/**
 * Header pairs without the ones that may carry a credential (for pairs that arrive from outside,
 * e.g. the collector's ingest).
 *
 * @example
 * ```ts
 * withoutCredentials([{ name: 'set-cookie', value: 's=1' }, { name: 'x-request-id', value: 'r1' }]); // [{ name: 'x-request-id', value: 'r1' }]
 * ```
 */
export function withoutCredentials<P extends { name: string }>(pairs: readonly P[] | undefined): P[] | undefined {
  if (!pairs) return pairs;
  return pairs.filter((p) => typeof p?.name !== 'string' || !isCredentialHeader(p.name));
}
