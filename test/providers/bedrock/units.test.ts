import { anthropicUnits, bedrockFamily, converseUnits, guardrailUnits, invokeBodyInfo } from '../../../providers/bedrock/units';
import { InvokeStreamAccumulator } from '../../../providers/bedrock/stream-state';

const chunk = (body: unknown) => ({ chunk: { bytes: new TextEncoder().encode(JSON.stringify(body)) } });

test('model families are recognised in model ids, inference profiles and ARNs', () => {
  expect(bedrockFamily('anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe('anthropic');
  expect(bedrockFamily('us.anthropic.claude-3-7-sonnet-20250219-v1:0')).toBe('anthropic');
  expect(bedrockFamily('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0')).toBe('nova');
  expect(bedrockFamily('meta.llama3-1-70b-instruct-v1:0')).toBe('llama');
  expect(bedrockFamily('amazon.titan-embed-text-v2:0')).toBe('titan-embed');
  expect(bedrockFamily('openai.gpt-oss-120b-1:0')).toBe('gpt-oss');
  expect(bedrockFamily('cohere.command-r-v1:0')).toBe('other');
});

test('Converse usage: text from input/output tokens, cache counts as cache units only when above zero', () => {
  expect(converseUnits({ inputTokens: 10, outputTokens: 4, totalTokens: 14 })).toEqual({ text: { input: 10, output: 4 } });
  expect(converseUnits({ inputTokens: 10, outputTokens: 4, cacheReadInputTokens: 300, cacheWriteInputTokens: 0 })).toEqual({ text: { input: 10, output: 4 }, text_cache_read: { input: 300 } });
  expect(converseUnits(undefined)).toEqual({});
});

test('Anthropic usage: 5-minute and 1-hour cache writes, and _large_context from 200,000 input tokens', () => {
  expect(anthropicUnits({ input_tokens: 5, output_tokens: 2, cache_read_input_tokens: 7, cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 4 } })).toEqual({
    text: { input: 5, output: 2 },
    text_cache_read: { input: 7 },
    text_cache_write: { input: 3 },
    text_cache_write_1h: { input: 4 },
  });
  expect(anthropicUnits({ input_tokens: 150_000, output_tokens: 9, cache_read_input_tokens: 50_000 })).toEqual({
    text_large_context: { input: 150_000, output: 9 },
    text_cache_read_large_context: { input: 50_000 },
  });
  expect(anthropicUnits({ input_tokens: 199_999, output_tokens: 1 })).toEqual({ text: { input: 199_999, output: 1 } });
});

test.each([
  ['amazon.nova-lite-v1:0', { usage: { inputTokens: 8, outputTokens: 3, cacheReadInputTokenCount: 40, cacheWriteInputTokenCount: 12 } }, { text: { input: 8, output: 3 }, text_cache_read: { input: 40 }, text_cache_write: { input: 12 } }],
  ['meta.llama3-8b-instruct-v1:0', { generation: 'hi', prompt_token_count: 11, generation_token_count: 2 }, { text: { input: 11, output: 2 } }],
  ['amazon.titan-embed-text-v1', { embedding: [0.1], inputTextTokenCount: 13 }, { text: { input: 13 } }],
  ['amazon.titan-text-express-v1', { inputTextTokenCount: 6, results: [{ tokenCount: 4, outputText: 'x' }] }, { text: { input: 6, output: 4 } }],
  ['openai.gpt-oss-20b-1:0', { id: 'chatcmpl-1', usage: { prompt_tokens: 21, completion_tokens: 8 } }, { text: { input: 21, output: 8 } }],
])('InvokeModel body of %s gives its usage without any headers', (modelId, body, expected) => {
  expect(invokeBodyInfo(modelId, body).units).toEqual(expected);
});

test('InvokeModel: a body with no usage falls back to the x-amzn-bedrock token-count headers', () => {
  const headers = { 'x-amzn-bedrock-input-token-count': '12', 'x-amzn-bedrock-output-token-count': '30', 'x-amzn-bedrock-cache-read-input-token-count': '5' };
  expect(invokeBodyInfo('mistral.mistral-large-2402-v1:0', { outputs: [{ text: 'x' }] }, headers).units).toEqual({ text: { input: 12, output: 30 }, text_cache_read: { input: 5 } });
});

test('InvokeModel tool calls: Nova toolUse blocks and gpt-oss tool_calls', () => {
  expect(invokeBodyInfo('amazon.nova-pro-v1:0', { output: { message: { content: [{ toolUse: { toolUseId: 't', name: 'lookup', input: { q: 1 } } }] } } }).functionCalls).toEqual([{ name: 'lookup', arguments: '{"q":1}' }]);
  const gpt = { id: 'chatcmpl-9', choices: [{ message: { tool_calls: [{ type: 'function', function: { name: 'lookup', arguments: '{"q":2}' } }] } }] };
  expect(invokeBodyInfo('openai.gpt-oss-120b-1:0', gpt)).toMatchObject({ responseId: 'chatcmpl-9', functionCalls: [{ name: 'lookup', arguments: '{"q":2}' }] });
});

test('guardrail trace usage becomes guardrail units (Converse and invoke trace shapes)', () => {
  const usage = { topicPolicyUnits: 1, contentPolicyUnits: 2, wordPolicyUnits: 0, sensitiveInformationPolicyFreeUnits: 3 };
  const expected = { guardrail_topic: { input: 1 }, guardrail_content: { input: 2 }, guardrail_sensitive_information_free: { input: 3 } };
  expect(guardrailUnits({ guardrail: { inputAssessment: { g: { invocationMetrics: { usage } } } } })).toEqual(expected);
  expect(guardrailUnits({ guardrail: { input: { g: { invocationMetrics: { usage } } } } })).toEqual(expected);
});

test('invoke stream of Anthropic: message_start usage (with cache) plus message_delta output tokens beat the invocation metrics', () => {
  const acc = new InvokeStreamAccumulator('anthropic.claude-3-haiku-20240307-v1:0');
  acc.add(chunk({ type: 'message_start', message: { id: 'msg_1', usage: { input_tokens: 9, output_tokens: 1, cache_read_input_tokens: 100 } } }));
  acc.add(chunk({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 17 } }));
  acc.add(chunk({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 9, outputTokenCount: 17 } }));
  expect(acc.summary()).toMatchObject({ responseId: 'msg_1', stopReason: 'end_turn', units: { text: { input: 9, output: 17 }, text_cache_read: { input: 100 } } });
});

test('invoke stream of Nova: tool use fragments are joined; metrics give the cache counts', () => {
  const acc = new InvokeStreamAccumulator('amazon.nova-lite-v1:0');
  acc.add(chunk({ contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { name: 'lookup', toolUseId: 't' } } } }));
  acc.add(chunk({ contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"q"' } } } }));
  acc.add(chunk({ contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: ':1}' } } } }));
  acc.add(chunk({ metadata: { usage: { inputTokens: 4, outputTokens: 2 } }, 'amazon-bedrock-invocationMetrics': { inputTokenCount: 4, outputTokenCount: 2, cacheReadInputTokenCount: 50 } }));
  expect(acc.summary()).toMatchObject({ functionCalls: [{ name: 'lookup', arguments: '{"q":1}' }], units: { text: { input: 4, output: 2 }, text_cache_read: { input: 50 } } });
});
