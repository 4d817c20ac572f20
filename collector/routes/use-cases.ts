import type { FastifyInstance } from 'fastify';
import { USE_CASE_NAME_RULE, useCaseNameProblem } from 'payi-instrument/internal';
import { definitionView, type KpiInput, kpiView } from '../db/use-cases';
import { HttpError } from '../http/errors';
import { requestId } from '../ids';
import type { CollectorStore } from '../store';
import { PAGE_QUERY, page, pageWithIds, type PageQuery } from './paginate';

const DEFS = '/api/v1/use_cases/definitions';
const INSTANCES = '/api/v1/use_cases/instances';

/** Throws a 400 naming the value when `name` breaks the use case name rule. */
function checkName(name: unknown, what = 'use case name', format: 'api' | 'problem' = 'api'): string {
  const p = useCaseNameProblem(name);
  if (p) throw new HttpError(400, 'invalid_use_case_name', `${what} ${JSON.stringify(name)} ${p}; ${USE_CASE_NAME_RULE}`, undefined, format);
  return name as string;
}

const notFound = (name: string, format: 'api' | 'problem' = 'api'): HttpError => new HttpError(404, 'not_found', `no use case definition named "${name}"`, undefined, format);
const kpiNotFound = (name: string, kpi: string, format: 'api' | 'problem' = 'api'): HttpError =>
  new HttpError(404, 'not_found', `use case "${name}" has no KPI named "${kpi}"; define it with POST ${DEFS}/${name}/kpis`, undefined, format);

/** The `CreateLimitBase` of a definition's `limit_config`. */
const limitConfig = {
  type: 'object',
  required: ['max'],
  properties: {
    max: { type: 'number', minimum: 0 },
    threshold: { type: ['number', 'null'], exclusiveMinimum: 0, maximum: 1 },
    limit_type: { type: 'string', enum: ['block', 'allow'] },
    properties: { type: ['object', 'null'], additionalProperties: { type: ['string', 'null'] } },
  },
} as const;

const KPI_TYPES = ['boolean', 'number', 'percentage', 'likert5', 'likert7', 'likert10'];

type NameParams = { Params: { name: string } };
type KpiParams = { Params: { name: string; kpi: string } };
type InstanceParams = { Params: { name: string; id: string } };
type DefinitionBody = { name: string; description: string; logging_enabled?: boolean | null; limit_config?: Record<string, unknown> | null };

/**
 * Use case definitions (`UseCaseDefinitionRequest` → `UseCaseDefinitionResponse` with
 * `type_version`), their `limit_config`, their KPIs (`CreateKpiRequest` → `KpiResponse`), and use
 * case instances (`UseCaseInstanceResponse`) with KPI scores, as Pay-i's OpenAPI document defines
 * them. Lists are `PaginatedCursor…List`s. Every answer carries a fresh `request_id`.
 */
export function useCaseRoutes(app: FastifyInstance, store: CollectorStore): void {
  const uc = store.useCases;
  const def = (name: string): Record<string, unknown> => {
    const d = uc.getDefinition(name);
    if (!d) throw notFound(name);
    return { request_id: requestId(), ...definitionView(d) };
  };

  const createBody = {
    type: 'object',
    required: ['name', 'description'],
    properties: {
      name: { type: 'string' },
      description: { type: 'string', minLength: 1, maxLength: 4096 },
      logging_enabled: { type: ['boolean', 'null'] },
      limit_config: { anyOf: [limitConfig, { type: 'null' }] },
    },
  };
  app.post<{ Body: DefinitionBody }>(DEFS, { schema: { body: createBody } }, async (req) => {
    const name = checkName(req.body.name, 'name');
    if (!uc.createDefinition({ ...req.body, name })) throw new HttpError(400, 'already_exists', `a use case definition named "${name}" exists already`);
    return def(name);
  });

  const listQuery = { type: 'object', properties: { ...PAGE_QUERY, use_case_name: { type: 'string' } } };
  app.get<{ Querystring: PageQuery & { use_case_name?: string } }>(DEFS, { schema: { querystring: listQuery } }, async (req) => {
    const all = uc.listDefinitions().filter((d) => req.query.use_case_name === undefined || d.name === req.query.use_case_name);
    return pageWithIds(all.map(definitionView), req.query);
  });

  app.get<NameParams>(`${DEFS}/:name`, async (req) => def(checkName(req.params.name)));

  const updateBody = { type: 'object', properties: { description: { type: ['string', 'null'], maxLength: 4096 }, logging_enabled: { type: ['boolean', 'null'] } } };
  app.put<NameParams & { Body: { description?: string | null; logging_enabled?: boolean | null } }>(`${DEFS}/:name`, { schema: { body: updateBody } }, async (req) => {
    const name = checkName(req.params.name);
    if (!uc.updateDefinition(name, req.body ?? {})) throw notFound(name);
    return def(name);
  });

  app.delete<NameParams>(`${DEFS}/:name`, async (req) => {
    const name = checkName(req.params.name);
    const before = def(name);
    uc.deleteDefinition(name);
    return before;
  });

  app.post<NameParams>(`${DEFS}/:name/increment_version`, async (req) => {
    const name = checkName(req.params.name);
    if (!uc.incrementVersion(name)) throw notFound(name);
    return def(name);
  });

  app.post<NameParams & { Body: Record<string, unknown> }>(`${DEFS}/:name/limit_config`, { schema: { body: limitConfig } }, async (req) => {
    const name = checkName(req.params.name);
    if (!uc.setLimitConfig(name, req.body)) throw notFound(name);
    return def(name);
  });

  app.delete<NameParams>(`${DEFS}/:name/limit_config`, async (req) => {
    const name = checkName(req.params.name);
    if (!uc.setLimitConfig(name, null)) throw notFound(name);
    return def(name);
  });

  // KPIs of a definition
  const kpiListQuery = { type: 'object', properties: { ...PAGE_QUERY, kpi_name: { type: 'string' } } };
  app.get<NameParams & { Querystring: PageQuery & { kpi_name?: string } }>(`${DEFS}/:name/kpis`, { schema: { querystring: kpiListQuery } }, async (req) => {
    const name = checkName(req.params.name);
    if (!uc.getDefinition(name)) throw notFound(name);
    const all = uc.listKpis(name).filter((k) => req.query.kpi_name === undefined || k.kpi_name === req.query.kpi_name);
    return pageWithIds(all.map(kpiView), req.query);
  });

  const kpiBody = {
    type: 'object',
    required: ['name', 'description', 'kpi_type', 'goal'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 128 },
      description: { type: 'string', minLength: 1, maxLength: 4096 },
      kpi_type: { type: 'string', enum: KPI_TYPES },
      goal: { type: 'number' },
    },
  };
  app.post<NameParams & { Body: KpiInput }>(`${DEFS}/:name/kpis`, { schema: { body: kpiBody } }, async (req) => {
    const name = checkName(req.params.name);
    if (!uc.getDefinition(name)) throw notFound(name);
    const kpi = uc.defineKpi(name, req.body);
    if (!kpi) throw new HttpError(400, 'already_exists', `use case "${name}" has a KPI named "${req.body.name}" already`);
    return { request_id: requestId(), ...kpiView(kpi) };
  });

  app.get<KpiParams>(`${DEFS}/:name/kpis/:kpi`, async (req) => {
    const name = checkName(req.params.name);
    const kpi = uc.getKpi(name, req.params.kpi);
    if (!kpi) throw kpiNotFound(name, req.params.kpi);
    return { request_id: requestId(), ...kpiView(kpi) };
  });

  const kpiUpdate = { type: 'object', properties: { description: { type: ['string', 'null'], maxLength: 4096 }, goal: { type: ['number', 'null'] } } };
  app.put<KpiParams & { Body: { description?: string | null; goal?: number | null } }>(`${DEFS}/:name/kpis/:kpi`, { schema: { body: kpiUpdate } }, async (req) => {
    const name = checkName(req.params.name);
    const kpi = uc.updateKpi(name, req.params.kpi, req.body ?? {});
    if (!kpi) throw kpiNotFound(name, req.params.kpi);
    return { request_id: requestId(), ...kpiView(kpi) };
  });

  app.delete<KpiParams>(`${DEFS}/:name/kpis/:kpi`, async (req) => {
    const name = checkName(req.params.name);
    const kpi = uc.deleteKpi(name, req.params.kpi);
    if (!kpi) throw kpiNotFound(name, req.params.kpi);
    return { request_id: requestId(), ...kpiView(kpi) };
  });

  // Instances
  const instanceView = (name: string, id: string): Record<string, unknown> => ({
    use_case_id: id,
    type_version: uc.getDefinition(name)?.version ?? 1,
    use_case_name: name,
  });

  app.post<NameParams>(`${INSTANCES}/:name`, async (req) => {
    const name = checkName(req.params.name);
    uc.ensureDefinition(name, new Date().toISOString());
    return instanceView(name, uc.createInstance(name));
  });

  const instance = (name: string, id: string): Record<string, unknown> => {
    const inst = uc.getInstance(id);
    if (!inst || inst.use_case_name !== name) throw new HttpError(404, 'not_found', `no instance "${id}" of use case "${name}"`);
    return instanceView(name, id);
  };

  app.get<InstanceParams>(`${INSTANCES}/:name/:id`, async (req) => instance(checkName(req.params.name), req.params.id));

  app.delete<InstanceParams>(`${INSTANCES}/:name/:id`, async (req) => {
    const found = instance(checkName(req.params.name), req.params.id);
    uc.deleteInstance(req.params.id);
    return found;
  });

  const scoreQuery = { type: 'object', properties: { ...PAGE_QUERY, kpi_name: { type: 'string' } } };
  app.get<InstanceParams & { Querystring: PageQuery & { kpi_name?: string } }>(`${INSTANCES}/:name/:id/kpis`, { schema: { querystring: scoreQuery } }, async (req) => {
    checkName(req.params.name);
    const all = uc.scores(req.params.id).filter((s) => req.query.kpi_name === undefined || s.kpi_name === req.query.kpi_name);
    return page(all, req.query);
  });

  // `KpiScoreRequest`: a boolean, integer or number (or null: the score is removed); answers 200 with no body.
  const scoreBody = { type: 'object', properties: { score: { type: ['boolean', 'number', 'null'] } } };
  app.put<{ Params: { name: string; id: string; kpi: string }; Body: { score?: boolean | number | null } }>(
    `${INSTANCES}/:name/:id/kpis/:kpi`,
    { schema: { body: scoreBody }, config: { problemDetails: true } },
    async (req, reply) => {
      const name = checkName(req.params.name, 'use case name', 'problem');
      if (!uc.getDefinition(name)) throw notFound(name, 'problem');
      if (!uc.hasKpi(name, req.params.kpi)) throw kpiNotFound(name, req.params.kpi, 'problem');
      const s = req.body?.score;
      uc.setScore(name, req.params.id, req.params.kpi, s === undefined || s === null ? null : typeof s === 'boolean' ? Number(s) : s);
      return reply.code(200).send();
    },
  );
}
