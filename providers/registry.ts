import type { CatalogueEntry } from '../src/recording/types';

/**
 * The provider catalogue: every provider folder, with what the rest of the code derives from it
 * (`InstrumentName`, the `instruments` and `modules` options, `PayiCategories`, the table in
 * docs/providers.md). A new provider is one folder under `providers/` and one entry here. Nothing
 * is loaded when this file is: adapters and units modules are required on first use.
 *
 * @example
 * ```ts
 * for (const entry of PROVIDER_CATALOGUE) console.log(entry.id, entry.supportedVersions);
 * ```
 */
export const PROVIDER_CATALOGUE = [
  {
    id: 'openai',
    packageName: 'openai',
    supportedVersions: '>=5.0.0 <8',
    moduleKey: 'openai',
    instruments: [
      { name: 'openai', category: 'system.openai', categoryKey: 'openai', label: 'OpenAI', client: '`OpenAI`' },
      { name: 'azureopenai', category: 'system.azureopenai', categoryKey: 'azureOpenai', label: 'Azure OpenAI', client: '`AzureOpenAI`' },
    ],
    load: () => require('./openai').adapter,
    units: () => require('./openai/units'),
  },
  {
    id: 'anthropic',
    packageName: '@anthropic-ai/sdk',
    supportedVersions: '>=0.60.0 <2',
    moduleKey: 'anthropic',
    instruments: [
      { name: 'anthropic', category: 'system.anthropic', categoryKey: 'anthropic', label: 'Anthropic', client: '`Anthropic`' },
      { name: 'anthropicbedrock', category: 'system.aws.bedrock', categoryKey: 'awsBedrock', label: 'Anthropic on Bedrock', client: '`AnthropicBedrock` (`@anthropic-ai/bedrock-sdk`)' },
      { name: 'anthropicvertex', category: 'system.google.vertex', categoryKey: 'googleVertex', label: 'Anthropic on Vertex AI', client: '`AnthropicVertex` (`@anthropic-ai/vertex-sdk`)' },
    ],
    load: () => require('./anthropic').adapter,
    units: () => require('./anthropic/units'),
  },
  {
    id: 'bedrock',
    packageName: '@aws-sdk/client-bedrock-runtime',
    supportedVersions: '^3.600.0',
    moduleKey: 'bedrock',
    instruments: [{ name: 'bedrock', category: 'system.aws.bedrock', categoryKey: 'awsBedrock', label: 'AWS Bedrock', client: '`BedrockRuntimeClient`' }],
    load: () => require('./bedrock').adapter,
    units: () => require('./bedrock/units'),
  },
  {
    id: 'google',
    packageName: '@google/genai',
    supportedVersions: '>=1.0.0 <4',
    moduleKey: 'google',
    instruments: [{ name: 'google', category: 'system.google.vertex', categoryKey: 'googleVertex', label: 'Google Gemini (Gemini API and Vertex AI)', client: '`GoogleGenAI`' }],
    load: () => require('./google').adapter,
    units: () => require('./google/units'),
  },
  {
    // the Vercel AI SDK's own telemetry extension point; its events carry the model's provider category
    id: 'ai-sdk',
    packageName: 'ai',
    supportedVersions: '>=7.0.0 <8',
    moduleKey: 'ai',
    instruments: [{ name: 'aisdk', category: 'system.openai', categoryKey: 'openai', label: 'Vercel AI SDK', client: '`generateText`, `streamText`, `generateObject`, `streamObject`, `embed`, `embedMany` (events carry the model provider\'s category, see docs/frameworks.md)' }],
    load: () => require('./ai-sdk').adapter,
    units: () => require('./ai-sdk/units'),
  },
] as const satisfies readonly CatalogueEntry[];

/** One entry of {@link PROVIDER_CATALOGUE}. */
export type ProviderCatalogueEntry = (typeof PROVIDER_CATALOGUE)[number];

/**
 * The catalogue entry of the provider folder `id` (adapters read their package name from it).
 *
 * @example
 * ```ts
 * instrumentModuleCopies(catalogueEntry('openai').packageName, { given: hub.settings.modules.openai }, patchCopy);
 * ```
 */
export function catalogueEntry<Id extends ProviderCatalogueEntry['id']>(id: Id): Extract<ProviderCatalogueEntry, { id: Id }> {
  return PROVIDER_CATALOGUE.find((e) => e.id === id) as Extract<ProviderCatalogueEntry, { id: Id }>;
}

/**
 * The providers table of docs/providers.md, rendered from the catalogue (a test keeps the doc equal
 * to it): one row per instrumented client.
 *
 * @example
 * ```ts
 * console.log(catalogueTable());
 * ```
 */
export function catalogueTable(): string {
  const rows = ['| provider | `instruments` name | client | package | versions | category |', '|---|---|---|---|---|---|'];
  for (const e of PROVIDER_CATALOGUE) {
    for (const i of e.instruments) rows.push(`| ${i.label} | \`${i.name}\` | ${i.client} | \`${e.packageName}\` | \`${e.supportedVersions}\` | \`${i.category}\` |`);
  }
  return rows.join('\n');
}
