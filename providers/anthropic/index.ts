import type { ProviderAdapter } from '../../src/recording/types';
import { instrumentAnthropic } from './adapter';

export { anthropicUnits, LARGE_CONTEXT_THRESHOLD } from './units';
export { instrumentAnthropic, anthropicMessagesPrototypes } from './adapter';

/**
 * The Anthropic adapter: `messages.create` (streaming or not), `messages.stream()` and
 * `messages.parse()`, and the same on `beta.messages`, for `Anthropic` clients (`system.anthropic`)
 * and the `AnthropicBedrock` / `AnthropicVertex` clients built on the same SDK. Its catalogue entry
 * is in `providers/registry.ts`.
 *
 * @example
 * ```ts
 * const undo = adapter.patch(hub);
 * ```
 */
export const adapter: ProviderAdapter = { patch: instrumentAnthropic };
