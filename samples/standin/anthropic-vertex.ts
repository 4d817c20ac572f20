import { anthropicRoute } from './anthropic';
import type { StandinRoute } from './server';

/**
 * Anthropic on Vertex AI, for `AnthropicVertex` clients (`@anthropic-ai/vertex-sdk`):
 * `POST /projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict` (JSON)
 * and `:streamRawPredict` (SSE). The client moves the model into the path; the stand-in puts it back
 * and answers exactly like the Anthropic route (same tokens, tools, caching and scenarios).
 * Anthropic on Bedrock (`AnthropicBedrock`) is served by the Bedrock route's `invoke` and
 * `invoke-with-response-stream`, which take the same Anthropic body.
 *
 * @example
 * ```ts
 * const standin = await startStandin([anthropicVertexRoute]);
 * const client = new AnthropicVertex({ region: 'us-east5', projectId: 'p', accessToken: 'test', baseURL: standin.url });
 * ```
 */
export const anthropicVertexRoute: StandinRoute = (req, res, standin) => {
  const m = /^\/(?:v1\/)?projects\/[^/]+\/locations\/[^/]+\/publishers\/anthropic\/models\/([^/:?]+):(rawPredict|streamRawPredict)(\?.*)?$/.exec(req.url);
  if (req.method !== 'POST' || !m) return false;
  const body: Record<string, unknown> = { ...((req.json ?? {}) as Record<string, unknown>), model: decodeURIComponent(m[1]!) };
  delete body.anthropic_version;
  if (m[2] === 'streamRawPredict') body.stream = true;
  return anthropicRoute({ ...req, url: '/v1/messages', json: body }, res, standin);
};
