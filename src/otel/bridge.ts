import type * as OtelApi from '@opentelemetry/api';
import type { PayiEvent, XproxyResult } from '../events/types';
import { safeExecute } from '../internal/logger';
import { callTimes, costAttributes, errorType, responseFacts, spanAttributes, spanName, SCOPE_NAME, type ResponseFacts } from './attributes';
import { CallMetrics } from './metrics';

/** What the recorder hands the observer when a call's event is recorded. */
export interface ObservedCall {
  /** The call's event, as delivery gets it. */
  event: PayiEvent;
  /** The provider's response JSON even when the event leaves it out (read for the response model and finish reasons only). */
  responseJson?: string;
  /** Inline mode: the service's answer for the event (carries the cost). */
  result?: Promise<XproxyResult | undefined>;
}

/**
 * The recorder's hook into OpenTelemetry: `begin()` when a provider call starts (captures the
 * active context, or nothing when no tracer provider is registered), `record()` synchronously when
 * its event is recorded. Never throws.
 */
export interface CallObserver {
  /** At the start of a call: an opaque token (the active context) for {@link CallObserver.record}. */
  begin(): unknown;
  /** When the call's event is recorded: its span (child of the context of `begin`) and metrics. */
  record(call: ObservedCall, token: unknown): void;
  /** True when {@link CallObserver.record} would make a span or a metric now (a provider is registered). */
  wants(token: unknown): boolean;
}

/** Which parts of the bridge are on (`otel.spans`, `otel.metrics`). */
export interface BridgeParts {
  spans: boolean;
  metrics: boolean;
}

type Api = typeof OtelApi;

/** `@opentelemetry/api` when the application has it installed, else `undefined` (loaded once). */
function loadApi(): Api | undefined {
  try {
    return require('@opentelemetry/api') as Api;
  } catch {
    return undefined;
  }
}

const VERSION: string = (() => {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/**
 * The observer for the application's registered OpenTelemetry providers, or `undefined` when
 * `@opentelemetry/api` is not installed or both parts are off (then a call pays nothing). While
 * no tracer (meter) provider is registered, each call costs one global look-up and makes no span
 * (no metric); a provider registered later is picked up on the next call.
 *
 * @example
 * ```ts
 * const observer = createBridge({ spans: true, metrics: true }); // give it to the recorder
 * ```
 */
export function createBridge(parts: BridgeParts, load: () => unknown = loadApi): CallObserver | undefined {
  if (!parts.spans && !parts.metrics) return undefined;
  // typed as unknown in the signature so the published declarations never name @opentelemetry/api
  // (an optional peer: a strict app without it must still type-check)
  const api = load() as Api | undefined;
  if (!api) return undefined;
  const noopTracerProvider = new api.ProxyTracerProvider().getDelegate();
  const noopMeterClass = api.createNoopMeter().constructor;
  let tracerFor: { provider: unknown; tracer: OtelApi.Tracer | undefined } = { provider: undefined, tracer: undefined };
  let metricsFor: { provider: unknown; metrics: CallMetrics | undefined } = { provider: undefined, metrics: undefined };

  /** The tracer of the registered provider, `undefined` while none (the no-op) is registered. */
  const currentTracer = (): OtelApi.Tracer | undefined => {
    const global = api.trace.getTracerProvider() as OtelApi.TracerProvider & { getDelegate?: () => OtelApi.TracerProvider };
    const real = typeof global.getDelegate === 'function' ? global.getDelegate() : global;
    if (real !== tracerFor.provider) {
      const registered = real !== noopTracerProvider && real.constructor?.name !== 'NoopTracerProvider';
      tracerFor = { provider: real, tracer: registered ? real.getTracer(SCOPE_NAME, VERSION) : undefined };
    }
    return tracerFor.tracer;
  };
  const currentMetrics = (): CallMetrics | undefined => {
    const provider = api.metrics.getMeterProvider();
    if (provider !== metricsFor.provider) {
      const meter = provider.getMeter(SCOPE_NAME, VERSION);
      metricsFor = { provider, metrics: meter instanceof noopMeterClass ? undefined : new CallMetrics(meter) };
    }
    return metricsFor.metrics;
  };

  const startSpan = (tracer: OtelApi.Tracer, call: ObservedCall, facts: ResponseFacts, parent: OtelApi.Context): void => {
    const { event } = call;
    const { start, end } = callTimes(event);
    const span = tracer.startSpan(spanName(event), { kind: api.SpanKind.CLIENT, startTime: start, attributes: spanAttributes(event, facts) }, parent);
    const error = errorType(event);
    if (error) span.setStatus({ code: api.SpanStatusCode.ERROR, message: event.properties?.['system.failure.description'] ?? error });
    if (!call.result) return span.end(end);
    void call.result.then(
      (r) => safeExecute('adding the cost to a span', () => span.setAttributes(costAttributes(r)), undefined),
      () => undefined,
    ).finally(() => span.end(end));
  };

  return {
    begin() {
      return safeExecute('reading the OpenTelemetry context', () => (parts.spans && currentTracer() ? api.context.active() : undefined), undefined);
    },
    wants(token) {
      return safeExecute('reading the OpenTelemetry providers', () => (token !== undefined && !!currentTracer()) || (parts.metrics && !!currentMetrics()), true);
    },
    record(call, token) {
      safeExecute(
        'recording OpenTelemetry signals',
        () => {
          const tracer = token !== undefined ? currentTracer() : undefined;
          const metrics = parts.metrics ? currentMetrics() : undefined;
          if (!tracer && !metrics) return;
          const facts = responseFacts(call.responseJson ?? call.event.provider_response_json);
          if (tracer) startSpan(tracer, call, facts, token as OtelApi.Context);
          if (!metrics) return;
          metrics.record(call.event, facts);
          if (call.result) void call.result.then((r) => safeExecute('recording a cost metric', () => metrics.recordCost(call.event, facts, r), undefined), () => undefined);
        },
        undefined,
      );
    },
  };
}
