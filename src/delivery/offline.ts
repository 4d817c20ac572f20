import type { PayiEvent } from '../events/types';
import type { PayiLogger } from '../internal/logger';
import { JsonLinesFile } from './jsonl-file';
import { createStats, snapshot } from './stats';
import type { Delivery } from './types';

/**
 * Offline delivery (`offline: { file }`): every event is appended to `file` as one JSON line; no
 * network. Events written count as `sent`; events that could not be written count as `failed`.
 *
 * @example
 * ```ts
 * const delivery = createOfflineDelivery('./events.jsonl', logger);
 * delivery.submit(event);
 * await delivery.flush();
 * ```
 */
export function createOfflineDelivery(file: string, logger: PayiLogger): Delivery {
  const stats = createStats();
  const out = new JsonLinesFile(file, logger, (written, lost) => {
    stats.queued -= written + lost;
    stats.sent += written;
    stats.failed += lost;
  });
  const write = (event: PayiEvent): void => {
    stats.queued++;
    const queued = out.append([event]);
    if (queued === 0) stats.queued--;
  };
  return {
    submit: write,
    async sendInline(event) {
      write(event);
      return undefined;
    },
    async flush() {
      out.flushSync();
    },
    async close() {
      out.flushSync();
    },
    stats: () => snapshot(stats),
  };
}
