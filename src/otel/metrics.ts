import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { PayiEvent, XproxyResult } from '../events/types';
import { commonAttributes, costAttributes, tokenTotals, type ResponseFacts } from './attributes';

/** Metric names (GenAI semantic conventions, plus this SDK's cost counter). */
export const METRIC_NAMES = Object.freeze({
  tokenUsage: 'gen_ai.client.token.usage',
  operationDuration: 'gen_ai.client.operation.duration',
  cost: 'payi.client.cost',
});

/** The convention's advised bucket boundaries. */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/**
 * The three instruments of one meter: token usage and operation duration histograms, cost counter.
 *
 * @example
 * ```ts
 * const m = new CallMetrics(metrics.getMeter('payi-instrument'));
 * m.record(event, facts);
 * ```
 */
export class CallMetrics {
  private readonly tokens: Histogram;
  private readonly duration: Histogram;
  private readonly cost: Counter;

  constructor(meter: Meter) {
    this.tokens = meter.createHistogram(METRIC_NAMES.tokenUsage, {
      unit: '{token}',
      description: 'Number of input and output tokens used',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.duration = meter.createHistogram(METRIC_NAMES.operationDuration, {
      unit: 's',
      description: 'GenAI operation duration',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.cost = meter.createCounter(METRIC_NAMES.cost, { unit: '{currency}', description: 'Cost of GenAI calls as the Pay-i service priced them' });
  }

  /** Records the duration of the call and, when it used any, its input and output tokens. */
  record(event: PayiEvent, facts: ResponseFacts): void {
    const attrs = commonAttributes(event, facts);
    this.duration.record((event.end_to_end_latency_ms ?? 0) / 1000, attrs);
    const { input, output } = tokenTotals(event);
    const { ['error.type']: _err, ...tokenAttrs } = attrs;
    if (input > 0) this.tokens.record(input, { ...tokenAttrs, 'gen_ai.token.type': 'input' });
    if (output > 0) this.tokens.record(output, { ...tokenAttrs, 'gen_ai.token.type': 'output' });
  }

  /** Adds the call's cost (the service's `xproxy_result.cost.total.base`) when it is known. */
  recordCost(event: PayiEvent, facts: ResponseFacts, result: XproxyResult | undefined): void {
    const cost = costAttributes(result);
    const total = cost['payi.cost.total'];
    if (typeof total !== 'number') return;
    const attrs = commonAttributes(event, facts);
    if (cost['payi.cost.currency'] !== undefined) attrs['payi.cost.currency'] = cost['payi.cost.currency'];
    this.cost.add(total, attrs);
  }
}
