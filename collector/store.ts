import type Database from 'better-sqlite3';
import { EventsRepo } from './db/events';
import { LimitsRepo } from './db/limits';
import { UseCasesRepo } from './db/use-cases';
import type { Pricing } from './pricing/cost';

/**
 * Everything the collector's routes use: the database, its repositories and the price table.
 *
 * @example
 * ```ts
 * const store = createStore(openDatabase(':memory:'), Pricing.load());
 * store.limits.list();
 * ```
 */
export interface CollectorStore {
  readonly db: Database.Database;
  readonly events: EventsRepo;
  readonly useCases: UseCasesRepo;
  readonly limits: LimitsRepo;
  readonly prices: Pricing;
}

/** Builds the {@link CollectorStore} of a database. */
export function createStore(db: Database.Database, prices: Pricing): CollectorStore {
  return { db, events: new EventsRepo(db), useCases: new UseCasesRepo(db), limits: new LimitsRepo(db), prices };
}
