/**
 * The only place that reads environment variables (architecture: `src/options` owns them).
 * Empty values count as unset.
 */
export interface PayiEnv {
  apiKey?: string;
  baseUrl?: string;
  logLevel?: string;
}

/**
 * The values `PAYI_LOG_LEVEL` accepts (pino's levels; case does not matter). Any other value makes
 * `payiInstrument()` throw a `PayiConfigError` naming the variable (docs/reliability.md).
 */
export const LOG_LEVELS: readonly string[] = Object.freeze(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Reads `PAYI_API_KEY`, `PAYI_BASE_URL` and `PAYI_LOG_LEVEL` (lower-cased) from `env` (default `process.env`).
 *
 * @example
 * ```ts
 * readEnv({ PAYI_API_KEY: 'k', PAYI_BASE_URL: ' ' }); // { apiKey: 'k' }
 * ```
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): PayiEnv {
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const out: PayiEnv = {};
  const apiKey = get('PAYI_API_KEY');
  const baseUrl = get('PAYI_BASE_URL');
  const logLevel = get('PAYI_LOG_LEVEL');
  if (apiKey) out.apiKey = apiKey;
  if (baseUrl) out.baseUrl = baseUrl;
  if (logLevel) out.logLevel = logLevel.toLowerCase();
  return out;
}

/** The hosted Pay-i service. */
export const DEFAULT_BASE_URL = 'https://api.pay-i.com';
