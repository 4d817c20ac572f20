import { PayiConfigError } from '../errors';
import { useCaseNameProblem, USE_CASE_NAME_RULE } from '../internal/use-case-name';

const show = (v: unknown): string => {
  try {
    return typeof v === 'function' ? 'a function' : (JSON.stringify(v) ?? String(v));
  } catch {
    return String(v);
  }
};

/** Throws a {@link PayiConfigError} naming the method's argument, the value and what was expected. */
export function invalid(where: string, option: string, value: unknown, expected: string): never {
  throw new PayiConfigError(`${where}: ${option} ${show(value)} is invalid; expected ${expected}`, option, value);
}

/** A valid use case name, or a {@link PayiConfigError}. */
export function useCaseName(where: string, option: string, name: unknown): string {
  const problem = useCaseNameProblem(name);
  if (problem) throw new PayiConfigError(`${where}: ${option} ${show(name)} ${problem}; ${USE_CASE_NAME_RULE}`, option, name);
  return name as string;
}

/** A non-empty string, or a {@link PayiConfigError}. */
export function text(where: string, option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(where, option, value, 'a non-empty string');
  return value as string;
}

/** `undefined` or a string, or a {@link PayiConfigError}. */
export function optionalText(where: string, option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalid(where, option, value, 'a string');
  return value as string;
}

/** A finite number >= `min`, or a {@link PayiConfigError}. */
export function number(where: string, option: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) invalid(where, option, value, `a number >= ${min}`);
  return value as number;
}

/** An object argument, or a {@link PayiConfigError}. */
export function object<T>(where: string, option: string, value: unknown): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(where, option, value, 'an object');
  return value as T;
}

/** A path segment, URL-encoded. */
export const seg = (s: string): string => encodeURIComponent(s);

/** A required option: a {@link PayiConfigError} saying it is missing when `undefined` or `null`. */
export function required(where: string, option: string, value: unknown, expected: string): void {
  if (value === undefined || value === null) throw new PayiConfigError(`${where}: ${option} is missing; expected ${expected}`, option, value);
}

/** Refuses options the operation does not take, naming them and the ones it does. */
export function onlyKnown(where: string, fields: object, known: readonly string[]): void {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) invalid(where, key, (fields as Record<string, unknown>)[key], `no ${key}: the operation takes only ${known.join(', ')}`);
  }
}

/** `undefined` or one of `values`, or a {@link PayiConfigError}. */
export function oneOf<T extends string>(where: string, option: string, value: unknown, values: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const q = values.map((v) => `'${v}'`);
  const expected = q.length === 2 ? `${q[0]} or ${q[1]}` : `one of ${q.join(', ')}`;
  if (typeof value !== 'string' || !values.includes(value as T)) invalid(where, option, value, expected);
  return value as T;
}
