import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { Units } from 'payi-instrument';
import { geminiUnits } from 'payi-instrument/internal';
import { anthropicUnits, bedrockUnits, openaiUnits } from './usage';

/** What a metered stream told about the call. */
export interface StreamFacts {
  units: Units;
  id?: string;
  model?: string;
  /** The stream's final event arrived (`[DONE]`, `message_stop`, `response.completed`, Bedrock `metadata`/metrics). */
  completed: boolean;
}

/**
 * Watches a streamed answer as it passes through: `feed` returns what to forward to the client now
 * (everything, except the usage-only chunk the proxy itself asked OpenAI for), `facts` what was seen.
 */
export interface StreamMeter {
  feed(chunk: Uint8Array): Uint8Array;
  end(): Uint8Array;
  facts(): StreamFacts;
}

type Obj = Record<string, any>;

/** An SSE meter: splits events at blank lines, hands each `data:` JSON to `observe`, drops the events it says to drop. */
function sseMeter(observe: (data: Obj, facts: StreamFacts) => 'forward' | 'drop', onDone: (facts: StreamFacts) => void): StreamMeter {
  const facts: StreamFacts = { units: {}, completed: false };
  let tail = '';
  const decoder = new TextDecoder();
  const take = (text: string, final: boolean): Uint8Array => {
    tail += text;
    let out = '';
    for (;;) {
      const m = /\r?\n\r?\n/.exec(tail);
      if (!m) break;
      const event = tail.slice(0, m.index + m[0].length);
      tail = tail.slice(m.index + m[0].length);
      if (decide(event) === 'forward') out += event;
    }
    if (final && tail !== '') {
      out += tail;
      tail = '';
    }
    return Buffer.from(out, 'utf8');
  };
  const decide = (event: string): 'forward' | 'drop' => {
    const data = event
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (data === '') return 'forward';
    if (data === '[DONE]') {
      onDone(facts);
      return 'forward';
    }
    try {
      return observe(JSON.parse(data) as Obj, facts);
    } catch {
      return 'forward';
    }
  };
  return {
    feed: (chunk) => take(decoder.decode(chunk, { stream: true }), false),
    end: () => take(decoder.decode(), true),
    facts: () => facts,
  };
}

/** OpenAI chat completions and Responses API streams. `injected`: the proxy added `include_usage`, so the usage-only chunk is not forwarded. */
export function openaiStreamMeter(injected: boolean): StreamMeter {
  return sseMeter(
    (d, f) => {
      if (typeof d.type === 'string') {
        // Responses API events
        const r = d.response as Obj | undefined;
        if (r?.id) f.id ??= r.id;
        if (r?.model) f.model ??= r.model;
        if (d.type === 'response.completed' || d.type === 'response.incomplete' || d.type === 'response.failed') {
          if (r?.usage) f.units = openaiUnits(r.usage);
          f.completed = d.type === 'response.completed';
        }
        return 'forward';
      }
      if (typeof d.id === 'string') f.id ??= d.id;
      if (typeof d.model === 'string') f.model ??= d.model;
      if (d.usage) {
        f.units = openaiUnits(d.usage);
        if (injected && Array.isArray(d.choices) && d.choices.length === 0) return 'drop';
      }
      return 'forward';
    },
    (f) => {
      f.completed = true;
    },
  );
}

/** Anthropic Messages streams: `message_start` gives the id and input side, `message_delta` the output. */
export function anthropicStreamMeter(): StreamMeter {
  let usage: Obj = {};
  return sseMeter(
    (d, f) => {
      if (d.type === 'message_start' && d.message) {
        f.id ??= d.message.id;
        f.model ??= d.message.model;
        usage = { ...(d.message.usage ?? {}) };
      } else if (d.type === 'message_delta' && d.usage) {
        for (const [k, v] of Object.entries(d.usage as Obj)) if (v !== null && v !== undefined) usage[k] = v;
      } else if (d.type === 'message_stop') f.completed = true;
      f.units = anthropicUnits(usage);
      return 'forward';
    },
    () => undefined,
  );
}

/** Bedrock `application/vnd.amazon.eventstream` answers (ConverseStream, InvokeModelWithResponseStream); bytes pass through untouched. */
export function bedrockStreamMeter(): StreamMeter {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const facts: StreamFacts = { units: {}, completed: false };
  let buf: Buffer = Buffer.alloc(0);
  const observe = (message: Uint8Array): void => {
    const m = codec.decode(message);
    const type = m.headers[':event-type']?.value;
    const body = JSON.parse(Buffer.from(m.body).toString('utf8')) as Obj;
    if (type === 'metadata' && body.usage) {
      facts.units = bedrockUnits(body.usage);
      facts.completed = true;
    } else if (type === 'chunk' && typeof body.bytes === 'string') {
      const inner = JSON.parse(Buffer.from(body.bytes, 'base64').toString('utf8')) as Obj;
      const metrics = inner['amazon-bedrock-invocationMetrics'];
      if (metrics) {
        facts.units = bedrockUnits(metrics);
        facts.completed = true;
      }
    }
  };
  return {
    feed(chunk) {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4) {
        const total = buf.readUInt32BE(0);
        if (total < 16 || buf.length < total) break;
        try {
          observe(buf.subarray(0, total));
        } catch {
          /* a message we cannot read is still forwarded */
        }
        buf = buf.subarray(total);
      }
      return chunk;
    },
    end: () => new Uint8Array(0),
    facts: () => facts,
  };
}

/** Gemini `streamGenerateContent?alt=sse` streams: every chunk carries the usage so far; a candidate's `finishReason` ends it. */
export function geminiStreamMeter(model: string | undefined): StreamMeter {
  return sseMeter(
    (d, f) => {
      if (typeof d.responseId === 'string') f.id ??= d.responseId;
      if (typeof d.modelVersion === 'string') f.model = d.modelVersion;
      if (d.usageMetadata) f.units = geminiUnits(d.usageMetadata, f.model ?? model);
      if (Array.isArray(d.candidates) && d.candidates.some((c: Obj) => typeof c?.finishReason === 'string')) f.completed = true;
      return 'forward';
    },
    () => undefined,
  );
}
