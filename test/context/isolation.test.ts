/**
 * Isolation (contract §3): 2,000 concurrent request flows, each with its own user, use case and
 * limits, interleaving awaits, timers, setImmediate, nextTick and EventEmitter callbacks, nested
 * scopes and function options: every flow sees only its own frame, at every step.
 */
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { getContext, track, trackContext } from '../../src/context/scope';
import { payiInstrument, shutdown } from '../../src/instrument';
import type { PayiContext } from '../../src/context/types';

const FLOWS = 2000;

/** A small deterministic PRNG, so the interleaving is varied but the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

afterEach(async () => {
  await shutdown();
});

test(`${FLOWS} concurrent flows each see only their own user, use case and limits at every step`, async () => {
  payiInstrument({ useCaseName: 'app', limitIds: ['G'], logger: pino({ level: 'silent' }) });
  const rand = prng(42);
  const mismatches: string[] = [];
  let checks = 0;

  // A nested tracked step, shared by every flow, reading the flow's request from its arguments.
  const step = track({ requestTags: ({ args }) => [`step-${String(args[0])}`] }, async (_i: number) => {
    await new Promise((r) => setTimeout(r, Math.floor(rand() * 3)));
    return getContext();
  });

  const flow = (i: number) =>
    trackContext({ userId: `user-${i}`, useCaseName: `uc_${i % 37}`, limitIds: [`L${i}`], requestProperties: { flow: i } }, async () => {
      const expectedBase = { userId: `user-${i}`, useCaseName: `uc_${i % 37}`, limitIds: ['G', `L${i}`] };
      const useCaseId = getContext().useCaseId;
      const check = (where: string, ctx: PayiContext = getContext()): void => {
        checks++;
        const ok =
          ctx.userId === expectedBase.userId &&
          ctx.useCaseName === expectedBase.useCaseName &&
          ctx.useCaseId === useCaseId &&
          JSON.stringify(ctx.limitIds) === JSON.stringify(expectedBase.limitIds) &&
          ctx.requestProperties?.flow === i;
        if (!ok) mismatches.push(`flow ${i} at ${where}: ${JSON.stringify(ctx)}`);
      };

      check('start');
      await Promise.resolve();
      check('after await');
      await new Promise((r) => setTimeout(r, Math.floor(rand() * 4)));
      check('after setTimeout');
      await new Promise((r) => setImmediate(r));
      check('after setImmediate');
      await new Promise((r) => process.nextTick(r));
      check('after nextTick');

      const emitter = new EventEmitter();
      const heard = new Promise<void>((resolve) =>
        emitter.on('data', () => {
          check('in an EventEmitter listener');
          resolve();
        }),
      );
      setTimeout(() => emitter.emit('data'), Math.floor(rand() * 3));
      await heard;

      const inner = await step(i);
      checks++;
      if (inner.userId !== `user-${i}` || inner.useCaseId !== useCaseId || JSON.stringify(inner.requestTags) !== JSON.stringify([`step-${i}`])) {
        mismatches.push(`flow ${i} in the nested step: ${JSON.stringify(inner)}`);
      }
      check('after the nested step');
      return useCaseId;
    });

  const ids = await Promise.all(Array.from({ length: FLOWS }, (_, i) => flow(i)));

  expect(mismatches.slice(0, 5)).toEqual([]);
  expect(checks).toBe(FLOWS * 8);
  // every flow was its own use case instance
  expect(new Set(ids).size).toBe(FLOWS);
  // and nothing leaked out to the code that started them
  expect(getContext()).toMatchObject({ useCaseName: 'app', limitIds: ['G'] });
  expect(getContext().userId).toBeUndefined();
});
