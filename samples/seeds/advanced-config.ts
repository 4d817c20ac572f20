/**
 * Twin of "Advanced Configuration": your own Payi client, only some providers instrumented, prompts
 * kept out of the events, and a custom logger that puts the Pay-i request id and the prompt on the
 * current OpenTelemetry span (for regulated stores: correlate by request id).
 */
import { INVALID_SPAN_CONTEXT, trace, type Span } from '@opentelemetry/api';
import { Payi, PayiCategories, Track, payiInstrument, shutdown } from 'payi-instrument';
import { runIfMain, sampleAnthropic, sampleOpenAI } from './env';

/** Custom logger: correlates the Pay-i request id with the current span. */
export function customLogger(requestId: string, logData: Record<string, string>): void {
  const currentSpan: Span = trace.getActiveSpan() ?? trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  currentSpan.setAttribute('payi.request_id', requestId);
  for (const [key, value] of Object.entries(logData)) currentSpan.setAttribute(`payi.${key}`, value);
}

class Sensitive {
  @Track({ useCaseName: 'hipaa_notes' })
  static async summarizeNotes(notes: string): Promise<string> {
    const r = await sampleOpenAI().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: notes }] });
    const m = await sampleAnthropic().messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: notes }] });
    return `${r.choices[0]?.message?.content ?? ''} / ${m.id}`;
  }
}

/** Initializes with the advanced options and makes one OpenAI and one Anthropic call. */
export async function main(logger: (requestId: string, data: Record<string, string>) => void = customLogger): Promise<string> {
  const payiKey = process.env.PAYI_API_KEY ?? 'YOUR_PAYI_API_KEY';
  payiInstrument({
    payi: new Payi({ apiKey: payiKey }),
    instruments: [PayiCategories.openai, PayiCategories.anthropic], // only these providers (default: all)
    logPromptAndResponse: false, // prompts and responses stay out of the events...
    promptAndResponseLogger: logger, // ...and go to your own store instead
  });
  try {
    return await Sensitive.summarizeNotes('Patient reports mild headache.');
  } finally {
    await shutdown();
  }
}

runIfMain(module, () => main());
