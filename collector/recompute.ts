import type { Units } from 'payi-instrument';
import { costOf } from './pricing/cost';
import type { CollectorStore } from './store';

/** What {@link recomputeCosts} changed. */
export interface RecomputeSummary {
  events: number;
  changed: number;
  total_cost_before: number;
  total_cost_after: number;
}

/**
 * Prices every stored event again with the store's current price table (after editing
 * `collector/prices/*.json`, or to price models that were unknown), then recounts every limit's
 * spend. Runs in one transaction. Also `POST /api/v1/admin/recompute` and `payi collector --recompute`.
 *
 * @example
 * ```ts
 * const { changed } = recomputeCosts(store);
 * ```
 */
export function recomputeCosts(store: CollectorStore): RecomputeSummary {
  const update = store.db.prepare(
    'UPDATE events SET cost_input = ?, cost_output = ?, cost_total = ?, price_version = ?, unknown_units_json = ? WHERE id = ?',
  );
  return store.db.transaction(() => {
    const summary: RecomputeSummary = { events: 0, changed: 0, total_cost_before: 0, total_cost_after: 0 };
    const rows = [...store.events.pricingInputs()];
    for (const r of rows) {
      const c = costOf(store.prices, r.category, r.resource, JSON.parse(r.units_json) as Units, r.event_timestamp);
      summary.events++;
      summary.total_cost_before += r.cost_total;
      summary.total_cost_after += c.total;
      if (c.total !== r.cost_total) summary.changed++;
      const unknown = Object.keys(c.unknownUnits).length > 0 ? JSON.stringify(c.unknownUnits) : null;
      update.run(c.input, c.output, c.total, c.priceVersion ?? null, unknown, r.id);
    }
    store.limits.recomputeSpend();
    summary.total_cost_before = Math.round(summary.total_cost_before * 1e12) / 1e12;
    summary.total_cost_after = Math.round(summary.total_cost_after * 1e12) / 1e12;
    return summary;
  })();
}
