/** Connection limits of the collector's server, apart from the server so that reading the defaults loads no web server (`payi --help`). */
/**
 * How long a client may take and how many may be connected at once (docs/reliability.md): a
 * client that has not sent its headers within `headersTimeoutMs`, or its whole request within
 * `requestTimeoutMs`, gets 408 and its connection is closed; an idle keep-alive connection is
 * closed after `keepAliveTimeoutMs`; beyond `maxConnections` open connections a new one is
 * closed at once. Answers (a proxied stream) are not limited.
 */
export interface ConnectionLimits {
  /** Milliseconds to receive a request's headers. Default 10000. */
  headersTimeoutMs: number;
  /** Milliseconds to receive a whole request (headers and body). Default 30000. */
  requestTimeoutMs: number;
  /** Milliseconds an idle keep-alive connection stays open. Default 10000. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; more are closed at once. Default 256. */
  maxConnections: number;
}

/** The collector's default {@link ConnectionLimits}. */
export const CONNECTION_LIMIT_DEFAULTS: Readonly<ConnectionLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 10_000,
  maxConnections: 256,
});
