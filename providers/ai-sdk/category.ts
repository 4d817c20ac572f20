/** The category and resource an AI SDK model call is priced by. */
export interface AiSdkTarget {
  readonly category: string;
  readonly resource: string;
}

/**
 * Maps an AI SDK model's `provider` id (`openai.chat`, `anthropic.messages`,
 * `google.generative-ai`, `amazon-bedrock`, `azure.responses`, ...) and `modelId` to this SDK's
 * category and resource (contract §5, reference-python §4.3):
 * - `openai.*` → `system.openai`; `azure.*` / `azure-openai.*` → `system.azureopenai`;
 * - `anthropic.*` → `system.anthropic`;
 * - `google.*` / `vertex.*` → `system.google.vertex` with resource `google.<model>`
 *   (`anthropic.<model>` for Anthropic models on Vertex);
 * - `amazon-bedrock.*` / `bedrock.*` → `system.aws.bedrock`;
 * - any other provider keeps a recognisable category: `system.<first segment of its id>`
 *   (`mistral.chat` → `system.mistral`).
 *
 * @example
 * ```ts
 * aiSdkTarget('openai.chat', 'gpt-4o'); // { category: 'system.openai', resource: 'gpt-4o' }
 * aiSdkTarget('google.generative-ai', 'gemini-2.5-flash'); // { category: 'system.google.vertex', resource: 'google.gemini-2.5-flash' }
 * ```
 */
export function aiSdkTarget(provider: string | undefined, modelId: string | undefined): AiSdkTarget {
  const id = (provider ?? '').toLowerCase();
  const model = modelId ?? '';
  const head = id.split('.')[0] ?? '';
  if (head === 'openai') return { category: 'system.openai', resource: model };
  if (head === 'azure' || head === 'azure-openai') return { category: 'system.azureopenai', resource: model };
  if (head === 'anthropic') return { category: 'system.anthropic', resource: model };
  if (head === 'amazon-bedrock' || head === 'bedrock') return { category: 'system.aws.bedrock', resource: model };
  if (head === 'google' || head === 'vertex') {
    const anthropicOnVertex = id.includes('anthropic') || model.startsWith('claude');
    const bare = model.replace(/^(models|publishers\/[^/]+\/models)\//, '');
    return { category: 'system.google.vertex', resource: `${anthropicOnVertex ? 'anthropic' : 'google'}.${bare}` };
  }
  return { category: `system.${head || 'unknown_provider'}`, resource: model };
}
