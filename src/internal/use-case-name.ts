/** The use case name rule shared by the SDK and the collector: 1-64 of `A-Z a-z 0-9 . - _`. */
export const USE_CASE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** What a valid use case name is, for error messages. */
export const USE_CASE_NAME_RULE = 'use 1-64 of A-Z a-z 0-9 . - _';

/**
 * Explains why `name` is not a valid use case name, or returns `undefined` when it is valid.
 * @example `useCaseNameProblem('my case') === 'has a space'`
 */
export function useCaseNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `is a ${name === null ? 'null' : typeof name}, not a string`;
  if (name.length === 0) return 'is empty';
  if (name.length > 64) return `is ${name.length} characters long`;
  if (USE_CASE_NAME_PATTERN.test(name)) return undefined;
  if (/\s/.test(name)) return 'has a space';
  const bad = [...name].find((c) => !/[A-Za-z0-9._-]/.test(c));
  return `has the character ${JSON.stringify(bad)}`;
}
