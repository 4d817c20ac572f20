import type * as OtelApi from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { MetricReader as MetricReaderType, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { EventSink, SinkOutcome, SinkSendContext } from '../delivery/sink';
import { PayiConfigError } from '../errors';
import type { PayiEvent } from '../events/types';
import type { OtlpOptions } from '../options/types';
import { callTimes, errorType, responseFacts, spanAttributes, spanName, SCOPE_NAME } from './attributes';
import { CallMetrics } from './metrics';

/** The packages the OTLP sink is built from (optional peers of this SDK). */
const PACKAGES = [
  '@opentelemetry/api',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/resources',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-http',
] as const;

/** The result of an exporter's `export` (`ExportResult` of `@opentelemetry/core`: 0 success, 1 failed). */
interface ExportResult {
  code: number;
  error?: Error & { code?: number };
}

function load(): Record<(typeof PACKAGES)[number], any> {
  const out: Record<string, unknown> = {};
  for (const name of PACKAGES) {
    try {
      out[name] = require(name);
    } catch {
      throw new PayiConfigError(
        `payiInstrument: otel.otlp needs the package ${name}; install ${PACKAGES.join(', ')} (2.x / 0.2xx release lines)`,
        'otel.otlp',
        name,
      );
    }
  }
  return out as Record<(typeof PACKAGES)[number], any>;
}

/** Joins an endpoint and a signal path (`/v1/traces`). */
const signalUrl = (endpoint: string | undefined, path: string): string | undefined => (endpoint ? `${endpoint}${path}` : undefined);

/** What a failed export means for its events: a 4xx other than 408/429 is final, anything else retryable. */
function failureOutcome(result: ExportResult): SinkOutcome {
  const status = result.error?.code;
  const reason = result.error?.message ?? 'OTLP export failed';
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { status: 'failed', reason, error: result.error };
  }
  return { status: 'retryable', reason, error: result.error, answerLost: status === undefined };
}

/**
 * A sink that exports events over OTLP/HTTP (JSON) as spans (one per event, a root span with the
 * attributes of docs/opentelemetry.md) and metrics (token usage, operation duration; cumulative),
 * through the maintained OpenTelemetry exporters. Unset options follow `OTEL_EXPORTER_OTLP_*`
 * (endpoint, headers, timeout) and the resource follows `OTEL_SERVICE_NAME` /
 * `OTEL_RESOURCE_ATTRIBUTES`. A retried event is exported with the same trace and span ids; its
 * metrics are recorded once, when its span is accepted.
 *
 * @example
 * ```ts
 * payiInstrument({ otel: { otlp: { endpoint: 'http://127.0.0.1:4318' } } }); // adds this sink as 'otlp'
 * ```
 */
export class OtlpSink implements EventSink {
  readonly name = 'otlp';
  private readonly api: typeof OtelApi;
  private readonly tracer: OtelApi.Tracer;
  private readonly ended: ReadableSpan[] = [];
  private readonly spans = new WeakMap<PayiEvent, ReadableSpan>();
  private readonly measured = new WeakSet<PayiEvent>();
  private readonly metrics: CallMetrics;
  private readonly reader: Pick<MetricReaderType, 'collect'>;
  private readonly traceExporter: { export(s: ReadableSpan[], cb: (r: ExportResult) => void): void; shutdown(): Promise<void> };
  private readonly metricExporter: { export(m: ResourceMetrics, cb: (r: ExportResult) => void): void; shutdown(): Promise<void> };
  private readonly tracerProvider: { shutdown(): Promise<void> };
  private readonly meterProvider: { shutdown(): Promise<void> };

  constructor(options: OtlpOptions = {}) {
    const p = load();
    this.api = p['@opentelemetry/api'];
    const res = p['@opentelemetry/resources'];
    const resource = res.defaultResource().merge(res.detectResources({ detectors: [res.envDetector] }));
    const collector: SpanProcessor = {
      onStart: () => undefined,
      onEnd: (span) => void this.ended.push(span),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const tp = new p['@opentelemetry/sdk-trace-base'].BasicTracerProvider({ resource, spanProcessors: [collector] });
    this.tracerProvider = tp;
    this.tracer = tp.getTracer(SCOPE_NAME);
    const { MeterProvider, MetricReader } = p['@opentelemetry/sdk-metrics'];
    class OnDemandReader extends MetricReader {
      protected onForceFlush(): Promise<void> {
        return Promise.resolve();
      }
      protected onShutdown(): Promise<void> {
        return Promise.resolve();
      }
    }
    this.reader = new OnDemandReader() as unknown as Pick<MetricReaderType, 'collect'>;
    const mp = new MeterProvider({ resource, readers: [this.reader] });
    this.meterProvider = mp;
    this.metrics = new CallMetrics(mp.getMeter(SCOPE_NAME));
    const common = {
      ...(options.headers ? { headers: { ...options.headers } } : {}),
      ...(options.timeoutMs ? { timeoutMillis: options.timeoutMs } : {}),
    };
    const tracesUrl = signalUrl(options.endpoint, '/v1/traces');
    const metricsUrl = signalUrl(options.endpoint, '/v1/metrics');
    this.traceExporter = new p['@opentelemetry/exporter-trace-otlp-http'].OTLPTraceExporter({ ...common, ...(tracesUrl ? { url: tracesUrl } : {}) });
    this.metricExporter = new p['@opentelemetry/exporter-metrics-otlp-http'].OTLPMetricExporter({ ...common, ...(metricsUrl ? { url: metricsUrl } : {}) });
  }

  /** The span of an event (made once: a retry exports the same span). */
  private spanOf(event: PayiEvent): ReadableSpan {
    const known = this.spans.get(event);
    if (known) return known;
    const { start, end } = callTimes(event);
    const facts = responseFacts(event.provider_response_json);
    const span = this.tracer.startSpan(spanName(event), { kind: this.api.SpanKind.CLIENT, startTime: start, attributes: spanAttributes(event, facts) }, this.api.ROOT_CONTEXT);
    const error = errorType(event);
    if (error) span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: event.properties?.['system.failure.description'] ?? error });
    span.end(end);
    const readable = this.ended.pop() ?? (span as unknown as ReadableSpan);
    this.spans.set(event, readable);
    return readable;
  }

  /** Exports the batch's spans; once accepted, records their metrics and exports the metrics. */
  async send(events: readonly PayiEvent[], context: SinkSendContext): Promise<readonly SinkOutcome[]> {
    const spans = events.map((e) => this.spanOf(e));
    const result = await this.exportWithin(context.signal, (cb) => this.traceExporter.export(spans, cb));
    if (result.code !== 0) {
      const outcome = failureOutcome(result);
      return events.map(() => outcome);
    }
    for (const e of events) {
      if (this.measured.has(e)) continue;
      this.measured.add(e);
      this.metrics.record(e, responseFacts(e.provider_response_json));
    }
    await this.exportMetrics(context.signal);
    return events.map(() => ({ status: 'sent' }) as const);
  }

  /** Exports the cumulative metrics; a failure is left for the next export (cumulative values catch up). */
  private async exportMetrics(signal: AbortSignal): Promise<void> {
    const { resourceMetrics } = await this.reader.collect();
    if (resourceMetrics.scopeMetrics.length === 0) return;
    await this.exportWithin(signal, (cb) => this.metricExporter.export(resourceMetrics, cb));
  }

  private exportWithin(signal: AbortSignal, run: (cb: (r: ExportResult) => void) => void): Promise<ExportResult> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve({ code: 1, error: new Error('OTLP export aborted') });
      const onAbort = (): void => resolve({ code: 1, error: new Error('OTLP export aborted') });
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        run((r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        });
      } catch (err) {
        signal.removeEventListener('abort', onAbort);
        resolve({ code: 1, error: err as Error });
      }
    });
  }

  /** Exports the last metrics and shuts the exporters down. */
  async close(): Promise<void> {
    await this.exportMetrics(new AbortController().signal).catch(() => undefined);
    await Promise.allSettled([this.traceExporter.shutdown(), this.metricExporter.shutdown(), this.tracerProvider.shutdown(), this.meterProvider.shutdown()]);
  }
}
