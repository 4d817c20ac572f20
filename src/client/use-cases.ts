import { KPI_TYPES, type CursorPage, type KpiScore, type KpiType, type LimitConfig, type UseCaseDefinition, type UseCaseInstance, type UseCaseKpi } from '../wire/resources';
import { stringifyProperties } from '../wire/encode';
import type { HttpCore } from './http';
import type { ApiObject, RequestOptions } from './types';
import { invalid, number, object, oneOf, onlyKnown, optionalText, required, seg, text, useCaseName } from './validate';

const DEFS = '/api/v1/use_cases/definitions';
const INSTANCES = '/api/v1/use_cases/instances';

/** Fields of `useCases.definitions.create`: the spec's `UseCaseDefinitionRequest` in camelCase. */
export interface UseCaseDefinitionCreate {
  name: string;
  /** Required by the spec (a non-empty string). */
  description: string;
  /** Store prompts and responses of this use case's events. Default: the service's (off). */
  loggingEnabled?: boolean;
  /** A limit every instance of the use case gets (`limit_config`: `CreateLimitBase`). */
  limitConfig?: { max: number; threshold?: number; limitType?: 'block' | 'allow'; properties?: Record<string, string | number | boolean | null> };
}

/** Fields of `useCases.kpis.define`: the spec's `CreateKpiRequest` in camelCase (all required). */
export interface KpiDefine {
  name: string;
  description: string;
  kpiType: KpiType;
  /** The target score. */
  goal: number;
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

function limitConfig(where: string, c: unknown): LimitConfig {
  const f = object<NonNullable<UseCaseDefinitionCreate['limitConfig']>>(where, 'limitConfig', c);
  onlyKnown(where, f, ['max', 'threshold', 'limitType', 'properties']);
  required(where, 'limitConfig.max', f.max, 'a number of USD >= 0');
  const out: LimitConfig = { max: number(where, 'limitConfig.max', f.max, 0) };
  if (f.threshold !== undefined) out.threshold = number(where, 'limitConfig.threshold', f.threshold, 0);
  const type = oneOf(where, 'limitConfig.limitType', f.limitType, ['block', 'allow'] as const);
  if (type) out.limit_type = type;
  if (f.properties !== undefined) out.properties = stringifyProperties(object(where, 'limitConfig.properties', f.properties));
  return out;
}

function definitionBody(where: string, fields: UseCaseDefinitionUpdate): ApiObject {
  const body: ApiObject = {};
  const description = optionalText(where, 'description', fields.description);
  if (description !== undefined) body.description = text(where, 'description', description);
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

  /** `POST /api/v1/use_cases/definitions` with a `UseCaseDefinitionRequest` (`name`, `description`, `logging_enabled`, `limit_config`). */
  create(fields: UseCaseDefinitionCreate, options: RequestOptions = {}): Promise<UseCaseDefinition> {
    const w = 'payi.useCases.definitions.create';
    object(w, 'definition', fields);
    onlyKnown(w, fields, ['name', 'description', 'loggingEnabled', 'limitConfig']);
    required(w, 'name', fields.name, 'a use case name');
    required(w, 'description', fields.description, 'a non-empty string');
    const name = useCaseName(w, 'name', fields.name);
    const body: ApiObject = { name, ...definitionBody(w, fields) };
    if (fields.limitConfig !== undefined) body.limit_config = limitConfig(w, fields.limitConfig);
    return this.http.request({ ...options, method: 'POST', path: DEFS, body });
  }

  /** `GET /api/v1/use_cases/definitions` (cursor paged): `{ items: [UseCaseDefinition], cursor }`. */
  list(options: RequestOptions = {}): Promise<CursorPage<UseCaseDefinition>> {
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
    onlyKnown(w, fields, ['description', 'loggingEnabled']);
    return this.http.request({ ...options, method: 'PUT', path: `${DEFS}/${seg(n)}`, body: definitionBody(w, fields) });
  }

  /** `DELETE /api/v1/use_cases/definitions/{name}`: the deleted definition. */
  delete(name: string, options: RequestOptions = {}): Promise<UseCaseDefinition> {
    const n = useCaseName('payi.useCases.definitions.delete', 'name', name);
    return this.http.request({ ...options, method: 'DELETE', path: `${DEFS}/${seg(n)}` });
  }

  /** `POST /api/v1/use_cases/definitions/{name}/increment_version`: the definition with its new `type_version`. */
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
 * await payi.useCases.kpis.define('summarize', { name: 'accepted', description: 'User kept the summary', kpiType: 'boolean', goal: 1 });
 * ```
 */
export class UseCaseKpis {
  constructor(private readonly http: HttpCore) {}

  /**
   * `POST /api/v1/use_cases/definitions/{use_case_name}/kpis` with a `CreateKpiRequest`:
   * `{ name, description, kpi_type, goal }`, all required.
   */
  define(useCaseName_: string, fields: KpiDefine, options: RequestOptions = {}): Promise<UseCaseKpi> {
    const w = 'payi.useCases.kpis.define';
    const n = useCaseName(w, 'useCaseName', useCaseName_);
    object(w, 'kpi', fields);
    onlyKnown(w, fields, ['name', 'description', 'kpiType', 'goal']);
    for (const [k, expected] of [['name', 'a non-empty string'], ['description', 'a non-empty string'], ['kpiType', KPI_TYPES.join(', ')], ['goal', 'a number']] as const) {
      required(w, k, fields[k], expected);
    }
    const body: ApiObject = {
      name: text(w, 'name', fields.name),
      description: text(w, 'description', fields.description),
      kpi_type: oneOf(w, 'kpiType', fields.kpiType, KPI_TYPES),
      goal: number(w, 'goal', fields.goal, -Number.MAX_VALUE),
    };
    return this.http.request({ ...options, method: 'POST', path: `${DEFS}/${seg(n)}/kpis`, body });
  }

  /** `GET /api/v1/use_cases/definitions/{use_case_name}/kpis` (cursor paged): `{ items: [KpiResponse] }`. */
  list(name: string, options: RequestOptions = {}): Promise<CursorPage<UseCaseKpi>> {
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

  /** `POST /api/v1/use_cases/instances/{use_case_name}`: a new instance; resolves to `{ use_case_id, use_case_name, type_version }`. */
  create(name: string, options: RequestOptions = {}): Promise<UseCaseInstance> {
    const n = useCaseName('payi.useCases.create', 'name', name);
    return this.http.request({ ...options, method: 'POST', path: `${INSTANCES}/${seg(n)}` });
  }

  /**
   * `GET /api/v1/use_cases/instances/{name}/{id}/kpis`: the KPI scores of one use case instance,
   * `{ items: [{ kpi_name, kpi_type, score }] }` (`PaginatedKpiScoreResponseList`).
   */
  kpiScores(name: string, useCaseId: string, options: RequestOptions = {}): Promise<CursorPage<KpiScore>> {
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
    const items: KpiScore[] = Array.isArray(current.items) ? current.items : [];
    const found = items.find((i) => i.kpi_name === kpi);
    const score = (typeof found?.score === 'number' ? found.score : 0) + increment;
    return this.http.request({ ...options, method: 'PUT', path: `${INSTANCES}/${seg(n)}/${seg(id)}/kpis/${seg(kpi)}`, body: { score } });
  }
}
