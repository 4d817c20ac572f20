import type { ServerResponse } from 'node:http';
import { scenario, sendJson, type Standin, type StandinRequest, type StandinRoute } from './server';

/**
 * The Google Gemini part of the stand-in, for `@google/genai` clients of the Gemini Developer API
 * (`/v1beta/models/{model}:…`) and of Vertex AI (`/v1beta1/…/publishers/google/models/{model}:…`):
 * `generateContent` (JSON), `streamGenerateContent?alt=sse` (SSE, one `data:` line per chunk),
 * `batchEmbedContents` and `embedContent`.
 *
 * Deterministic behaviour, so tests can reason about it:
 * - Tokens: a text part counts `ceil(characters / 4)` tokens (modality `TEXT`), an `inlineData` part
 *   with an `image/*` MIME type 258 tokens (`IMAGE`), `audio/*` 25 (`AUDIO`), `video/*` 285 (`VIDEO`);
 *   see {@link geminiTokens}. `usageMetadata` carries the per-modality `promptTokensDetails`.
 * - The reply is `Stand-in reply: <the last user text, first 12 words>`, 3 text parts when streamed.
 * - `cachedContent` in the request: half of each modality's prompt tokens (rounded down) are read
 *   from the cache (`cachedContentTokenCount`, `cacheTokensDetails`).
 * - `config.thinkingConfig.includeThoughts` or a `thinkingBudget` > 0: a `thought: true` part comes
 *   first and `thoughtsTokenCount` is 16.
 * - `tools[].functionDeclarations`: the answer is a `functionCall` part for the first declaration,
 *   with a value per schema property (strings: the question; numbers: 42).
 * - Scenarios (`x-standin-scenario`): `error-400`, `error-429`, `error-500` (Google's error body),
 *   `drop-stream` (the connection is cut after the first chunk), `slow` (20 ms between chunks).
 *
 * @example
 * ```ts
 * const standin = await startStandin([geminiRoute]);
 * const ai = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: standin.url } });
 * ```
 */
export const geminiRoute: StandinRoute = async (req, res, standin) => {
  const m = /\/models\/([^/:?]+):(generateContent|streamGenerateContent|batchEmbedContents|embedContent)(\?|$)/.exec(req.url);
  if (req.method !== 'POST' || !m) return false;
  const [, model, method] = m as unknown as [string, string, string];
  const forced = /^error-(\d{3})$/.exec(scenario(req) ?? '');
  if (forced) {
    const code = Number(forced[1]);
    sendJson(res, code, { error: { code, message: `stand-in: forced error-${code}`, status: STATUS[code] ?? 'UNKNOWN' } });
    return true;
  }
  const body = (req.json ?? {}) as GeminiBody;
  if (method === 'batchEmbedContents' || method === 'embedContent') {
    sendJson(res, 200, embedAnswer(body, method));
    return true;
  }
  const answer = buildAnswer(body, model, standin);
  if (method === 'generateContent') {
    sendJson(res, 200, answer.full);
    return true;
  }
  await writeStream(res, answer, req);
  return true;
};

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL' };

interface Part {
  text?: string;
  thought?: boolean;
  inlineData?: { mimeType?: string; data?: string };
  functionCall?: { name: string; args: Record<string, unknown> };
  functionResponse?: unknown;
}
interface Content {
  role?: string;
  parts?: Part[];
}
interface GeminiBody {
  contents?: Content[];
  systemInstruction?: Content;
  cachedContent?: string;
  tools?: { functionDeclarations?: { name: string; parameters?: { properties?: Record<string, { type?: string }> } }[] }[];
  generationConfig?: { thinkingConfig?: { includeThoughts?: boolean; thinkingBudget?: number } };
  requests?: { content?: Content }[];
  content?: Content;
}

type Modality = 'TEXT' | 'IMAGE' | 'AUDIO' | 'VIDEO';

/** The stand-in's token count of one part, and its modality. */
export function geminiTokens(part: Part): { modality: Modality; tokens: number } {
  const mime = part.inlineData?.mimeType ?? '';
  if (mime.startsWith('image/')) return { modality: 'IMAGE', tokens: 258 };
  if (mime.startsWith('audio/')) return { modality: 'AUDIO', tokens: 25 };
  if (mime.startsWith('video/')) return { modality: 'VIDEO', tokens: 285 };
  const text = part.text ?? (part.functionCall || part.functionResponse ? JSON.stringify(part.functionCall ?? part.functionResponse) : '');
  return { modality: 'TEXT', tokens: Math.ceil(text.length / 4) };
}

function countModalities(contents: Content[]): Map<Modality, number> {
  const out = new Map<Modality, number>();
  for (const c of contents) for (const p of c.parts ?? []) {
    const { modality, tokens } = geminiTokens(p);
    out.set(modality, (out.get(modality) ?? 0) + tokens);
  }
  return out;
}

const details = (m: Map<Modality, number>): { modality: Modality; tokenCount: number }[] => [...m.entries()].filter(([, n]) => n > 0).map(([modality, tokenCount]) => ({ modality, tokenCount }));
const sum = (m: Map<Modality, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

function lastUserText(contents: Content[]): string {
  for (let i = contents.length - 1; i >= 0; i--) {
    const text = (contents[i]!.parts ?? []).map((p) => p.text ?? '').join(' ').trim();
    if (contents[i]!.role !== 'model' && text) return text;
  }
  return '';
}

interface Answer {
  full: Record<string, unknown>;
  chunks: Record<string, unknown>[];
}

function buildAnswer(body: GeminiBody, model: string, standin: Standin): Answer {
  const contents = [...(body.systemInstruction ? [body.systemInstruction] : []), ...(body.contents ?? [])];
  const prompt = countModalities(contents);
  const question = lastUserText(body.contents ?? []);
  const reply = `Stand-in reply: ${question.split(/\s+/).slice(0, 12).join(' ')}`;
  const thinking = body.generationConfig?.thinkingConfig?.includeThoughts === true || (body.generationConfig?.thinkingConfig?.thinkingBudget ?? 0) > 0;
  const decl = body.tools?.flatMap((t) => t.functionDeclarations ?? [])[0];
  const answered = (body.contents ?? []).some((c) => (c.parts ?? []).some((p) => p.functionResponse));
  const parts: Part[] = [];
  if (thinking) parts.push({ text: 'Thinking about it.', thought: true });
  if (decl && !answered) {
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(decl.parameters?.properties ?? {})) args[k] = v.type === 'number' || v.type === 'integer' || v.type === 'NUMBER' || v.type === 'INTEGER' ? 42 : question;
    parts.push({ functionCall: { name: decl.name, args } });
  } else {
    parts.push({ text: reply });
  }
  const output = parts.filter((p) => !p.thought).reduce((n, p) => n + geminiTokens(p).tokens, 0);
  const cached = new Map<Modality, number>();
  if (body.cachedContent) for (const [k, v] of prompt) cached.set(k, Math.floor(v / 2));
  const usage: Record<string, unknown> = {
    promptTokenCount: sum(prompt),
    candidatesTokenCount: output,
    totalTokenCount: sum(prompt) + output + (thinking ? 16 : 0),
    promptTokensDetails: details(prompt),
    candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: output }],
  };
  if (body.cachedContent) {
    usage.cachedContentTokenCount = sum(cached);
    usage.cacheTokensDetails = details(cached);
  }
  if (thinking) usage.thoughtsTokenCount = 16;
  const responseId = standin.nextId('gm_standin_');
  const full = { candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, modelVersion: model, responseId };

  // streamed: the reply in 3 pieces; every chunk carries the usage so far, the last one the totals
  const chunks: Record<string, unknown>[] = [];
  const pieces: Part[][] = [];
  if (parts[0]?.thought) pieces.push([parts[0]]);
  const last = parts[parts.length - 1]!;
  if (last.text !== undefined && !last.thought) {
    const words = last.text.split(' ');
    const third = Math.ceil(words.length / 3);
    for (let i = 0; i < words.length; i += third) pieces.push([{ text: words.slice(i, i + third).join(' ') + (i + third < words.length ? ' ' : '') }]);
  } else {
    pieces.push([last]);
  }
  pieces.forEach((p, i) => {
    const isLast = i === pieces.length - 1;
    const so: Record<string, unknown> = { ...usage, candidatesTokenCount: isLast ? output : 0, totalTokenCount: sum(prompt) + (isLast ? output + (thinking ? 16 : 0) : 0) };
    if (!isLast) {
      delete so.candidatesTokensDetails;
      delete so.thoughtsTokenCount;
    }
    const cand: Record<string, unknown> = { content: { role: 'model', parts: p }, index: 0 };
    if (isLast) cand.finishReason = 'STOP';
    chunks.push({ candidates: [cand], usageMetadata: so, modelVersion: model, responseId });
  });
  return { full, chunks };
}

function embedAnswer(body: GeminiBody, method: string): Record<string, unknown> {
  const contents = method === 'batchEmbedContents' ? (body.requests ?? []).map((r) => r.content ?? {}) : [body.content ?? {}];
  const embeddings = contents.map((c) => ({ values: [0.1, 0.2, 0.3, (countModalities([c]).get('TEXT') ?? 0) / 100] }));
  const tokens = sum(countModalities(contents));
  return method === 'batchEmbedContents' ? { embeddings, usageMetadata: { promptTokenCount: tokens } } : { embedding: embeddings[0], usageMetadata: { promptTokenCount: tokens } };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function writeStream(res: ServerResponse, answer: Answer, req: StandinRequest): Promise<void> {
  const s = scenario(req) ?? '';
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-goog-request-id': `greq_${answer.full.responseId as string}` });
  for (const [i, chunk] of answer.chunks.entries()) {
    if (s === 'slow' && i > 0) await sleep(20);
    res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    if (s === 'drop-stream') {
      await sleep(10);
      res.socket?.destroy();
      return;
    }
  }
  res.end();
}
