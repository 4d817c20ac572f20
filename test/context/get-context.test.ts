/**
 * getContext() as a user sees it (contract §2, §3): `{}` outside every scope with
 * globalInstrumentation off, the global frame (default use case = entry script name) otherwise,
 * always a frozen plain object.
 */
import * as path from 'node:path';
import pino from 'pino';
import { getContext, track, trackContext } from '../../src/context/scope';
import { payiInstrument, shutdown } from '../../src/instrument';
import { applicationName } from '../../src/options/resolve';
import { UUID_V4 } from './support';

const silent = pino({ level: 'silent' });
afterEach(async () => {
  await shutdown();
});

test('before payiInstrument(), getContext() outside every scope is an empty frozen object', () => {
  const ctx = getContext();
  expect(ctx).toEqual({});
  expect(Object.isFrozen(ctx)).toBe(true);
});

test('with globalInstrumentation off, getContext() is {} outside scopes and the scope’s frame inside', () => {
  payiInstrument({ globalInstrumentation: false, useCaseName: 'ignored_global', logger: silent });
  expect(getContext()).toEqual({});
  const inside = trackContext({ useCaseName: 'uc1', userId: 'u1' }, () => getContext());
  expect(inside).toEqual({ useCaseName: 'uc1', useCaseId: expect.stringMatching(UUID_V4), userId: 'u1' });
  expect(getContext()).toEqual({});
});

test('with global instrumentation, getContext() outside scopes is the global frame named after the entry script', () => {
  payiInstrument({ logger: silent });
  const ctx = getContext();
  // e.g. `node dist/server.js` -> "server"; under jest the entry script is jest's own bin
  const entryStem = path.basename(process.argv[1] ?? '').replace(/\.[^.]+$/, '').toLowerCase();
  expect(ctx.useCaseName).toBe(entryStem);
  expect(ctx.useCaseName).toBe(applicationName());
  expect(ctx.useCaseId).toMatch(UUID_V4);
  expect(ctx.proxy).toBe(false);
  // the global use case instance is the same for the whole process run
  expect(getContext().useCaseId).toBe(ctx.useCaseId);
});

test('the global frame carries the payiInstrument() values and scopes merge with it', () => {
  payiInstrument({ useCaseName: 'app', limitIds: ['G'], userId: 'gu', requestProperties: { env: 'prod' }, logger: silent });
  const global = getContext();
  const sameName = track({ useCaseName: 'app', userId: 'du', limitIds: ['D'] }, () => getContext())();
  expect(sameName).toMatchObject({ useCaseName: 'app', useCaseId: global.useCaseId, userId: 'du', limitIds: ['G', 'D'], requestProperties: { env: 'prod' } });
  const other = track({ useCaseName: 'other' }, () => getContext())();
  expect(other.useCaseId).not.toBe(global.useCaseId);
  expect(other).toMatchObject({ userId: 'gu', limitIds: ['G'] });
});

test('useCaseName: null in payiInstrument() means no global use case', () => {
  payiInstrument({ useCaseName: null, userId: 'gu', logger: silent });
  expect(getContext()).toEqual({ userId: 'gu', proxy: false });
});

test('getContext() returns a frozen object a caller cannot change, inside a scope too', () => {
  payiInstrument({ logger: silent });
  trackContext({ limitIds: ['a'], requestProperties: { k: 'v' } }, () => {
    const ctx = getContext();
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(() => {
      (ctx as { userId?: string }).userId = 'hacker';
    }).toThrow(TypeError);
    expect(() => (ctx.limitIds as string[]).push('b')).toThrow(TypeError);
    expect(() => {
      (ctx.requestProperties as Record<string, string>).k = 'changed';
    }).toThrow(TypeError);
    expect(getContext()).toMatchObject({ limitIds: ['a'], requestProperties: { k: 'v' } });
  });
});

test('after shutdown(), the global frame is gone', async () => {
  payiInstrument({ useCaseName: 'app', logger: silent });
  expect(getContext().useCaseName).toBe('app');
  await shutdown();
  expect(getContext()).toEqual({});
});
