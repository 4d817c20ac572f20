import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CollectorOptions, type RunningCollector, startCollector } from '../../collector';

/** A logger that keeps what it was given, so tests stay quiet and can look at warnings. */
export function memoryLogger(): { lines: { level: string; args: unknown[] }[]; error: (...a: unknown[]) => void; warn: (...a: unknown[]) => void; info: (...a: unknown[]) => void; debug: (...a: unknown[]) => void } {
  const lines: { level: string; args: unknown[] }[] = [];
  const at = (level: string) => (...args: unknown[]) => void lines.push({ level, args });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** A collector on 127.0.0.1, port 0, with a fresh SQLite file in a temp folder. */
export async function startTestCollector(options: CollectorOptions = {}): Promise<RunningCollector & { dir: string; dbPath: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-collector-'));
  const dbPath = path.join(dir, 'payi.db');
  const c = await startCollector({ port: 0, dbPath, logger: memoryLogger(), ...options });
  const closeCollector = c.close;
  return Object.assign(c, {
    dir,
    dbPath,
    close: async () => {
      await closeCollector();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A JSON answer: HTTP status and parsed body. */
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Sends a JSON request to the collector. */
export async function call<T = any>(base: string, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(base + p, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A well-formed event; override any field. */
export function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    category: 'system.openai',
    resource: 'gpt-4o-mini',
    units: { text: { input: 1000, output: 200 } },
    event_timestamp: '2025-09-01T12:00:00.000Z',
    http_status_code: 200,
    ...over,
  };
}

/** The `xProxy-*` header of each attribution field, as Pay-i's Python SDK sends them with `POST /api/v1/ingest`. */
const HEADER_OF: Record<string, string> = {
  limit_ids: 'xProxy-Limit-IDs',
  user_id: 'xProxy-User-ID',
  account_name: 'xProxy-Account-Name',
  use_case_name: 'xProxy-UseCase-Name',
  use_case_id: 'xProxy-UseCase-ID',
  use_case_version: 'xProxy-UseCase-Version',
  use_case_step: 'xProxy-UseCase-Step',
  resource_scope: 'xProxy-Resource-Scope',
};

/**
 * `POST /api/v1/ingest` the way the spec (and the Python SDK) sends one event: attribution fields
 * as `xProxy-*` headers, the rest as the `IngestRequest` body.
 */
export function ingest<T = any>(base: string, ev: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const body: Record<string, unknown> = {};
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(ev)) {
    const name = HEADER_OF[k];
    if (name) h[name] = Array.isArray(v) ? v.join(',') : String(v);
    else body[k] = v;
  }
  return call<T>(base, 'POST', '/api/v1/ingest', body, { ...h, ...headers });
}
