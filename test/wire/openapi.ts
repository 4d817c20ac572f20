/**
 * Pay-i's own OpenAPI document (`../shared/reference/pay-i-openapi.yml`) as a validator for tests:
 * every request the SDK sends and every answer the collector gives for a spec path is checked
 * against the operation it belongs to, with ajv (strict about extra fields: the spec's schemas say
 * `additionalProperties: false`, so a field the spec does not declare is an error).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** Where the document lives: `../shared` beside the checkout (CI lays it out the same way). */
export const SPEC_PATH = path.resolve(__dirname, '../../../shared/reference/pay-i-openapi.yml');

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'header' | 'query' | 'path' | 'cookie';
  required?: boolean;
  schema?: Json;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Json }>; required?: boolean };
  responses?: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

/** The parsed document. */
export const spec: Json & { paths: Record<string, Record<string, Operation>>; components: Json } = parse(fs.readFileSync(SPEC_PATH, 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
// OpenAPI 3.0 number formats (ajv-formats knows int32/int64/float/double; keep explicit in case).
for (const f of ['int32', 'int64', 'float', 'double']) if (!ajv.formats[f]) ajv.addFormat(f, { type: 'number', validate: () => true });
ajv.addSchema({ ...(toJsonSchema(spec) as Json), $id: 'spec' });

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema: `type: [t, 'null']` where there is a type, else
 * `anyOf: [schema, { type: 'null' }]` (a `$ref`, `oneOf` or `allOf` beside `nullable`).
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'nullable' || typeof v !== 'boolean') out[k] = toJsonSchema(v);
  if ((node as Json).nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

const compiled = new Map<string, ValidateFunction>();
function pointer(...parts: string[]): string {
  return 'spec#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}
function validatorAt(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) {
    v = ajv.compile({ $ref: ref });
    compiled.set(ref, v);
  }
  return v;
}

/** The spec path template (`/api/v1/limits/{limit_id}`) that a concrete path matches, or `undefined`. */
export function matchPath(method: string, concretePath: string): { template: string; params: Record<string, string> } | undefined {
  const pathname = concretePath.split('?')[0]!;
  const m = method.toLowerCase();
  let best: { template: string; params: Record<string, string>; literal: number } | undefined;
  for (const template of Object.keys(spec.paths)) {
    if (!spec.paths[template]![m]) continue;
    const names: string[] = [];
    const re = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_s, n: string) => { names.push(n); return '([^/]+)'; }) + '$');
    const hit = re.exec(pathname);
    if (!hit) continue;
    const literal = template.replace(/\{[^}]+\}/g, '').length; // prefer the most literal template
    if (best && best.literal >= literal) continue;
    const params: Record<string, string> = {};
    names.forEach((n, i) => { params[n] = decodeURIComponent(hit[i + 1]!); });
    best = { template, params, literal };
  }
  return best && { template: best.template, params: best.params };
}

/** The operation object for `method` on a spec path template. Throws when the spec has none. */
export function operation(method: string, template: string): Operation {
  const op = spec.paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`the OpenAPI document has no ${method.toUpperCase()} ${template}`);
  return op;
}

function ajvErrors(v: ValidateFunction): string[] {
  return (v.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? `: ${String((e.params as { additionalProperty: string }).additionalProperty)}` : ''}`.trim());
}

/** A request as a test captured it. Header names are matched case-insensitively. */
export interface CapturedRequest {
  method: string;
  /** Path with or without the query string. */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, `undefined` for none. */
  body?: unknown;
}

/**
 * What Pay-i's Python SDK sends on an operation although the document does not declare it, and so
 * this SDK sends too (contract §6, docs/wire.md): on single ingest, `?id=<provider_response_id>`
 * and `xProxy-Instrumented-Module`. Tolerated by {@link requestProblems} there and nowhere else.
 */
export const PYTHON_SDK_EXTRAS: Readonly<Record<string, { headers: readonly string[]; query: readonly string[] }>> = {
  'POST /api/v1/ingest': { headers: ['xproxy-instrumented-module'], query: ['id'] },
};

/**
 * Problems with a request against its operation: unknown path, body not matching the request
 * schema (extra fields included), a required parameter missing, or an `xProxy-*` header the
 * operation does not declare (`xProxy-api-key`, the security scheme, is always allowed).
 * An empty array means the request conforms.
 */
export function requestProblems(req: CapturedRequest): string[] {
  const hit = matchPath(req.method, req.path);
  if (!hit) return [`${req.method.toUpperCase()} ${req.path}: no such operation in the OpenAPI document`];
  const op = operation(req.method, hit.template);
  const where = `${req.method.toUpperCase()} ${hit.template}`;
  const problems: string[] = [];
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const query: Record<string, string | undefined> = { ...(req.query ?? {}) };
  const qs = req.path.split('?')[1];
  if (qs) for (const [k, v] of new URLSearchParams(qs)) query[k] = v;
  const params = op.parameters ?? [];
  for (const p of params) {
    const present = p.in === 'header' ? headers[p.name.toLowerCase()] !== undefined : p.in === 'query' ? query[p.name] !== undefined : p.in === 'path' ? hit.params[p.name] !== undefined : true;
    if (p.required && !present) problems.push(`${where}: required ${p.in} parameter ${p.name} is missing`);
  }
  const declaredHeaders = new Set(params.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase()));
  declaredHeaders.add('xproxy-api-key');
  const extras = PYTHON_SDK_EXTRAS[where];
  for (const h of extras?.headers ?? []) declaredHeaders.add(h);
  for (const name of Object.keys(headers)) {
    if (name.startsWith('xproxy-') && !declaredHeaders.has(name)) problems.push(`${where}: header ${name} is not declared by the operation`);
  }
  const declaredQuery = new Set([...params.filter((p) => p.in === 'query').map((p) => p.name), ...(extras?.query ?? [])]);
  for (const name of Object.keys(query)) if (query[name] !== undefined && !declaredQuery.has(name)) problems.push(`${where}: query parameter ${name} is not declared by the operation`);
  const content = op.requestBody?.content;
  if (req.body === undefined) {
    if (op.requestBody?.required) problems.push(`${where}: the request body is required`);
  } else if (!content?.['application/json']) {
    problems.push(`${where}: the operation takes no JSON body`);
  } else {
    const v = validatorAt(pointer('paths', hit.template, req.method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema'));
    if (!v(req.body)) problems.push(...ajvErrors(v).map((e) => `${where} body ${e}`));
  }
  return problems;
}

/**
 * Problems with an answer against the operation's declared response for that status: a status the
 * operation does not declare, or a body not matching its schema (extra fields included).
 */
export function responseProblems(method: string, concretePath: string, status: number, body: unknown): string[] {
  const hit = matchPath(method, concretePath);
  if (!hit) return [`${method.toUpperCase()} ${concretePath}: no such operation in the OpenAPI document`];
  const op = operation(method, hit.template);
  const where = `${method.toUpperCase()} ${hit.template} → ${status}`;
  const declared = op.responses?.[String(status)];
  if (!declared) return [`${where}: status ${status} is not declared (declared: ${Object.keys(op.responses ?? {}).join(', ')})`];
  if (!declared.content?.['application/json']?.schema) return body === undefined || body === '' ? [] : [`${where}: the spec declares no JSON body for this status`];
  const v = validatorAt(pointer('paths', hit.template, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema'));
  return v(body) ? [] : ajvErrors(v).map((e) => `${where} ${e}`);
}

/** Problems with a value against a named component schema (e.g. `PayI.Common.Models.ApiError`). */
export function schemaProblems(name: string, value: unknown): string[] {
  if (!(spec.components.schemas as Json)[name]) return [`no component schema ${name}`];
  const v = validatorAt(pointer('components', 'schemas', name));
  return v(value) ? [] : ajvErrors(v).map((e) => `${name} ${e}`);
}
