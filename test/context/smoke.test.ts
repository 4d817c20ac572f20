import PQueue from 'p-queue';
import { mergeFrame } from '../../src/context/merge';

test('jest runs TypeScript and the ESM-only p-queue', async () => {
  const q = new PQueue({ concurrency: 1 });
  expect(await q.add(async () => mergeFrame({ limitIds: ['a'] }, { limitIds: ['b', 'a'] }).limitIds)).toEqual(['a', 'b']);
});
