import type { Units } from '../events/types';
import { PayiPropertyNames } from '../headers/names';
import { estimateTokens } from './estimate';

/** How an event's usage is known (`properties["system.usage_source"]`). */
export type UsageSource = 'reported' | 'estimated' | 'missing';

/** The property every event carries. */
export const USAGE_SOURCE_PROPERTY = PayiPropertyNames.usageSource;

const total = (units: Units, side: 'input' | 'output'): number => Object.values(units).reduce((n, u) => n + (u?.[side] ?? 0), 0);

/** `reported` when any unit has a count, else `missing`. */
export function reportedSource(units: Units): UsageSource {
  return total(units, 'input') > 0 || total(units, 'output') > 0 ? 'reported' : 'missing';
}

/** What {@link settleUsage} needs about one call. */
export interface UsageFacts {
  /** The units the provider reported (possibly partial, e.g. Anthropic's `message_start`). */
  units: Units;
  /** `properties["system.stream_outcome"]`, for streamed calls. */
  streamOutcome?: string | null;
  /** The prompt text (read only when an estimate is needed). */
  requestText: () => string;
  /** The text received from the stream so far. */
  outputText: () => string;
}

/**
 * The units to record and how they are known (issue 11 item 6). A stream that did not complete
 * (`abandoned`, `failed`) is billed for its prompt and what was generated, yet often carries no
 * usage (OpenAI sends it last) or only the input side (Anthropic's `message_start`): missing input
 * is estimated from the request text, output from the text received when that is more than was
 * reported, and the usage is `estimated`. A completed stream without any usage is estimated the
 * same way. Everything else is `reported`, or `missing` when there are no counts (e.g. a call that
 * failed before any answer).
 *
 * @example
 * ```ts
 * settleUsage({ units: {}, streamOutcome: 'abandoned', requestText: () => 'Hi there', outputText: () => 'Hello' });
 * // { units: { text: { input: 2, output: 2 } }, source: 'estimated' }
 * ```
 */
export function settleUsage(f: UsageFacts): { units: Units; source: UsageSource } {
  const reported = reportedSource(f.units);
  const outcome = f.streamOutcome;
  const estimate = outcome === 'abandoned' || outcome === 'failed' || (outcome === 'completed' && reported === 'missing');
  if (!estimate) return { units: f.units, source: reported };
  const units: Units = { ...f.units };
  const text = { ...(units.text ?? {}) };
  let estimated = false;
  if (total(units, 'input') === 0) {
    const input = estimateTokens(f.requestText());
    if (input > 0) {
      text.input = input;
      estimated = true;
    }
  }
  const outReported = total(units, 'output');
  const output = estimateTokens(f.outputText());
  if (output > outReported) {
    text.output = (text.output ?? 0) + output - outReported;
    estimated = true;
  }
  if (!estimated) return { units: f.units, source: reported };
  units.text = text;
  return { units, source: 'estimated' };
}
