import type { TrackOptions } from '../src/context/types';
import { createScopeDecorator } from './apply';
import type { PayiDecorator } from './types';

/**
 * `@Track(options?)`: every call of the decorated method (instance or static; sync, async,
 * generator or async generator), or of every own method of the decorated class, runs inside a
 * scope built from `options` and merged with the enclosing frame (contract §3, §4). Provider calls
 * made below it, at any depth, are attributed to that scope. A sync method stays sync and returns
 * exactly what it returned. Works with TC39 standard decorators and with legacy
 * `experimentalDecorators` (NestJS) from the same import.
 *
 * Static options are validated when the decorator is applied (a `PayiConfigError` names the
 * decorator, the place and the bad value); function-valued options are evaluated at each call
 * with `{ self, args, method }`.
 *
 * @example
 * ```ts
 * class ChatService {
 *   @Track({ useCaseName: 'chatbot', limitIds: ['daily'], userId: ({ args }) => String(args[1]) })
 *   async reply(prompt: string, userId: string) {
 *     return openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
 *   }
 * }
 * ```
 */
export function Track(options?: TrackOptions): PayiDecorator {
  return createScopeDecorator('@Track', options, arguments.length);
}
