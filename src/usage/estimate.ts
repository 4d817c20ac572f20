import { estimateTokenCount } from 'tokenx';

/**
 * Estimated token count of `text`, with `tokenx` (a maintained, dependency-free estimator of
 * about 2 kB; docs/reliability.md says why not a full BPE tokenizer). 0 for empty text.
 *
 * @example
 * ```ts
 * estimateTokens('Hello, world!'); // about 4
 * ```
 */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  return Math.max(0, Math.round(estimateTokenCount(text)));
}
