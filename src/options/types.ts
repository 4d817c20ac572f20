import type { Properties } from '../context/types';
import type { PayiIngestError } from '../errors';
import type { PayiLogger } from '../internal/logger';
import type { PayiEvent, XproxyResult } from '../events/types';
import type { ProviderCategory, ProviderInstrumentName, ProviderModuleKey } from '../recording/catalogue';
import type { EventSink } from '../delivery/sink';

/** Short provider names and categories accepted by `instruments` (from the provider catalogue, `providers/registry.ts`). */
export type InstrumentName = ProviderInstrumentName | ProviderCategory | '*';

/** What the delivery layer needs of a Pay-i REST client (the `Payi` class implements it). */
export interface IngestClient {
  ingest: {
    /** `POST /api/v1/ingest`: one event; resolves to the service's `xproxy_result`. */
    units(event: PayiEvent, options?: { signal?: AbortSignal }): Promise<XproxyResult>;
    /** `POST /api/v1/ingest/bulk` with a bare array: resolves to the `BulkIngestResponse` (refused items by `item_index`). */
    bulk(events: readonly PayiEvent[], options?: { signal?: AbortSignal }): Promise<BulkIngestResult>;
  };
  /** `GET /api/v1/limits/{limit_id}`: read in batched mode with `enforceLimits` to learn limit states (optional). */
  limits?: { get(limitId: string, options?: { signal?: AbortSignal }): Promise<unknown> };
}

/** The service's answer to a bulk ingest: the spec's `BulkIngestResponse`. */
export type BulkIngestResult = import('../wire/types').BulkIngestResponse;


/**
 * Delivery settings (contract §6). Every field is optional.
 *
 * @example
 * ```ts
 * payiInstrument({ ingest: { maxBatchSize: 50, flushIntervalMs: 500, handleSignals: true } });
 * ```
 */
export interface IngestOptions {
  /** `'batched'` (default): queued and sent in bulk; `'inline'`: each event sent before the provider's response is returned. */
  mode?: 'batched' | 'inline';
  /** Events per bulk request. Default 100. */
  maxBatchSize?: number;
  /**
   * Bytes of JSON per bulk request (a batch is cut before its size would grow past this: the Pay-i
   * bulk sink measures each item exactly; a sink without `measure` by an upper bound, so its
   * batches may carry less; a single event larger than this goes without its prompt/response
   * JSON, flagged `system.payload_dropped`).
   * Default 1048576 (1 MiB), below the service's body limit; at least 4096.
   */
  maxBatchBytes?: number;
  /** Milliseconds after a batch's first event before it is sent. Default 1000. */
  flushIntervalMs?: number;
  /** Bulk requests in flight at once. Default 2. */
  concurrency?: number;
  /** Milliseconds a batch may spend in retries before it is spilled. Default 300000. */
  maxRetryMs?: number;
  /** Events that may wait in memory; more are spilled. Default 10000. */
  maxQueueSize?: number;
  /** Where undeliverable events are appended as JSON lines; `false` to not write them. Default `./.payi/undelivered.jsonl`. */
  spillFile?: string | false;
  /** Milliseconds between two logged connection errors (the rest are counted). Default 60000. */
  connectionErrorLogWindowMs?: number;
  /**
   * On SIGTERM/SIGINT when the application has no handler of its own: flush (at most
   * `shutdownTimeoutMs`), spill the rest, then end the process as the signal would. With an
   * application handler, its behaviour is left alone (what is left is spilled at `exit`).
   * Default true.
   */
  handleSignals?: boolean;
  /** Milliseconds `shutdown()` waits for delivery by default. Default 10000. */
  shutdownTimeoutMs?: number;
  /** Milliseconds one HTTP request to the service may take. Default 30000. */
  requestTimeoutMs?: number;
  /**
   * Batched mode with `enforceLimits`: at most one `GET /api/v1/limits/{limit_id}` per limit per
   * this many milliseconds, to learn limit states the bulk answer does not carry. Default 5000.
   */
  limitRefreshMs?: number;
  /**
   * More destinations, each delivered to on its own (own queue, retries, counters in
   * `ingestStats().sinks`, spill file `<spillFile>.<name>.jsonl`) beside the Pay-i sink.
   * Default none.
   */
  sinks?: readonly EventSink[];
  /** Called with every delivery failure; a throw inside it is logged, never raised. */
  onError?: (error: PayiIngestError) => void;
}

/**
 * OTLP/HTTP export of events as spans and metrics (docs/opentelemetry.md), for applications without
 * an OpenTelemetry SDK of their own. Unset fields follow the standard `OTEL_EXPORTER_OTLP_*`
 * environment variables, then the exporters' defaults (`http://localhost:4318`).
 *
 * @example
 * ```ts
 * payiInstrument({ otel: { otlp: { endpoint: 'http://127.0.0.1:4318', headers: { 'x-team': 'ml' } } } });
 * ```
 */
export interface OtlpOptions {
  /** Base URL of the receiver; `/v1/traces` and `/v1/metrics` are appended. */
  endpoint?: string;
  /** Headers sent with every export request. */
  headers?: Readonly<Record<string, string>>;
  /** Milliseconds one export request may take. Default: `OTEL_EXPORTER_OTLP_TIMEOUT`, else 10000. */
  timeoutMs?: number;
}

/**
 * The OpenTelemetry bridge (docs/opentelemetry.md). Spans and metrics go to the application's
 * registered tracer and meter providers (nothing happens while none is registered, or without
 * `@opentelemetry/api`); `otlp` adds a sink that exports every event over OTLP/HTTP.
 *
 * @example
 * ```ts
 * payiInstrument({ otel: { metrics: false, otlp: true } });
 * ```
 */
export interface OtelOptions {
  /** A span per provider call when a tracer provider is registered. Default `true`. */
  spans?: boolean;
  /** Token, duration and cost metrics when a meter provider is registered. Default `true`. */
  metrics?: boolean;
  /** Export events as OTLP/HTTP spans and metrics (`true`: endpoint from the environment). Default `false`. */
  otlp?: boolean | OtlpOptions;
}

/**
 * Options of {@link payiInstrument} (contract §2). Every field is optional.
 *
 * @example
 * ```ts
 * payiInstrument({ useCaseName: 'my_app', limitIds: ['monthly'], ingest: { handleSignals: true } });
 * ```
 */
export interface PayiInstrumentOptions {
  /** Pay-i API key, sent as `xProxy-api-key`. Default: env `PAYI_API_KEY`. */
  apiKey?: string;
  /** Where ingest goes. Default: env `PAYI_BASE_URL`, else `https://api.pay-i.com`. */
  baseUrl?: string;
  /** Default mode: `false` ingest (default), `true` proxy. */
  proxy?: boolean;
  /** Push an outermost frame from the options below (default `true`); `false`: calls outside every scope pass through. */
  globalInstrumentation?: boolean;
  /** Use case of the outermost frame. Absent: the entry script's name; `null`: none. */
  useCaseName?: string | null;
  useCaseId?: string;
  useCaseVersion?: number;
  useCaseStep?: string;
  useCaseProperties?: Properties;
  limitIds?: readonly string[];
  requestTags?: readonly string[];
  userId?: string;
  accountName?: string;
  requestProperties?: Properties;
  /** Providers to instrument. Default: all available. */
  instruments?: readonly (InstrumentName | string)[];
  /** A `Payi` REST client to send events with. Default: built from `apiKey`/`baseUrl`. */
  payi?: IngestClient;
  /** Provider modules to patch, for bundlers and unusual layouts, e.g. `{ openai: OpenAI }`. */
  modules?: Partial<Record<ProviderModuleKey, unknown>>;
  /** Include `provider_request_json`/`provider_response_json` in events. Default `true`. */
  logPromptAndResponse?: boolean;
  /** Logger with `error/warn/info/debug`. Default: pino named `payi`, level env `PAYI_LOG_LEVEL` else `warn`. */
  logger?: PayiLogger;
  /** Called once per event with the prompt and response, even when `logPromptAndResponse` is false. */
  promptAndResponseLogger?: (requestId: string, data: Record<string, string>) => void;
  /** Delivery settings. */
  ingest?: IngestOptions;
  /** Write events as JSON lines to `file` instead of the network. */
  offline?: { file: string };
  /** Ingest mode: refuse a call whose limit the service reported `blocked`. Default `false`. */
  enforceLimits?: boolean;
  /** The OpenTelemetry bridge; `false` switches it off, `true` is the default (spans and metrics on, no OTLP export). */
  otel?: boolean | OtelOptions;
  /**
   * More header names (exact, case-insensitive) or patterns (tested on the lower-case name) to leave
   * out of recorded request and response headers, on top of the built-in credential rule
   * (docs/reliability.md). Default `[]`.
   */
  redactHeaders?: readonly (string | RegExp)[];
}

/** The validated settings handed to the other modules (defaults applied once). */
export interface Settings {
  apiKey?: string;
  baseUrl: string;
  proxy: boolean;
  globalInstrumentation: boolean;
  instruments: ReadonlySet<ProviderInstrumentName>;
  payi?: IngestClient;
  modules: Partial<Record<ProviderModuleKey, unknown>>;
  logPromptAndResponse: boolean;
  logger: PayiLogger;
  promptAndResponseLogger?: (requestId: string, data: Record<string, string>) => void;
  ingest: Required<Omit<IngestOptions, 'onError'>> & Pick<IngestOptions, 'onError'>;
  offline?: { file: string };
  enforceLimits: boolean;
  /** The OpenTelemetry bridge's parts; `otlp` only when the OTLP sink is on. */
  otel: { spans: boolean; metrics: boolean; otlp?: OtlpOptions };
  /** Extra header names or patterns never recorded (`redactHeaders`). */
  redactHeaders: readonly (string | RegExp)[];
  /** The outermost frame's values (already validated). */
  globalScope: import('../context/types').ScopeValues;
}
