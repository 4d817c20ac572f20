import { anthropicUnits } from '../../../providers/anthropic/units';

describe('anthropicUnits (contract §5)', () => {
  test('input and output tokens are the text unit', () => {
    expect(anthropicUnits({ input_tokens: 12, output_tokens: 30, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 })).toEqual({ text: { input: 12, output: 30 } });
  });

  test('cache reads are text_cache_read; cache_creation splits writes into 5-minute and 1-hour units', () => {
    expect(
      anthropicUnits({
        input_tokens: 5,
        output_tokens: 7,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 300,
        cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 },
      }),
    ).toEqual({ text: { input: 5, output: 7 }, text_cache_read: { input: 1000 }, text_cache_write: { input: 200 }, text_cache_write_1h: { input: 100 } });
  });

  test('without a cache_creation breakdown, cache_creation_input_tokens is text_cache_write', () => {
    expect(anthropicUnits({ input_tokens: 5, output_tokens: 7, cache_creation_input_tokens: 300 })).toEqual({ text: { input: 5, output: 7 }, text_cache_write: { input: 300 } });
    expect(anthropicUnits({ input_tokens: 5, output_tokens: 7, cache_creation_input_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } })).toEqual({
      text: { input: 5, output: 7 },
      text_cache_write: { input: 300 },
    });
  });

  test('_large_context applies from 200,000 total input tokens, cache reads and writes included, on every input unit', () => {
    const below = { input_tokens: 99_999, output_tokens: 10, cache_read_input_tokens: 50_000, cache_creation_input_tokens: 50_000 };
    expect(Object.keys(anthropicUnits(below))).toEqual(['text', 'text_cache_read', 'text_cache_write']);
    expect(
      anthropicUnits({
        ...below,
        input_tokens: 100_000,
        cache_creation: { ephemeral_5m_input_tokens: 20_000, ephemeral_1h_input_tokens: 30_000 },
        server_tool_use: { web_search_requests: 2 },
      }),
    ).toEqual({
      text_large_context: { input: 100_000, output: 10 },
      text_cache_read_large_context: { input: 50_000 },
      text_cache_write_large_context: { input: 20_000 },
      text_cache_write_1h_large_context: { input: 30_000 },
      web_search_request: { output: 2 },
    });
  });

  test('web search requests are web_search_request.output; no usage gives no units', () => {
    expect(anthropicUnits({ input_tokens: 1, output_tokens: 2, server_tool_use: { web_search_requests: 3 } })).toEqual({ text: { input: 1, output: 2 }, web_search_request: { output: 3 } });
    expect(anthropicUnits(undefined)).toEqual({});
    expect(anthropicUnits({ input_tokens: null, output_tokens: 4 })).toEqual({ text: { input: 0, output: 4 } });
  });
});
