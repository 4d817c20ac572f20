/**
 * The one place in `src/` that reads the provider catalogue (`providers/registry.ts`); everything
 * else in `src/` takes the provider names, categories and module keys from here.
 */
import { PROVIDER_CATALOGUE } from '../../providers/registry';
import type { CatalogueEntry } from './types';

export { PROVIDER_CATALOGUE };

type Instrument = (typeof PROVIDER_CATALOGUE)[number]['instruments'][number];

/** A short provider name accepted by `instruments` (`'openai'`, `'azureopenai'`, ...). */
export type ProviderInstrumentName = Instrument['name'];
/** A category a provider's events carry (`'system.openai'`, ...). */
export type ProviderCategory = Instrument['category'];
/** A key of the `modules` option (`'openai'`, `'anthropic'`, ...). */
export type ProviderModuleKey = (typeof PROVIDER_CATALOGUE)[number]['moduleKey'];
/** The shape of `PayiCategories`: each category key with its category. */
export type ProviderCategoryMap = { readonly [I in Instrument as I['categoryKey']]: I['category'] };

const entries: readonly CatalogueEntry[] = PROVIDER_CATALOGUE;
const instruments = entries.flatMap((e) => e.instruments);

/** Every short provider name, in catalogue order. */
export const PROVIDER_INSTRUMENT_NAMES: readonly ProviderInstrumentName[] = instruments.map((i) => i.name as ProviderInstrumentName);

/** Every category key and its category, in catalogue order (the values of `PayiCategories`). */
export const PROVIDER_CATEGORIES: ProviderCategoryMap = Object.freeze(Object.fromEntries(instruments.map((i) => [i.categoryKey, i.category]))) as ProviderCategoryMap;

/** Every `modules` key, in catalogue order. */
export const PROVIDER_MODULE_KEYS: readonly ProviderModuleKey[] = [...new Set(entries.map((e) => e.moduleKey as ProviderModuleKey))];

/**
 * What an `instruments` value selects: a short name selects itself, a category every client whose
 * events carry it (`'system.aws.bedrock'`: Bedrock and Anthropic on Bedrock).
 */
export function instrumentsFor(value: string): ProviderInstrumentName[] {
  return instruments.filter((i) => i.name === value || i.category === value).map((i) => i.name as ProviderInstrumentName);
}
