import * as path from 'node:path';
import { scopeValueProblem } from '../context/validate';
import type { ScopeValues } from '../context/types';
import { PayiConfigError } from '../errors';
import { createDefaultLogger } from '../internal/logger';
import { DEFAULT_BASE_URL, LOG_LEVELS, readEnv } from './env';
import { PROVIDER_CATEGORIES, PROVIDER_INSTRUMENT_NAMES, instrumentsFor, type ProviderInstrumentName } from '../recording/catalogue';
import type { EventSink } from '../delivery/sink';
import type { IngestOptions, OtelOptions, PayiInstrumentOptions, Settings } from './types';

/** The default delivery settings. */
export const INGEST_DEFAULTS = Object.freeze({
  mode: 'batched' as const,
  maxBatchSize: 100,
  maxBatchBytes: 1_048_576,
  flushIntervalMs: 1000,
  concurrency: 2,
  maxRetryMs: 300_000,
  maxQueueSize: 10_000,
  spillFile: './.payi/undelivered.jsonl' as string | false,
  connectionErrorLogWindowMs: 60_000,
  handleSignals: true,
  shutdownTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  limitRefreshMs: 5_000,
  sinks: Object.freeze([]) as readonly EventSink[],
});

/** Every value `instruments` accepts besides `'*'`: the catalogue's short names, then its categories. */
const INSTRUMENT_VALUES: readonly string[] = [...new Set([...PROVIDER_INSTRUMENT_NAMES, ...Object.values(PROVIDER_CATEGORIES)])];

const OPTION_KEYS = new Set([
  'apiKey', 'baseUrl', 'proxy', 'globalInstrumentation', 'useCaseName', 'useCaseId', 'useCaseVersion', 'useCaseStep',
  'useCaseProperties', 'limitIds', 'requestTags', 'userId', 'accountName', 'requestProperties', 'instruments', 'payi',
  'modules', 'logPromptAndResponse', 'logger', 'promptAndResponseLogger', 'ingest', 'offline', 'enforceLimits', 'redactHeaders', 'otel',
]);
const SCOPE_KEYS = ['useCaseName', 'useCaseId', 'useCaseVersion', 'useCaseStep', 'useCaseProperties', 'limitIds', 'requestTags', 'userId', 'accountName', 'requestProperties'] as const;

/** How a bad value is shown in a message: JSON for plain data, a short label for functions and objects with methods. */
const show = (value: unknown): string => {
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) {
    return `a ${value.constructor?.name || 'object'}`;
  }
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 200 ? `${json.slice(0, 200)}...` : json;
  } catch {
    return String(value);
  }
};

const fail = (option: string, value: unknown, expected: string, what = 'is invalid'): never => {
  throw new PayiConfigError(`payiInstrument: ${option} ${show(value)} ${what}; expected ${expected}`, option, value);
};

/**
 * The application's name, for the default use case: the entry script's file name without its
 * extension, lower-cased, spaces to `_`, other characters outside the use case name rule to `_`.
 *
 * @example
 * ```ts
 * applicationName('/srv/app/Chat Bot.js'); // 'chat_bot'
 * ```
 */
export function applicationName(entry: string | undefined = process.argv[1]): string {
  const base = entry ? path.basename(entry).replace(/\.[^.]+$/, '') : 'app';
  const name = base.toLowerCase().replace(/\s+/g, '_').replace(/[^a-z0-9._-]/g, '_').slice(0, 64);
  return name || 'app';
}

/**
 * Validates `payiInstrument()` options once, applies defaults and environment fallbacks, and
 * returns the typed settings. Throws a {@link PayiConfigError} naming the option, the value and
 * what was expected.
 *
 * @example
 * ```ts
 * const settings = resolveOptions({ useCaseName: 'my_app' }); // settings.baseUrl === 'https://api.pay-i.com'
 * ```
 */
export function resolveOptions(options: PayiInstrumentOptions = {}, env: NodeJS.ProcessEnv = process.env): Settings {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail('options', options, 'an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) fail(key, (options as Record<string, unknown>)[key], `a known option (${[...OPTION_KEYS].join(', ')})`, 'is not an option');
  }
  const e = readEnv(env);
  const o = options;

  const str = (name: string, v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') fail(name, v, 'a non-empty string');
    return v as string;
  };
  const bool = (name: string, v: unknown, dflt: boolean): boolean => {
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') fail(name, v, 'true or false');
    return v as boolean;
  };

  const apiKey = str('apiKey', o.apiKey) ?? e.apiKey;
  const baseUrlOption = o.baseUrl === undefined && e.baseUrl !== undefined ? 'baseUrl (from PAYI_BASE_URL)' : 'baseUrl';
  const baseUrl = (str('baseUrl', o.baseUrl) ?? e.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  let parsed: URL | undefined;
  try {
    parsed = new URL(baseUrl);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) fail(baseUrlOption, baseUrl, 'an http(s) URL such as https://api.pay-i.com');

  let instruments = new Set<ProviderInstrumentName>(PROVIDER_INSTRUMENT_NAMES);
  if (o.instruments !== undefined) {
    if (!Array.isArray(o.instruments)) fail('instruments', o.instruments, `an array of ${INSTRUMENT_VALUES.join(', ')} or '*'`);
    instruments = new Set();
    for (const name of o.instruments) {
      const selected = name === '*' ? PROVIDER_INSTRUMENT_NAMES : typeof name === 'string' ? instrumentsFor(name) : [];
      if (selected.length === 0) fail('instruments', name, `one of ${INSTRUMENT_VALUES.join(', ')} or '*'`);
      for (const n of selected) instruments.add(n);
    }
  }

  if (o.payi !== undefined) {
    const p = o.payi as { ingest?: { units?: unknown; bulk?: unknown } };
    if (!p || typeof p.ingest?.units !== 'function' || typeof p.ingest?.bulk !== 'function') fail('payi', o.payi, 'a Payi client (new Payi({ apiKey })) with ingest.units and ingest.bulk');
  }
  if (o.modules !== undefined && (o.modules === null || typeof o.modules !== 'object')) fail('modules', o.modules, 'an object such as { openai: OpenAI }');
  if (o.logger !== undefined) {
    const l = o.logger as unknown as Record<string, unknown>;
    if (!l || ['error', 'warn', 'info', 'debug'].some((m) => typeof l[m] !== 'function')) fail('logger', o.logger, 'an object with error, warn, info and debug methods');
  }
  if (o.logger === undefined && e.logLevel !== undefined && !LOG_LEVELS.includes(e.logLevel)) {
    throw new PayiConfigError(`payiInstrument: environment variable PAYI_LOG_LEVEL ${show(e.logLevel)} is not a log level; expected one of ${LOG_LEVELS.join(', ')}`, 'PAYI_LOG_LEVEL', e.logLevel);
  }
  const redactHeaders = o.redactHeaders ?? [];
  if (!Array.isArray(redactHeaders)) fail('redactHeaders', redactHeaders, 'an array of header names or RegExps');
  for (const r of redactHeaders) {
    if (!(r instanceof RegExp) && (typeof r !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(r))) fail('redactHeaders', r, 'a header name (letters, digits, - _ and the like) or a RegExp', 'has an entry that is not a header name');
  }
  if (o.promptAndResponseLogger !== undefined && typeof o.promptAndResponseLogger !== 'function') fail('promptAndResponseLogger', o.promptAndResponseLogger, 'a function (requestId, data) => void');
  if (o.offline !== undefined && (typeof o.offline !== 'object' || o.offline === null || typeof o.offline.file !== 'string' || o.offline.file === '')) {
    fail('offline', o.offline, "{ file: './events.jsonl' }");
  }

  const globalScope: ScopeValues = {};
  for (const key of SCOPE_KEYS) {
    const v = (o as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const problem = scopeValueProblem(key, v);
    if (problem) throw new PayiConfigError(`payiInstrument: ${problem}`, key, v);
    (globalScope as Record<string, unknown>)[key] = v;
  }
  if (!('useCaseName' in o) || o.useCaseName === undefined) globalScope.useCaseName = applicationName();

  const settings: Settings = {
    baseUrl,
    proxy: bool('proxy', o.proxy, false),
    globalInstrumentation: bool('globalInstrumentation', o.globalInstrumentation, true),
    instruments,
    modules: { ...(o.modules ?? {}) },
    logPromptAndResponse: bool('logPromptAndResponse', o.logPromptAndResponse, true),
    logger: o.logger ?? createDefaultLogger(),
    ingest: resolveIngest(o.ingest),
    enforceLimits: bool('enforceLimits', o.enforceLimits, false),
    otel: resolveOtel(o.otel),
    redactHeaders: [...redactHeaders],
    globalScope,
  };
  if (apiKey) settings.apiKey = apiKey;
  if (o.payi) settings.payi = o.payi;
  if (o.promptAndResponseLogger) settings.promptAndResponseLogger = o.promptAndResponseLogger;
  if (o.offline) settings.offline = { file: o.offline.file };
  return settings;
}

function resolveIngest(i: IngestOptions | undefined): Settings['ingest'] {
  if (i === undefined) return { ...INGEST_DEFAULTS };
  if (i === null || typeof i !== 'object' || Array.isArray(i)) fail('ingest', i, 'an object such as { maxBatchSize: 100 }');
  const s = { ...INGEST_DEFAULTS, ...i } as Settings['ingest'];
  const known = new Set([...Object.keys(INGEST_DEFAULTS), 'onError']);
  for (const key of Object.keys(i)) if (!known.has(key)) fail(`ingest.${key}`, (i as Record<string, unknown>)[key], `a known ingest option (${[...known].join(', ')})`, 'is not an option');
  if (s.mode !== 'batched' && s.mode !== 'inline') fail('ingest.mode', s.mode, "'batched' or 'inline'");
  const int = (name: keyof typeof INGEST_DEFAULTS, min: number): void => {
    const v = s[name] as unknown;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(`ingest.${name}`, v, `a whole number >= ${min}`);
  };
  int('maxBatchSize', 1);
  int('maxBatchBytes', MIN_BATCH_BYTES);
  int('flushIntervalMs', 0);
  int('concurrency', 1);
  int('maxRetryMs', 0);
  int('maxQueueSize', 1);
  int('connectionErrorLogWindowMs', 0);
  int('shutdownTimeoutMs', 0);
  int('requestTimeoutMs', 1);
  int('limitRefreshMs', 0);
  if (s.spillFile !== false && (typeof s.spillFile !== 'string' || s.spillFile === '')) fail('ingest.spillFile', s.spillFile, 'a file path or false');
  if (typeof s.handleSignals !== 'boolean') fail('ingest.handleSignals', s.handleSignals, 'true or false');
  if (s.onError !== undefined && typeof s.onError !== 'function') fail('ingest.onError', s.onError, 'a function (error) => void');
  checkSinks(s.sinks);
  return s;
}

function resolveOtel(v: boolean | OtelOptions | undefined): Settings['otel'] {
  if (v === undefined || v === true) return { spans: true, metrics: true };
  if (v === false) return { spans: false, metrics: false };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail('otel', v, 'true, false or an object such as { spans: true, metrics: true, otlp: false }');
  const known = ['spans', 'metrics', 'otlp'];
  for (const key of Object.keys(v)) if (!known.includes(key)) fail(`otel.${key}`, (v as Record<string, unknown>)[key], `a known otel option (${known.join(', ')})`, 'is not an option');
  const flag = (name: 'spans' | 'metrics'): boolean => {
    const x = v[name];
    if (x === undefined) return true;
    if (typeof x !== 'boolean') fail(`otel.${name}`, x, 'true or false');
    return x as boolean;
  };
  const out: Settings['otel'] = { spans: flag('spans'), metrics: flag('metrics') };
  const o = v.otlp;
  if (o === undefined || o === false) return out;
  if (o === true) return { ...out, otlp: {} };
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return fail('otel.otlp', o, "true, false or { endpoint: 'http://127.0.0.1:4318', headers: { ... } }");
  for (const key of Object.keys(o)) if (!['endpoint', 'headers', 'timeoutMs'].includes(key)) fail(`otel.otlp.${key}`, (o as Record<string, unknown>)[key], 'a known otlp option (endpoint, headers, timeoutMs)', 'is not an option');
  const otlp: NonNullable<Settings['otel']['otlp']> = {};
  if (o.endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = typeof o.endpoint === 'string' ? new URL(o.endpoint) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) fail('otel.otlp.endpoint', o.endpoint, 'an http(s) URL such as http://127.0.0.1:4318');
    otlp.endpoint = (o.endpoint as string).replace(/\/+$/, '');
  }
  if (o.headers !== undefined) {
    const h = o.headers as unknown;
    if (h === null || typeof h !== 'object' || Array.isArray(h) || Object.values(h).some((x) => typeof x !== 'string')) fail('otel.otlp.headers', h, 'an object of header names to string values');
    otlp.headers = { ...(h as Record<string, string>) };
  }
  if (o.timeoutMs !== undefined) {
    if (typeof o.timeoutMs !== 'number' || !Number.isInteger(o.timeoutMs) || o.timeoutMs < 1) fail('otel.otlp.timeoutMs', o.timeoutMs, 'a whole number >= 1');
    otlp.timeoutMs = o.timeoutMs;
  }
  return { ...out, otlp };
}

/** The smallest `ingest.maxBatchBytes` accepted: one ordinary event must fit. */
const MIN_BATCH_BYTES = 4096;
/** Names of the built-in sinks, which an added sink may not take. */
const RESERVED_SINK_NAMES = new Set(['payi', 'file', 'otlp']);

function checkSinks(sinks: unknown): void {
  if (!Array.isArray(sinks)) return fail('ingest.sinks', sinks, 'an array of sinks ({ name, send(events, context) })');
  const seen = new Set<string>();
  (sinks as unknown[]).forEach((sink, i) => {
    const s = (sink ?? {}) as { name?: unknown; send?: unknown };
    if (typeof sink !== 'object' || typeof s.send !== 'function') fail(`ingest.sinks[${i}]`, sink, 'a sink: an object with name and send(events, context)');
    const name = s.name;
    if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) return fail(`ingest.sinks[${i}].name`, name, 'a name of letters, digits, "_", "." or "-"');
    if (RESERVED_SINK_NAMES.has(name) || seen.has(name)) fail(`ingest.sinks[${i}].name`, name, `a name not used by another sink (${[...RESERVED_SINK_NAMES, ...seen].join(', ')} are taken)`);
    seen.add(name);
  });
}
