import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';

/** A metric reader the test collects from on demand (the SDK's in-memory path). */
class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The real OpenTelemetry SDK, registered globally for one test. */
export interface OtelSdk {
  /** Every ended span of this SDK's scope (`payi-instrument`), oldest first. */
  payiSpans(): ReadableSpan[];
  /** Every ended span. */
  allSpans(): ReadableSpan[];
  /** The metrics of scope `payi-instrument` collected now. */
  collect(): Promise<MetricData[]>;
  /** Unregisters everything. */
  close(): Promise<void>;
}

/**
 * Registers a `BasicTracerProvider` with an in-memory exporter, a `MeterProvider` with a reader
 * the test collects from, and the async-hooks context manager (as an application does).
 *
 * @example
 * ```ts
 * const sdk = registerOtel({ traces: true, metrics: true });
 * ...
 * expect(sdk.payiSpans()).toHaveLength(1);
 * await sdk.close();
 * ```
 */
export function registerOtel(which: { traces?: boolean; metrics?: boolean } = { traces: true, metrics: true }): OtelSdk {
  const exporter = new InMemorySpanExporter();
  const tp = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestReader();
  const mp = new MeterProvider({ readers: [reader] });
  const cm = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(cm);
  if (which.traces) trace.setGlobalTracerProvider(tp);
  if (which.metrics) metrics.setGlobalMeterProvider(mp);
  return {
    payiSpans: () => exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === 'payi-instrument'),
    allSpans: () => exporter.getFinishedSpans(),
    async collect() {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.filter((s) => s.scope.name === 'payi-instrument').flatMap((s) => s.metrics);
    },
    async close() {
      trace.disable();
      metrics.disable();
      context.disable();
      await tp.shutdown();
      await mp.shutdown();
    },
  };
}

/** A span's attributes as a plain object (for `toEqual`). */
export const attrs = (s: ReadableSpan): Record<string, unknown> => ({ ...s.attributes });

/** Epoch milliseconds of an OpenTelemetry `HrTime`. */
export const hrMs = (t: [number, number]): number => t[0] * 1000 + t[1] / 1e6;

/** The data points of one metric as `{ attributes, value }` (histograms: count and sum). */
export function points(all: readonly MetricData[], name: string): { attributes: Record<string, unknown>; value: unknown }[] {
  const m = all.find((x) => x.descriptor.name === name);
  if (!m) return [];
  return m.dataPoints.map((p) => {
    const v = p.value as number | { count: number; sum?: number };
    return { attributes: { ...p.attributes }, value: typeof v === 'number' ? v : { count: v.count, sum: v.sum } };
  });
}
