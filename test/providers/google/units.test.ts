import { geminiEmbedUnits, geminiResource, geminiUnits } from '../../../providers/google/units';

test('per-modality input minus its cache reads, output per modality, thoughts as reasoning', () => {
  expect(
    geminiUnits(
      {
        promptTokenCount: 1300,
        candidatesTokenCount: 40,
        thoughtsTokenCount: 7,
        promptTokensDetails: [
          { modality: 'TEXT', tokenCount: 1000 },
          { modality: 'IMAGE', tokenCount: 258 },
          { modality: 'AUDIO', tokenCount: 25 },
          { modality: 'VIDEO', tokenCount: 17 },
        ],
        cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 600 }],
        candidatesTokensDetails: [
          { modality: 'TEXT', tokenCount: 30 },
          { modality: 'IMAGE', tokenCount: 10 },
        ],
      },
      'gemini-2.5-flash',
    ),
  ).toEqual({
    text: { input: 400, output: 30 },
    vision: { input: 258 },
    audio: { input: 25 },
    video: { input: 17 },
    text_cache_read: { input: 600 },
    image: { output: 10 },
    reasoning: { output: 7 },
  });
});

test('without modality details: text from the totals, the cached count as text_cache_read', () => {
  expect(geminiUnits({ promptTokenCount: 100, cachedContentTokenCount: 30, candidatesTokenCount: 5 })).toEqual({ text: { input: 70, output: 5 }, text_cache_read: { input: 30 } });
  expect(geminiUnits(undefined)).toEqual({});
});

test('_large_context on every unit for gemini-2.5-pro above 200,000 prompt tokens only', () => {
  const usage = { promptTokenCount: 200_001, candidatesTokenCount: 9, thoughtsTokenCount: 2 };
  expect(geminiUnits(usage, 'gemini-2.5-pro')).toEqual({ text_large_context: { input: 200_001, output: 9 }, reasoning_large_context: { output: 2 } });
  expect(geminiUnits({ ...usage, promptTokenCount: 200_000 }, 'gemini-2.5-pro')).toEqual({ text: { input: 200_000, output: 9 }, reasoning: { output: 2 } });
  expect(geminiUnits(usage, 'gemini-2.5-flash')).toEqual({ text: { input: 200_001, output: 9 }, reasoning: { output: 2 } });
});

test('embeddings: usageMetadata, else the Vertex statistics; resources are google.<model> without prefixes', () => {
  expect(geminiEmbedUnits({ usageMetadata: { promptTokenCount: 7 } })).toEqual({ text: { input: 7, output: 0 } });
  expect(geminiEmbedUnits({ embeddings: [{ statistics: { tokenCount: 3 } }, { statistics: { tokenCount: 4 } }] })).toEqual({ text: { input: 7, output: 0 } });
  expect(geminiEmbedUnits({ embeddings: [{}] })).toEqual({});
  expect(geminiResource('models/gemini-2.5-flash')).toBe('google.gemini-2.5-flash');
  expect(geminiResource('publishers/google/models/gemini-2.0-flash', 'gemini-2.0-flash-001')).toBe('google.gemini-2.0-flash-001');
});
