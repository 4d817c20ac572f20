/**
 * track() and trackContext(): what a user of the function wrappers sees (contract §3, §4 last
 * paragraph): fresh use case ids per call, function-valued options evaluated per call, bad
 * function options logged and inherited, the one-time warning for an id without a name.
 */
import { getContext, resetScopeWarnings, track, trackContext } from '../../src/context/scope';
import { PayiConfigError } from '../../src/errors';
import { setLogger } from '../../src/internal/logger';
import { collectingLogger, UUID_V4 } from './support';

let log: ReturnType<typeof collectingLogger>;
beforeEach(() => {
  log = collectingLogger();
  setLogger(log.logger);
  resetScopeWarnings();
});
afterEach(() => {
  setLogger(undefined);
  resetScopeWarnings();
});

describe('use case ids', () => {
  test('a tracked function called twice gets two different use case ids', async () => {
    const reply = track({ useCaseName: 'chatbot' }, async () => getContext().useCaseId);
    const first = await reply();
    const second = await reply();
    expect(first).toMatch(UUID_V4);
    expect(second).toMatch(UUID_V4);
    expect(first).not.toBe(second);
  });

  test('a static scope entered alternately under different parents always merges with the parent of that call', () => {
    const reply = track({ userId: 'inner', limitIds: ['own'] }, () => getContext());
    const under = (limit: string) => trackContext({ useCaseName: 'uc', limitIds: [limit] }, () => reply());
    const [a1, b1, a2] = [under('A'), under('B'), under('A')];
    expect(a1).toMatchObject({ userId: 'inner', limitIds: ['A', 'own'] });
    expect(b1).toMatchObject({ userId: 'inner', limitIds: ['B', 'own'] });
    expect(a2).toMatchObject({ limitIds: ['A', 'own'] });
    // each outer entry is its own use case instance, and the inner scope keeps it
    expect(new Set([a1.useCaseId, b1.useCaseId, a2.useCaseId]).size).toBe(3);
    expect(reply()).toEqual({ userId: 'inner', limitIds: ['own'] });
  });

  test('every call made inside one entry shares that entry’s use case id', () => {
    const ids = trackContext({ useCaseName: 'summarizer' }, () => [getContext().useCaseId, trackContext({}, () => getContext().useCaseId)]);
    expect(ids[0]).toBe(ids[1]);
  });

  test('a use case id without a use case name is ignored, with one warning however often it happens', () => {
    const seen = [1, 2, 3].map(() => trackContext({ useCaseId: 'orphan', useCaseStep: 'step' }, () => getContext()));
    expect(seen).toEqual([{}, {}, {}]);
    const warnings = log.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('useCaseId, useCaseStep');
    expect(warnings[0]).toContain('no useCaseName in scope');
  });
});

describe('function-valued options', () => {
  test('options given as functions read the call’s arguments, this and method name at each call', () => {
    const service = {
      tenant: 'acme',
      answer: track(
        {
          userId: ({ args }) => String(args[0]),
          accountName: ({ self }) => (self as { tenant: string }).tenant,
          requestProperties: ({ method }) => ({ method: method ?? 'none' }),
        },
        function answer(this: { tenant: string }, _userId: string, _prompt: string) {
          return getContext();
        },
      ),
    };
    expect(service.answer('user_1', 'hi')).toMatchObject({ userId: 'user_1', accountName: 'acme', requestProperties: { method: 'answer' } });
    expect(service.answer('user_2', 'hi')).toMatchObject({ userId: 'user_2' });
  });

  test('trackContext passes { args: [] } to function options', () => {
    let received: unknown;
    trackContext({ userId: (call) => ((received = call), 'u') }, () => undefined);
    expect(received).toEqual({ args: [] });
  });

  test('a function option that throws is logged, the field is inherited, and the call still runs', () => {
    const reply = track(
      {
        userId: () => {
          throw new Error('session store down');
        },
        limitIds: ['daily'],
      },
      (prompt: string) => ({ prompt, ctx: getContext() }),
    );
    const out = trackContext({ userId: 'outer-user' }, () => reply('hello'));
    expect(out.prompt).toBe('hello');
    expect(out.ctx).toMatchObject({ userId: 'outer-user', limitIds: ['daily'] });
    expect(log.at('warn').join('\n')).toMatch(/userId function threw; userId is inherited/);
  });

  test('a function option that returns an invalid value is logged with the value and inherits', () => {
    const reply = track({ useCaseName: () => 'has space', userId: () => 42 as unknown as string }, () => getContext());
    const ctx = trackContext({ useCaseName: 'outer', userId: 'u0' }, () => reply());
    expect(ctx).toMatchObject({ useCaseName: 'outer', userId: 'u0' });
    const warnings = log.at('warn').join('\n');
    expect(warnings).toContain('useCaseName "has space" has a space');
    expect(warnings).toContain('userId 42 is a number; expected a string');
  });

  test('a logger that throws while reporting a bad option does not break the call', () => {
    setLogger({
      error: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      warn: () => {
        throw new Error('logger broken');
      },
    });
    const reply = track({ userId: () => { throw new Error('bad'); } }, (x: number) => x * 2);
    expect(reply(21)).toBe(42);
  });
});

describe('static options are checked when the scope is defined', () => {
  test('an invalid use case name throws PayiConfigError naming the wrapper, the value and the rule', () => {
    expect(() => track({ useCaseName: 'my case' }, function reply() {})).toThrow(PayiConfigError);
    expect(() => track({ useCaseName: 'my case' }, function reply() {})).toThrow(
      'track(reply): useCaseName "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _',
    );
    expect(() => trackContext({ useCaseName: 'x'.repeat(65) }, () => 1)).toThrow(/trackContext: useCaseName "x{65}" is 65 characters long/);
  });

  test('an unknown option and wrongly typed options are rejected with what was expected', () => {
    expect(() => trackContext({ usecaseName: 'chat' } as never, () => 1)).toThrow(/unknown option "usecaseName"; expected one of useCaseName/);
    expect(() => trackContext({ limitIds: 'daily' } as never, () => 1)).toThrow(/limitIds "daily" is not an array/);
    expect(() => trackContext({ useCaseVersion: -1 }, () => 1)).toThrow(/useCaseVersion -1 is not a whole number >= 0/);
    expect(() => trackContext({ requestProperties: { a: { nested: 1 } } } as never, () => 1)).toThrow(
      /requestProperties.a is \{"nested":1\}; expected a string, number, boolean or null/,
    );
  });

  test('track and trackContext need a function', () => {
    expect(() => track({}, 'nope' as never)).toThrow(PayiConfigError);
    expect(() => trackContext({}, undefined as never)).toThrow(/trackContext: fn undefined is not a function/);
  });
});

describe('the wrappers stay transparent', () => {
  test('track keeps the function’s name, length and this, and a sync function stays sync', () => {
    function add(this: { base: number }, a: number, b: number): number {
      return this.base + a + b;
    }
    const tracked = track({ userId: 'u' }, add);
    expect(tracked.name).toBe('add');
    expect(tracked.length).toBe(2);
    expect(tracked.call({ base: 1 }, 2, 3)).toBe(6);
  });

  test('trackContext returns what fn returns, a value or the very same promise', async () => {
    expect(trackContext({}, () => 'value')).toBe('value');
    const p = Promise.resolve(5);
    expect(trackContext({}, () => p)).toBe(p);
  });

  test('an error thrown by the wrapped function reaches the caller unchanged', async () => {
    const boom = new RangeError('boom');
    expect(() => trackContext({ userId: 'u' }, () => { throw boom; })).toThrow(boom);
    await expect(track({ userId: 'u' }, async () => { throw boom; })()).rejects.toBe(boom);
  });
});

describe('track() on generator functions', () => {
  test('every step of a tracked generator runs in its scope, and the caller stays outside it', () => {
    const { track: trackFn, getContext: ctx } = require('../../src/context/scope') as typeof import('../../src/context/scope');
    const gen = trackFn({ userId: 'gen-user' }, function* numbers() {
      yield ctx().userId;
      yield ctx().userId;
    });
    const seen: (string | undefined)[] = [];
    for (const v of gen()) {
      seen.push(v);
      seen.push(ctx().userId);
    }
    expect(seen).toEqual(['gen-user', undefined, 'gen-user', undefined]);
  });

  test('every step of a tracked async generator runs in its scope', async () => {
    const { track: trackFn, getContext: ctx } = require('../../src/context/scope') as typeof import('../../src/context/scope');
    const gen = trackFn({ userId: 'agen-user' }, async function* numbers() {
      await new Promise((r) => setTimeout(r, 1));
      yield ctx().userId;
    });
    const seen: (string | undefined)[] = [];
    for await (const v of gen()) seen.push(v);
    expect(seen).toEqual(['agen-user']);
  });
});
