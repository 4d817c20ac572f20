/**
 * The OpenTelemetry context checklist (house-style.md) for payi scopes: the outer frame is restored
 * after a nested scope; awaited and un-awaited inner scopes; timers, microtasks and EventEmitter
 * callbacks; real HTTP callbacks; a throw inside a scope still restores the outer frame.
 * Callbacks are awaited by the events they fire, never by elapsed time.
 */
import { EventEmitter, EventEmitterAsyncResource, once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getContext, track, trackContext } from '../../src/context/scope';

const user = (): string | undefined => getContext().userId;

describe('nested scopes', () => {
  test('the outer frame is back after a nested synchronous scope returns', () => {
    trackContext({ userId: 'outer' }, () => {
      expect(trackContext({ userId: 'inner' }, user)).toBe('inner');
      expect(user()).toBe('outer');
    });
    expect(user()).toBeUndefined();
  });

  test('the outer frame is back after an awaited inner scope, and the inner one kept its frame across its awaits', async () => {
    await trackContext({ userId: 'outer' }, async () => {
      const seenInside = await trackContext({ userId: 'inner' }, async () => {
        await Promise.resolve();
        const a = user();
        await new Promise((r) => setImmediate(r));
        return [a, user()];
      });
      expect(seenInside).toEqual(['inner', 'inner']);
      expect(user()).toBe('outer');
    });
  });

  test('an un-awaited inner scope keeps its own frame while the outer code goes on with the outer frame', async () => {
    await trackContext({ userId: 'outer' }, async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const inner = trackContext({ userId: 'inner' }, async () => {
        await gate; // resumes after the outer code below has run
        return user();
      });
      expect(user()).toBe('outer');
      await Promise.resolve();
      expect(user()).toBe('outer');
      release();
      expect(await inner).toBe('inner');
      expect(user()).toBe('outer');
    });
  });

  test('a throw inside a scope reaches the caller and the outer frame is restored', () => {
    trackContext({ userId: 'outer' }, () => {
      expect(() => trackContext({ userId: 'inner' }, () => {
        throw new Error('boom');
      })).toThrow('boom');
      expect(user()).toBe('outer');
    });
  });

  test('a rejection inside an async scope restores the outer frame for the awaiting code', async () => {
    await trackContext({ userId: 'outer' }, async () => {
      const failing = track({ userId: 'inner' }, async () => {
        await Promise.resolve();
        throw new Error('async boom');
      });
      await expect(failing()).rejects.toThrow('async boom');
      expect(user()).toBe('outer');
    });
  });
});

describe('timers and microtasks', () => {
  test('setTimeout, setInterval, setImmediate, nextTick and queueMicrotask callbacks see the scope they were scheduled in, even after it returned', async () => {
    const seen: Record<string, string | undefined> = {};
    const done = trackContext({ userId: 'scheduler' }, () => {
      const fired = (name: string) =>
        new Promise<void>((resolve) => {
          const record = () => {
            seen[name] = user();
            resolve();
          };
          if (name === 'timeout') setTimeout(record, 1);
          if (name === 'immediate') setImmediate(record);
          if (name === 'nextTick') process.nextTick(record);
          if (name === 'microtask') queueMicrotask(record);
          if (name === 'interval') {
            const t = setInterval(() => {
              clearInterval(t);
              record();
            }, 1);
          }
          if (name === 'then') void Promise.resolve().then(record);
        });
      return Promise.all(['timeout', 'immediate', 'nextTick', 'microtask', 'interval', 'then'].map(fired));
    });
    // the scope has returned; the callbacks have not all run yet
    expect(user()).toBeUndefined();
    await done;
    expect(seen).toEqual({ timeout: 'scheduler', immediate: 'scheduler', nextTick: 'scheduler', microtask: 'scheduler', interval: 'scheduler', then: 'scheduler' });
  });
});

describe('EventEmitter callbacks', () => {
  test('a listener runs in the scope of the code that emits, wherever it was registered', () => {
    const emitter = new EventEmitter();
    const seen: (string | undefined)[] = [];
    emitter.on('reply', () => seen.push(user()));
    trackContext({ userId: 'emitter-a' }, () => emitter.emit('reply'));
    trackContext({ userId: 'emitter-b' }, () => emitter.emit('reply'));
    emitter.emit('reply');
    expect(seen).toEqual(['emitter-a', 'emitter-b', undefined]);
  });

  test('an event emitted later from a timer of the scope still sees the scope', async () => {
    const emitter = new EventEmitter();
    const got = once(emitter, 'done').then(() => user());
    const listenerSaw = new Promise<string | undefined>((resolve) => emitter.on('done', () => resolve(user())));
    trackContext({ userId: 'timer-scope' }, () => setTimeout(() => emitter.emit('done'), 1));
    expect(await listenerSaw).toBe('timer-scope');
    // `once()` resolves a promise: its continuation runs in the awaiting code's (empty) scope
    expect(await got).toBeUndefined();
  });

  test('an EventEmitterAsyncResource created in a scope calls its listeners in that scope, whoever emits', () => {
    const emitter = trackContext({ userId: 'owner' }, () => new EventEmitterAsyncResource({ name: 'payi-test' }));
    const seen: (string | undefined)[] = [];
    emitter.on('tick', () => seen.push(user()));
    trackContext({ userId: 'someone-else' }, () => emitter.emit('tick'));
    emitter.emit('tick');
    emitter.emitDestroy();
    expect(seen).toEqual(['owner', 'owner']);
  });

  test('callbacks of a real HTTP request made in a scope (response, data, end) see that scope', async () => {
    const server = http.createServer((_req, res) => res.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const seen = await trackContext({ userId: 'http-caller' }, () =>
        new Promise<(string | undefined)[]>((resolve, reject) => {
          const out: (string | undefined)[] = [];
          http
            .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
              out.push(user());
              res.on('data', () => out.push(user()));
              res.on('end', () => {
                out.push(user());
                resolve(out);
              });
            })
            .on('error', reject);
        }),
      );
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(new Set(seen)).toEqual(new Set(['http-caller']));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
