import { PayiConfigError } from '../errors';
import { useCaseNameProblem, USE_CASE_NAME_RULE } from '../internal/use-case-name';
import { fieldOf } from '../wire/fields';
import { TRACK_OPTION_KEYS } from './types';

const KNOWN = new Set<string>(TRACK_OPTION_KEYS);

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

/**
 * Checks one scope option value. Returns `undefined` when it is valid, else what is wrong with it
 * and what was expected, e.g. `useCaseName "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _`.
 * `undefined`, `null` and empty values are always valid (they inherit or clear).
 *
 * @example
 * ```ts
 * scopeValueProblem('useCaseVersion', -1); // 'useCaseVersion -1 is not a whole number >= 0; expected e.g. 1'
 * ```
 */
export function scopeValueProblem(key: string, value: unknown): string | undefined {
  if (!KNOWN.has(key)) return `unknown option ${JSON.stringify(key)}; expected one of ${TRACK_OPTION_KEYS.join(', ')}`;
  if (value === undefined || value === null) return undefined;
  const kind = fieldOf(key)!.kind;
  if (kind === 'useCaseName') {
    if (value === '') return undefined;
    const problem = useCaseNameProblem(value);
    return problem && `useCaseName ${show(value)} ${problem}; ${USE_CASE_NAME_RULE}`;
  }
  if (kind === 'text') {
    return typeof value === 'string' ? undefined : `${key} ${show(value)} is a ${typeof value}; expected a string`;
  }
  if (kind === 'version') {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
      ? undefined
      : `${key} ${show(value)} is not a whole number >= 0; expected e.g. 1`;
  }
  if (kind === 'list') {
    if (!Array.isArray(value)) return `${key} ${show(value)} is not an array; expected an array of strings, e.g. ['daily']`;
    for (const id of value as unknown[]) {
      if (typeof id !== 'string' || id.trim() === '' || id.includes(',')) return `${key} has the entry ${show(id)}; expected non-empty strings without commas`;
    }
    return undefined;
  }
  if (kind === 'properties') {
    if (typeof value !== 'object' || Array.isArray(value)) return `${key} ${show(value)} is not an object; expected { key: value }`;
    const badKey = Object.keys(value).find((p) => {
      const v = (value as Record<string, unknown>)[p];
      return !(v === null || ['string', 'number', 'boolean'].includes(typeof v));
    });
    return badKey === undefined
      ? undefined
      : `${key}.${badKey} is ${show((value as Record<string, unknown>)[badKey])}; expected a string, number, boolean or null`;
  }
  if (kind === 'boolean') return typeof value === 'boolean' ? undefined : `${key} ${show(value)} is not a boolean`;
  return undefined;
}

/**
 * Validates the static (non-function) options of a scope and throws a {@link PayiConfigError}
 * naming `place` (e.g. ``@Track on `ChatService.reply` ``), the option, the value and what was expected.
 *
 * @example
 * ```ts
 * assertScopeOptions({ useCaseName: 'my case' }, '@Track on `Chat.reply`'); // throws PayiConfigError
 * ```
 */
export function assertScopeOptions(options: unknown, place: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new PayiConfigError(`${place}: options ${show(options)} is not an object; expected e.g. { useCaseName: 'chatbot' }`, 'options', options);
  }
  // own enumerable keys, in order, as Object.entries gives them (without making the pairs)
  for (const key in options) {
    if (!Object.prototype.hasOwnProperty.call(options, key)) continue;
    const value = (options as Record<string, unknown>)[key];
    if (typeof value === 'function' && KNOWN.has(key)) continue;
    const problem = scopeValueProblem(key, value);
    if (problem) throw new PayiConfigError(`${place}: ${problem}`, key, value);
  }
}
