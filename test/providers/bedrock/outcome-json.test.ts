import { converseOutcome } from '../../../providers/bedrock/outcome';
import type { CallState } from '../../../providers/bedrock/types';

// the recorder is not read by converseOutcome; the state is what the middleware saw (here: nothing, so the request is rebuilt from the input)
const state = { kind: 'Converse' } as unknown as CallState;

describe('the logged JSON of a Bedrock call', () => {
  test('binary values (an image in the prompt, one in the answer) are logged as base64; everything else as JSON.stringify gives it', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
    const input = { modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes: png } } }] }] };
    const output = { output: { message: { role: 'assistant', content: [{ text: 'A logo.' }, { image: { format: 'png', source: { bytes: png } } }] } }, usage: { inputTokens: 5, outputTokens: 2 }, $metadata: { httpStatusCode: 200, requestId: 'r-1' } };
    const o = converseOutcome(state, input, output);
    const b64 = Buffer.from(png).toString('base64');
    expect(JSON.parse(o.requestJson!)).toEqual({ messages: [{ role: 'user', content: [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes: b64 } } }] }] });
    expect(JSON.parse(o.responseJson!)).toEqual({ output: { message: { role: 'assistant', content: [{ text: 'A logo.' }, { image: { format: 'png', source: { bytes: b64 } } }] } }, usage: { inputTokens: 5, outputTokens: 2 } });
  });

  test('without binary values the JSON is exactly JSON.stringify of the answer (metadata left out)', () => {
    const output = { output: { message: { role: 'assistant', content: [{ text: 'Hi "there"\n' }] } }, stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 2 }, metrics: { latencyMs: 12 }, $metadata: { httpStatusCode: 200 } };
    const { $metadata: _m, ...rest } = output;
    expect(converseOutcome(state, { modelId: 'm', messages: [] }, output).responseJson).toBe(JSON.stringify(rest));
  });
});
