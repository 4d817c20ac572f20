import type { LimitStateName, XproxyResult } from '../events/types';

/**
 * The latest state of each limit id: from `xproxy_result.limits` of single ingests (inline mode),
 * and from `GET /api/v1/limits/{limit_id}` in batched mode (`LimitRefresher`). Delivery
 * writes it; adapters read it (for `enforceLimits`).
 */
export class LimitStateStore {
  private readonly states = new Map<string, LimitStateName>();

  /** Records the limit states of one ingest answer. */
  record(result: XproxyResult | undefined | null): void {
    const limits = result?.limits;
    if (!limits || typeof limits !== 'object') return;
    for (const [id, info] of Object.entries(limits)) {
      const state = info && typeof info === 'object' ? (info as { state?: unknown }).state : undefined;
      if (typeof state === 'string') this.states.set(id, state as LimitStateName);
    }
  }

  /** Records one limit's state (e.g. derived from its `Limit` record). */
  set(limitId: string, state: LimitStateName): void {
    this.states.set(limitId, state);
  }

  /** The latest state of a limit, if the service reported one. */
  get(limitId: string): LimitStateName | undefined {
    return this.states.get(limitId);
  }

  /** The ids among `limitIds` whose latest state is `blocked`. */
  blocked(limitIds: readonly string[] | undefined): string[] {
    if (!limitIds || this.states.size === 0) return [];
    return limitIds.filter((id) => this.states.get(id) === 'blocked');
  }

  /** Forgets every state. */
  clear(): void {
    this.states.clear();
  }
}
