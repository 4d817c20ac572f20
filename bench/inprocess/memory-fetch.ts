/**
 * `fetch` functions that answer from memory, for the in-process benchmark: the provider APIs
 * (OpenAI chat completions, Anthropic messages; JSON or SSE, honouring `stream_options.include_usage`)
 * and the Pay-i bulk ingest sink (answers at once). No socket, no second process: what the
 * benchmark process spends is the client's and the instrumentation's CPU alone.
 */
import { anthropicHeaders, anthropicMessage, anthropicStream, openaiCompletion, openaiHeaders, openaiStream } from './fixtures';

/** Which provider API a benchmarked client calls (Bedrock is answered by `memory-aws.ts`'s request handler, not a `fetch`). */
export type BenchProvider = 'openai' | 'anthropic' | 'bedrock';

function sse(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const c = chunks[i++];
      if (c) controller.enqueue(c);
      else controller.close();
    },
  });
}

/** Does the request body ask for `stream: true` (and for the usage chunk)? Read without parsing: the same cost for every variant. */
function streamFlags(body: unknown): { stream: boolean; usage: boolean } {
  const s = typeof body === 'string' ? body : '';
  return { stream: s.includes('"stream":true'), usage: s.includes('"include_usage":true') };
}

/**
 * A `fetch` answering like the provider's API, from bodies built once.
 *
 * @example
 * ```ts
 * const client = new OpenAI({ apiKey: 'bench', fetch: memoryFetch('openai') });
 * ```
 */
export function memoryFetch(provider: Exclude<BenchProvider, 'bedrock'>): typeof fetch {
  let n = 0;
  const json = provider === 'openai' ? openaiCompletion('chatcmpl-bench') : anthropicMessage('msg_bench');
  const streamed = provider === 'openai' ? openaiStream('chatcmpl-bench', false) : anthropicStream('msg_bench');
  const streamedWithUsage = provider === 'openai' ? openaiStream('chatcmpl-bench', true) : streamed;
  const headersOf = provider === 'openai' ? openaiHeaders : anthropicHeaders;
  return (async (_url: unknown, init?: RequestInit) => {
    const flags = streamFlags(init?.body);
    const headers = headersOf(`req_bench_${++n}`, flags.stream);
    if (!flags.stream) return new Response(json, { status: 200, headers });
    return new Response(sse(flags.usage ? streamedWithUsage : streamed), { status: 200, headers });
  }) as typeof fetch;
}

/** The spec's `BulkIngestResponse`, for a bulk the sink accepted whole (the count is not read back from the body: no parse in this process). */
export const BULK_ACCEPTED = { request_id: 'bulk_bench', ingest_timestamp: '2026-12-01T12:00:00.000Z', ingest_count: 100, error_count: 0, item_error_count: 0, total_count: 100 };
const BULK_ACCEPTED_JSON = JSON.stringify(BULK_ACCEPTED);

/** A `fetch` for the Pay-i client that accepts every bulk ingest at once, and counts the requests. */
export function sinkFetch(): { fetch: typeof fetch; requests: () => number } {
  let requests = 0;
  const f = (async () => {
    requests++;
    return new Response(BULK_ACCEPTED_JSON, { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { fetch: f, requests: () => requests };
}
