/**
 * The OpenTelemetry bridge (docs/opentelemetry.md): spans and metrics for the application's
 * registered providers ({@link createBridge}), and the OTLP/HTTP export sink ({@link OtlpSink}).
 * @packageDocumentation
 */
export { createBridge, type CallObserver, type ObservedCall, type BridgeParts } from './bridge';
export { spanAttributes, commonAttributes, costAttributes, responseFacts, providerName, operationName, SCOPE_NAME, type Attrs, type AttrValue, type ResponseFacts } from './attributes';
export { CallMetrics, METRIC_NAMES } from './metrics';
export { OtlpSink } from './otlp-sink';
