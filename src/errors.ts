/**
 * The one error tree of payi-instrument. Every error the SDK raises or reports is a
 * {@link PayiError}; subclasses say which part of the SDK it came from.
 *
 * @example
 * ```ts
 * try { payiInstrument({ ingest: { flushIntervalMs: -1 } }); }
 * catch (e) { if (e instanceof PayiConfigError) console.error(e.option, e.value); }
 * ```
 */
export class PayiError extends Error {
  /** HTTP status, where the error came from an HTTP answer. */
  readonly status?: number;
  /** A machine-readable code, e.g. `invalid_option` or the service's `xproxy_error.code`. */
  readonly code?: string;
  /** The request id the service gave, where known. */
  readonly requestId?: string;

  constructor(message: string, init: { status?: number; code?: string; requestId?: string; cause?: unknown } = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }
}

/**
 * Bad options, an invalid use case name, or a decorator in a place it cannot go.
 * The message names the option (or place), the value, and what was expected.
 *
 * @example
 * ```ts
 * // PayiConfigError: @Track on `ChatService.reply`: useCaseName "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _
 * ```
 */
export class PayiConfigError extends PayiError {
  /** The option (or decorator place) that was wrong. */
  readonly option: string;
  /** The value that was given. */
  readonly value: unknown;

  constructor(message: string, option: string, value: unknown) {
    super(message, { code: 'invalid_option' });
    this.option = option;
    this.value = value;
  }
}

/**
 * Thrown into a provider call (only with `enforceLimits: true`) when the frame lists a limit that
 * the service reported `blocked`. The provider was not called.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PayiLimitBlockedError) console.log(e.limitIds); }
 * ```
 */
export class PayiLimitBlockedError extends PayiError {
  /** The blocked limit ids of the refused call. */
  readonly limitIds: readonly string[];

  constructor(limitIds: readonly string[]) {
    super(`Pay-i limit blocked: ${limitIds.join(', ')}; the provider call was not made`, { code: 'limit_blocked' });
    this.limitIds = [...limitIds];
  }
}

/**
 * An answer of the Pay-i REST API (or the local collector) that was not a success.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PayiApiError && e.status === 404) ... }
 * ```
 */
export class PayiApiError extends PayiError {}

/**
 * A failure to deliver events. Never thrown into a provider call: it is reported through the
 * logger, `ingestStats()` and the `ingest.onError` option.
 *
 * @example
 * ```ts
 * payiInstrument({ ingest: { onError: (e: PayiIngestError) => metrics.count(e.code) } });
 * ```
 */
export class PayiIngestError extends PayiError {}
