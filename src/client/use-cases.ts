import type { HttpCore } from './http';
import type { ApiObject, RequestOptions, UseCaseDefinition, UseCaseKpi } from './types';
import { invalid, number, object, optionalText, seg, text, useCaseName } from './validate';

const DEFS = '/api/v1/use_cases/definitions';
const INSTANCES = '/api/v1/use_cases/instances';

/** Fields of `useCases.definitions.create` (camelCase; sent as snake_case). */
export interface UseCaseDefinitionCreate {
  name: string;
  description?: string;
  /** Store prompts and responses of this use case's events. Default: the service's (off). */
  loggingEnabled?: boolean;
}

/** Fields of `useCases.definitions.update`: any of them. */
export interface UseCaseDefinitionUpdate {
  description?: string;
  loggingEnabled?: boolean;
}

/** Fields of {@link Payi.incrementKpiScore}. */
export interface KpiScoreIncrement {
  useCaseName: string;
  useCaseId: string;
  kpiName: string;
  /** Added to the KPI's score of this use case instance. */
  increment: number;
}

function definitionBody(where: string, fields: UseCaseDefinitionUpdate): ApiObject {
  const body: ApiObject = {};
  const description = optionalText(where, 'description', fields.description);
  if (description !== undefined) body.description = description;
  if (fields.loggingEnabled !== undefined) {
    if (typeof fields.loggingEnabled !== 'boolean') invalid(where, 'loggingEnabled', fields.loggingEnabled, 'true or false');
    body.logging_enabled = fields.loggingEnabled;
  }
  return body;
}

/**
 * `payi.useCases.definitions`: create, read, update and delete use case definitions.
 *
 * @example
 * ```ts
 * await payi.useCases.definitions.create({ name: 'summarize', description: 'Summaries', loggingEnabled: true });
 * ```
 */
export class UseCaseDefinitions {
  constructor(private readonly http: HttpCore) {}

  /** `POST /api/v1/use_cases/definitions` with `{ name, description, logging_enabled }`. */
  create(fields: UseCaseDefinitionCreate, options: RequestOptions = {}): Promise<UseCaseDefinition> {
    const w = 'payi.useCases.definitions.create';
    object(w, 'definition', fields);
    const name = useCaseName(w, 'name', fields.name);
    return this.http.request({ ...options, method: 'POST', path: DEFS, body: { name, ...definitionBody(w, fields) } });
  }

  /** `GET /api/v1/use_cases/definitions`: the service's answer (a list of definitions). */
  list(options: RequestOptions = {}): Promise<ApiObject | UseCaseDefinition[]> {
    return this.http.request({ ...options, method: 'GET', path: DEFS });
  }

  /** `GET /api/v1/use_cases/definitions/{name}`. */
  get(name: string, options: RequestOptions = {}): Promise<UseCaseDefinition> {
    const n = useCaseName('payi.useCases.definitions.get', 'name', name);
    return this.http.request({ ...options, method: 'GET', path: `${DEFS}/${seg(n)}` });
  }

  /** `PUT /api/v1/use_cases/definitions/{name}` with the fields given. */
  update(name: string, fields: UseCaseDefinitionUpdate, options: RequestOptions = {}): Promise<UseCaseDefinition> {
    const w = 'payi.useCases.definitions.update';
    const n = useCaseName(w, 'name', name);
    object(w, 'fields', fields);
    return this.http.request({ ...options, method: 'PUT', path: `${DEFS}/${seg(n)}`, body: definitionBody(w, fields) });
  }

  /** `DELETE /api/v1/use_cases/definitions/{name}`. */
  delete(name: string, options: RequestOptions = {}): Promise<ApiObject> {
    const n = useCaseName('payi.useCases.definitions.delete', 'name', name);
    return this.http.request({ ...options, method: 'DELETE', path: `${DEFS}/${seg(n)}` });
  }

  /** `POST /api/v1/use_cases/definitions/{name}/increment_version`: the definition with its new `version`. */
  incrementVersion(name: string, options: RequestOptions = {}): Promise<UseCaseDefinition> {
    const n = useCaseName('payi.useCases.definitions.incrementVersion', 'name', name);
    return this.http.request({ ...options, method: 'POST', path: `${DEFS}/${seg(n)}/increment_version` });
  }
}

/**
 * `payi.useCases.kpis`: the KPIs of a use case definition.
 *
 * @example
 * ```ts
 * await payi.useCases.kpis.define('summarize', { kpiName: 'accepted', description: 'User kept the summary' });
 * ```
 */
export class UseCaseKpis {
  constructor(private readonly http: HttpCore) {}

  /** `POST /api/v1/use_cases/definitions/{name}/kpis` with `{ kpi_name, description }`. */
  define(name: string, fields: { kpiName: string; description?: string }, options: RequestOptions = {}): Promise<UseCaseKpi> {
    const w = 'payi.useCases.kpis.define';
    const n = useCaseName(w, 'name', name);
    object(w, 'kpi', fields);
    const body: ApiObject = { kpi_name: text(w, 'kpiName', fields.kpiName) };
    const description = optionalText(w, 'description', fields.description);
    if (description !== undefined) body.description = description;
    return this.http.request({ ...options, method: 'POST', path: `${DEFS}/${seg(n)}/kpis`, body });
  }

  /** `GET /api/v1/use_cases/definitions/{name}/kpis`. */
  list(name: string, options: RequestOptions = {}): Promise<ApiObject | UseCaseKpi[]> {
    const n = useCaseName('payi.useCases.kpis.list', 'name', name);
    return this.http.request({ ...options, method: 'GET', path: `${DEFS}/${seg(n)}/kpis` });
  }
}

/**
 * `payi.useCases`: definitions, instances and KPIs.
 *
 * @example
 * ```ts
 * const { use_case_id } = await payi.useCases.create('summarize');
 * ```
 */
export class UseCases {
  /** Use case definitions. */
  readonly definitions: UseCaseDefinitions;
  /** KPIs of a definition. */
  readonly kpis: UseCaseKpis;

  constructor(private readonly http: HttpCore) {
    this.definitions = new UseCaseDefinitions(http);
    this.kpis = new UseCaseKpis(http);
  }

  /** `POST /api/v1/use_cases/instances/{name}`: a new instance of the use case; resolves to `{ use_case_id }`. */
  create(name: string, options: RequestOptions = {}): Promise<{ use_case_id: string } & ApiObject> {
    const n = useCaseName('payi.useCases.create', 'name', name);
    return this.http.request({ ...options, method: 'POST', path: `${INSTANCES}/${seg(n)}` });
  }

  /**
   * `GET /api/v1/use_cases/instances/{name}/{id}/kpis`: the KPI scores of one use case instance,
   * `{ items: [{ kpi_name, score }] }`.
   */
  kpiScores(name: string, useCaseId: string, options: RequestOptions = {}): Promise<ApiObject> {
    const w = 'payi.useCases.kpiScores';
    const n = useCaseName(w, 'useCaseName', name);
    const id = text(w, 'useCaseId', useCaseId);
    return this.http.request({ ...options, method: 'GET', path: `${INSTANCES}/${seg(n)}/${seg(id)}/kpis` });
  }

  /**
   * Adds `increment` to a KPI's score of one use case instance: reads the current score
   * (`GET .../kpis`, 0 when unset), then `PUT /api/v1/use_cases/instances/{name}/{id}/kpis/{kpi}`
   * with `{ score: current + increment }`. Like the Python SDK's helper it is not atomic (read, then
   * write). Resolves to the service's answer, with the new `score`.
   */
  async incrementKpiScore(fields: KpiScoreIncrement, options: RequestOptions = {}): Promise<ApiObject> {
    const w = 'payi.incrementKpiScore';
    object(w, 'fields', fields);
    const n = useCaseName(w, 'useCaseName', fields.useCaseName);
    const id = text(w, 'useCaseId', fields.useCaseId);
    const kpi = text(w, 'kpiName', fields.kpiName);
    const increment = number(w, 'increment', fields.increment, -Number.MAX_VALUE);
    const current = await this.kpiScores(n, id, options);
    const items = (Array.isArray(current.items) ? current.items : []) as { kpi_name?: unknown; score?: unknown }[];
    const found = items.find((i) => i.kpi_name === kpi);
    const score = (typeof found?.score === 'number' ? found.score : 0) + increment;
    return this.http.request({ ...options, method: 'PUT', path: `${INSTANCES}/${seg(n)}/${seg(id)}/kpis/${seg(kpi)}`, body: { score } });
  }
}
