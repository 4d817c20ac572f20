import { Stream as AnthropicStream } from '@anthropic-ai/sdk/streaming';
import { Stream as OpenAIStream } from 'openai/streaming';
import { Stream as OpenAI7Stream } from 'openai-v7/streaming';
import { sseItems, tapSseBody, type SseItemRule } from '../../providers/shared/sse-tap';

const CHAT: SseItemRule = { yields: () => true, ends: (_e, d) => d.startsWith('[DONE]') };
const ANTHROPIC: SseItemRule = { yields: (e, d) => e !== null && e !== 'ping' && e !== 'error' && d !== '' };

/** A real fetch `Response` whose body arrives in the given pieces (split anywhere, even inside a character). */
function responseOf(pieces: (string | Uint8Array)[]): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of pieces) c.enqueue(typeof p === 'string' ? enc.encode(p) : p);
      c.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

/** Splits `text` into pieces of `size` bytes, cutting through multi-byte characters. */
function bytePieces(text: string, size: number): Uint8Array[] {
  const all = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

// As a provider may write it: spaces the SDK's JSON.parse drops, non-ASCII text, a usage: null
const CHUNKS = ['{"id": "c1", "choices": [{"delta": {"content": "Grüße "}}], "usage": null}', '{"id":"c1","choices":[{"delta":{"content":"東京\\n\\"ok\\""}}],"usage":null}', '{"id":"c1","choices":[],"usage":{"total_tokens":9}}'];

describe('tapSseBody under the real SDK streams', () => {
  test.each([
    ['openai 6', OpenAIStream],
    ['openai 7', OpenAI7Stream],
  ])('%s: the data of every chunk the SDK yields, as sent, however the bytes are cut', async (_name, Stream) => {
    const sse = CHUNKS.map((c) => `data: ${c}\n\n`).join('') + 'data: [DONE]\n\n';
    for (const size of [1, 7, 64, 100_000]) {
      const response = responseOf(bytePieces(sse, size));
      const tap = tapSseBody(response)!;
      const items: unknown[] = [];
      for await (const item of (Stream as typeof OpenAIStream).fromSSEResponse(response, new AbortController())) items.push(item);
      expect(items).toEqual(CHUNKS.map((c) => JSON.parse(c)));
      expect(tap.arrayJson(CHAT, items.length)).toBe(`[${CHUNKS.join(',')}]`);
      expect(JSON.parse(tap.arrayJson(CHAT, items.length)!)).toEqual(items);
    }
  });

  test('anthropic: named events only, pings and comments left out, CRLF line ends', async () => {
    const events = ['{"type":"message_start","message":{"id":"msg_1"}}', '{"type": "content_block_delta", "delta": {"text": "hi"}}', '{"type":"message_stop"}'];
    const names = ['message_start', 'content_block_delta', 'message_stop'];
    const sse = [': comment\r\n\r\n', 'event: ping\r\ndata: {"type": "ping"}\r\n\r\n', ...events.map((d, i) => `event: ${names[i]}\r\ndata: ${d}\r\n\r\n`)].join('');
    const response = responseOf(bytePieces(sse, 5));
    const tap = tapSseBody(response)!;
    const items: unknown[] = [];
    for await (const item of AnthropicStream.fromSSEResponse(response, new AbortController())) items.push(item);
    expect(items).toHaveLength(3);
    expect(tap.arrayJson(ANTHROPIC, items.length)).toBe(`[${events.join(',')}]`);
  });

  test('a count that does not match what the SDK yielded gives undefined (the caller serialises instead)', async () => {
    const response = responseOf(['data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n']);
    const tap = tapSseBody(response)!;
    for await (const _ of OpenAIStream.fromSSEResponse(response, new AbortController())) void _;
    expect(tap.arrayJson(CHAT, 2)).toBe('[{"a":1},{"a":2}]');
    expect(tap.arrayJson(CHAT, 3)).toBeUndefined();
    expect(tap.arrayJson(CHAT, 0)).toBeUndefined();
  });

  test('the tapped body reads exactly as an untapped one (same chunks, same end)', async () => {
    const sse = 'data: {"x":"é"}\n\n';
    const plain = await new Response(responseOf(bytePieces(sse, 3)).body).text();
    const tapped = responseOf(bytePieces(sse, 3));
    tapSseBody(tapped);
    const reader = tapped.body!.getReader();
    const parts: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
    expect(Buffer.concat(parts).toString('utf8')).toBe(plain);
  });

  test('no body, or a body that cannot be changed: nothing tapped, nothing thrown', () => {
    expect(tapSseBody(new Response(null))).toBeUndefined();
    expect(tapSseBody({ body: Object.freeze({ getReader() {} }) })).toBeUndefined();
    expect(tapSseBody(undefined)).toBeUndefined();
    expect(
      tapSseBody({
        get body() {
          throw new Error('boom');
        },
      }),
    ).toBeUndefined();
  });
});

describe('sseItems', () => {
  test('multi-line data, a field without a value, an event not ended by a blank line', () => {
    const text = 'data: {"a":\ndata: 1}\n\nevent: x\ndata\n\ndata: {"cut":';
    expect(sseItems(text, { yields: () => true })).toEqual(['{"a":\n1}', '']);
  });

  test('LF line ends with one CR late in the text: every line still read', () => {
    const text = 'data: 1\n\n'.repeat(2000) + 'data: 2\r\n\r\n';
    const items = sseItems(text, { yields: () => true });
    expect(items).toHaveLength(2001);
    expect(items.at(-1)).toBe('2');
  });

  test('bare CR line ends and a stop event', () => {
    expect(sseItems('data: 1\r\rdata: 2\r\rdata: [DONE]\r\rdata: 3\r\r', CHAT)).toEqual(['1', '2']);
  });
});
