import { createScopeDecorator } from './apply';
import type { ModeScopeOptions, PayiDecorator } from './types';

/**
 * `@Ingest(options?)`: `@Track` with `proxy: false`. Provider calls made in the scope go straight
 * to the provider and their usage is sent to Pay-i (or the local collector) afterwards.
 *
 * @example
 * ```ts
 * class Docs {
 *   @Ingest({ useCaseName: 'document_summary', requestTags: ['summarization'] })
 *   summarize(text: string) { return client.chat.completions.create({ ... }); }
 * }
 * ```
 */
export function Ingest(options?: ModeScopeOptions): PayiDecorator {
  return createScopeDecorator('@Ingest', options, arguments.length, false);
}
