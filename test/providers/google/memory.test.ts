/** A Gemini stream the caller keeps after reading it does not keep its chunks alive (see test/providers/stream-memory.test.ts). */
import { flush } from '../../../src/instrument';
import { aliveAfterGc, readWeakly } from '../../support/weak-items';
import { googleHarness } from './support';

const h = googleHarness();

test('generateContentStream kept by the caller does not keep its chunks once read and recorded', async () => {
  const stream = await h.gemini().models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Tell me a short story' });
  const refs = await readWeakly(stream);
  await flush();
  expect(h.capture.events).toHaveLength(1);
  expect(h.capture.events[0]!.provider_response_json).toContain('candidates');
  expect(refs.length).toBeGreaterThan(1);
  expect(await aliveAfterGc(refs)).toBe(0);
  expect(typeof stream.next).toBe('function'); // the stream itself is still held here
});
