import { anthropicUnits } from '../../providers/anthropic/units';
import { invokeBodyInfo } from '../../providers/bedrock/units';
import { chatUnits } from '../../providers/openai/units';
import { anthropicUnits as proxyAnthropicUnits, bedrockUnits, bounded, openaiUnits } from '../../collector/proxy/usage';

// Usages on which the three copies of the Anthropic rules used to disagree: Bedrock's copy ignored
// cache_creation_input_tokens when a cache_creation object with zero counts came with it, and
// dropped web_search_request; the collector's copy rounded counts the others kept.
const USAGES = [
  { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
  { input_tokens: 10, output_tokens: 5, server_tool_use: { web_search_requests: 2 } },
  { input_tokens: 150_000, output_tokens: 9, cache_read_input_tokens: 20_000, cache_creation_input_tokens: 40_000, cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 0 } },
];

describe('one units module per provider family', () => {
  test.each(USAGES)('Claude usage gives the same units on Anthropic, on Bedrock InvokeModel and through the collector proxy (%#)', (usage) => {
    const direct = anthropicUnits(usage);
    expect(invokeBodyInfo('us.anthropic.claude-sonnet-4-20250514-v1:0', { id: 'msg_1', usage }).units).toEqual(direct);
    expect(proxyAnthropicUnits(usage)).toEqual(direct);
  });

  test('the first usage is a cache write of 300 and the second has two web searches (what Bedrock used to lose)', () => {
    expect(invokeBodyInfo('anthropic.claude-3-5-haiku-20241022-v1:0', { usage: USAGES[0] }).units).toEqual({ text: { input: 10, output: 5 }, text_cache_write: { input: 300 } });
    expect(invokeBodyInfo('anthropic.claude-3-5-haiku-20241022-v1:0', { usage: USAGES[1] }).units).toEqual({ text: { input: 10, output: 5 }, web_search_request: { output: 2 } });
  });

  test('OpenAI and Bedrock proxy metering use the providers\' functions; counts are bounded to the spec\'s IngestUnits', () => {
    const usage = { prompt_tokens: 100, completion_tokens: 40, prompt_tokens_details: { cached_tokens: 30 }, completion_tokens_details: { reasoning_tokens: 10 } };
    expect(openaiUnits(usage)).toEqual(chatUnits(usage));
    expect(bedrockUnits({ inputTokens: 7, outputTokens: 3, cacheReadInputTokens: 2 })).toEqual({ text: { input: 7, output: 3 }, text_cache_read: { input: 2 } });
    expect(bedrockUnits({ inputTokenCount: 7, outputTokenCount: 3 })).toEqual({ text: { input: 7, output: 3 } });
    expect(bounded({ text: { input: 12.6, output: -1 }, vision: { input: 3e12 } })).toEqual({ text: { input: 13, output: 0 }, vision: { input: 2_147_483_647 } });
  });
});
