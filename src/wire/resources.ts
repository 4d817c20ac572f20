/**
 * The answer (and body) shapes of the Pay-i REST operations the `Payi` client calls, as the
 * OpenAPI document declares them (snake_case; the spec's schema names in the comments).
 */
import type { LimitStateName } from './types';

/** `LimitType`. */
export type LimitType = 'block' | 'allow';

/** `CostDetailsBase`. */
export interface CostDetailsBase {
  base: number;
}

/** `TotalCostData`: a limit's spend so far and its requests counted by state. */
export interface LimitTotals {
  cost: { input: CostDetailsBase; output: CostDetailsBase; total: CostDetailsBase & { overrun_base?: number | null } };
  requests: Record<LimitStateName | 'total', number>;
}

/** `Limit`. */
export interface PayiLimit {
  limit_id: string;
  limit_name: string;
  max: number;
  threshold?: number | null;
  limit_type: LimitType;
  limit_creation_timestamp: string;
  limit_update_timestamp: string;
  totals: LimitTotals;
}

/** `LimitResponse`: the answer of create, get and update. */
export interface LimitResponse {
  request_id: string;
  message?: string | null;
  limit: PayiLimit;
}

/** `LimitHistoryResponse`: the answer of `POST /api/v1/limits/{limit_id}/reset`. */
export interface LimitHistoryResponse {
  request_id: string;
  message?: string | null;
  limit_history: {
    limit_id: string | null;
    limit_name: string | null;
    limit_reset_timestamp?: string;
    limit_tags?: string[] | null;
    limit_type?: LimitType;
    max?: number;
    totals: LimitTotals;
  };
}

/** `DefaultResponse`. */
export interface DefaultResponse {
  request_id: string;
  message?: string | null;
}

/** The spec's cursor-paged lists (`PaginatedCursor...List`). */
export interface CursorPage<T> {
  request_id?: string | null;
  cursor?: string | null;
  items?: T[] | null;
}

/** `CreateLimitBase`: a use case definition's `limit_config`. */
export interface LimitConfig {
  max: number;
  threshold?: number | null;
  limit_type?: LimitType;
  properties?: Record<string, string | null> | null;
}

/** `UseCaseDefinitionResponse`. */
export interface UseCaseDefinition {
  request_id: string;
  name: string;
  description: string;
  logging_enabled?: boolean | null;
  limit_config?: LimitConfig | null;
  type_version?: number;
}

/** `KpiType`. */
export type KpiType = 'boolean' | 'number' | 'percentage' | 'likert5' | 'likert7' | 'likert10';

/** Every {@link KpiType}, in the spec's order. */
export const KPI_TYPES: readonly KpiType[] = Object.freeze(['boolean', 'number', 'percentage', 'likert5', 'likert7', 'likert10']);

/** `KpiResponse`: a KPI of a use case definition. */
export interface UseCaseKpi {
  request_id: string;
  name: string;
  description: string;
  kpi_type?: KpiType;
  goal?: number;
  created_timestamp?: string;
  updated_timestamp?: string | null;
}

/** `UseCaseInstanceResponse`. */
export interface UseCaseInstance {
  use_case_id: string;
  use_case_name: string;
  limit_id?: string | null;
  type_version?: number;
}

/** `KpiScoreResponse`: one KPI's score of a use case instance. */
export interface KpiScore {
  kpi_name: string | null;
  kpi_type?: KpiType;
  score?: number;
  create_timestamp?: string;
  update_timestamp?: string | null;
}
