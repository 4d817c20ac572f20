import { Track } from '../../decorators';
import { getContext, trackContext } from '../../src/context/scope';
import { setLogger } from '../../src/internal/logger';
import { collectingLogger, UUID_V4 } from './helpers';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class Chat {
  constructor(readonly tenant: string) {}

  @Track({ useCaseName: 'chatbot', limitIds: ['daily'] })
  context(): object {
    return getContext();
  }

  @Track({ useCaseName: 'chatbot' })
  echo<T>(value: T): T {
    return value;
  }

  @Track({ useCaseName: 'chatbot', userId: 'u1' })
  async later(): Promise<object> {
    await tick();
    return getContext();
  }

  @Track({ userId: ({ args }) => String(args[0]), requestTags: ({ self }) => [(self as Chat).tenant] })
  forUser(_userId: string): object {
    return getContext();
  }

  @Track({ useCaseName: 'chatbot' })
  fail(error: Error): never {
    throw error;
  }

  @Track({ useCaseName: 'chatbot' })
  async failLater(error: Error): Promise<never> {
    await tick();
    throw error;
  }

  @Track({ useCaseName: 'counter', useCaseStep: 'count' })
  *count(n: number): Generator<object, string, number | undefined> {
    for (let i = 0; i < n; i++) {
      const sent = yield { i, ...getContext() };
      if (sent !== undefined) i += sent;
    }
    return `done in ${String(getContext().useCaseName)}`;
  }

  @Track({ useCaseName: 'streamer' })
  async *stream(n: number): AsyncGenerator<object, void, undefined> {
    for (let i = 0; i < n; i++) {
      await tick();
      yield getContext();
    }
  }

  @Track({ useCaseName: 'cleanup' })
  *withCleanup(log: object[]): Generator<number> {
    try {
      yield 1;
      yield 2;
    } catch (err) {
      log.push({ caught: (err as Error).message, ...getContext() });
      yield 3;
    } finally {
      log.push({ finally: true, ...getContext() });
    }
  }

  @Track({ useCaseName: 'statics', requestTags: ['static'] })
  static create(tenant: string): { chat: Chat; ctx: object } {
    return { chat: new Chat(tenant), ctx: getContext() };
  }

  @Track({ useCaseName: 'statics' })
  static async createLater(): Promise<object> {
    await tick();
    return getContext();
  }
}

describe('@Track on a method', () => {
  afterEach(() => setLogger(undefined));

  it('runs every call in a scope: the method sees its frame, and nothing leaks outside', () => {
    const ctx = new Chat('acme').context();
    expect(ctx).toEqual({ useCaseName: 'chatbot', useCaseId: expect.stringMatching(UUID_V4), limitIds: ['daily'] });
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(getContext()).toEqual({});
  });

  it('keeps a sync method sync: it returns exactly what the method returned, not a promise', () => {
    const value = { answer: 42 };
    const result = new Chat('acme').echo(value);
    expect(result).toBe(value);
    expect(result).not.toBeInstanceOf(Promise);
  });

  it('returns the async method\'s promise, and the frame follows its awaits', async () => {
    const chat = new Chat('acme');
    const pending = chat.later();
    expect(pending).toBeInstanceOf(Promise);
    expect(getContext()).toEqual({});
    await expect(pending).resolves.toEqual({ useCaseName: 'chatbot', useCaseId: expect.stringMatching(UUID_V4), userId: 'u1' });
  });

  it('keeps `this`, and function-valued options read the arguments and `self` at each call', () => {
    expect(new Chat('acme').forUser('alice')).toEqual({ userId: 'alice', requestTags: ['acme'] });
    expect(new Chat('globex').forUser('bob')).toEqual({ userId: 'bob', requestTags: ['globex'] });
  });

  it('gives the same decorated method two use case ids when called twice', () => {
    const chat = new Chat('acme');
    const first = chat.context() as { useCaseId: string };
    const second = chat.context() as { useCaseId: string };
    expect(first.useCaseId).toMatch(UUID_V4);
    expect(second.useCaseId).toMatch(UUID_V4);
    expect(second.useCaseId).not.toBe(first.useCaseId);
  });

  it('merges with the scope it is called from', () => {
    const ctx = trackContext({ useCaseName: 'chatbot', useCaseId: 'case-1', limitIds: ['monthly'], userId: 'outer' }, () =>
      new Chat('acme').context(),
    );
    expect(ctx).toEqual({ useCaseName: 'chatbot', useCaseId: 'case-1', limitIds: ['monthly', 'daily'], userId: 'outer' });
  });

  it('lets a thrown error through unchanged and restores the outer frame', () => {
    const error = new TypeError('boom');
    trackContext({ useCaseName: 'outer' }, () => {
      const outer = getContext();
      expect(() => new Chat('acme').fail(error)).toThrow(error);
      expect(getContext()).toBe(outer);
    });
  });

  it('rejects with the same error from an async method and restores the outer frame', async () => {
    const error = new RangeError('later');
    await trackContext({ useCaseName: 'outer' }, async () => {
      const outer = getContext();
      await expect(new Chat('acme').failLater(error)).rejects.toBe(error);
      expect(getContext()).toBe(outer);
    });
  });

  it('runs static methods, sync and async, in their scope', async () => {
    const { chat, ctx } = Chat.create('acme');
    expect(chat).toBeInstanceOf(Chat);
    expect(ctx).toEqual({ useCaseName: 'statics', useCaseId: expect.stringMatching(UUID_V4), requestTags: ['static'] });
    await expect(Chat.createLater()).resolves.toEqual({ useCaseName: 'statics', useCaseId: expect.stringMatching(UUID_V4) });
  });

  it('keeps the method\'s name and length', () => {
    expect(Chat.prototype.forUser.name).toBe('forUser');
    expect(Chat.prototype.forUser.length).toBe(1);
    expect(Chat.create.name).toBe('create');
  });

  it('never breaks the call when a function-valued option throws: the field is inherited and a warning logged', () => {
    const logger = collectingLogger();
    setLogger(logger);
    class Svc {
      @Track({
        useCaseName: 'chatbot',
        userId: () => {
          throw new Error('no user');
        },
      })
      run(): object {
        return getContext();
      }
    }
    const ctx = trackContext({ userId: 'outer' }, () => new Svc().run());
    expect(ctx).toEqual({ useCaseName: 'chatbot', useCaseId: expect.stringMatching(UUID_V4), userId: 'outer' });
    expect(logger.messages.join('\n')).toMatch(/userId function threw; userId is inherited/);
  });
});

describe('@Track on a generator method', () => {
  it('runs every step in the frame built once for the call, wherever the caller iterates from', () => {
    const chat = new Chat('acme');
    const it = chat.count(3);
    expect(getContext()).toEqual({});
    const first = it.next();
    const second = trackContext({ useCaseName: 'elsewhere', userId: 'x' }, () => it.next());
    expect(first.value).toEqual({ i: 0, useCaseName: 'counter', useCaseId: expect.stringMatching(UUID_V4), useCaseStep: 'count' });
    expect(second.value).toEqual({ ...(first.value as object), i: 1 });
    expect([...it]).toEqual([{ ...(first.value as object), i: 2 }]);
    expect(getContext()).toEqual({});
  });

  it('passes values sent with next() and returns the generator\'s return value', () => {
    const it = new Chat('acme').count(10);
    expect((it.next().value as { i: number }).i).toBe(0);
    expect((it.next(5).value as { i: number }).i).toBe(6);
    expect(it.next(10)).toEqual({ value: 'done in counter', done: true });
  });

  it('gives each call of the generator method its own use case id', () => {
    const chat = new Chat('acme');
    const a = chat.count(1).next().value as { useCaseId: string };
    const b = chat.count(1).next().value as { useCaseId: string };
    expect(a.useCaseId).not.toBe(b.useCaseId);
  });

  it('runs throw() and return() in the frame too', () => {
    const chat = new Chat('acme');
    const log: object[] = [];
    const thrown = chat.withCleanup(log);
    thrown.next();
    expect(thrown.throw(new Error('stop'))).toEqual({ value: 3, done: false });
    expect(thrown.return(9)).toEqual({ value: 9, done: true });
    const returned = chat.withCleanup(log);
    returned.next();
    returned.return(0);
    expect(log).toEqual([
      { caught: 'stop', useCaseName: 'cleanup', useCaseId: expect.stringMatching(UUID_V4) },
      { finally: true, useCaseName: 'cleanup', useCaseId: expect.stringMatching(UUID_V4) },
      { finally: true, useCaseName: 'cleanup', useCaseId: expect.stringMatching(UUID_V4) },
    ]);
  });

  it('returns an iterator that for...of, spread and Object.prototype.toString treat as a generator', () => {
    const it = new Chat('acme').count(2);
    expect(it[Symbol.iterator]()).toBe(it);
    expect(Object.prototype.toString.call(it)).toBe('[object Generator]');
    expect([...it]).toHaveLength(2);
  });

  it('runs every step of an async generator in its frame, across awaits', async () => {
    const seen: object[] = [];
    const it = new Chat('acme').stream(3);
    expect(Object.prototype.toString.call(it)).toBe('[object AsyncGenerator]');
    await trackContext({ useCaseName: 'consumer' }, async () => {
      for await (const ctx of it) seen.push(ctx);
      expect(getContext().useCaseName).toBe('consumer');
    });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((c) => JSON.stringify(c))).size).toBe(1);
    expect(seen[0]).toEqual({ useCaseName: 'streamer', useCaseId: expect.stringMatching(UUID_V4) });
  });

  it('stops an async generator early with break, and return() runs in the frame', async () => {
    const it = new Chat('acme').stream(100);
    let n = 0;
    for await (const ctx of it) {
      expect(ctx).toMatchObject({ useCaseName: 'streamer' });
      if (++n === 2) break;
    }
    await expect(it.next()).resolves.toEqual({ value: undefined, done: true });
  });
});
