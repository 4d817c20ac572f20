import { Track } from '../../decorators';
import { getContext } from '../../src/context/scope';
import { PayiConfigError } from '../../src/errors';

/*
 * This file is also a compile-time test: `tsc --noEmit` runs it under both tsconfigs (standard and
 * legacy decorators, `strict`). The decorated members below must keep their exact types, and the
 * `@ts-expect-error` lines must stay errors.
 */

abstract class Base {
  abstract name(): string;

  @Track({ useCaseName: 'base' })
  greet(this: Base, greeting: string): string {
    return `${greeting}, ${this.name()} (${String(getContext().useCaseName)})`;
  }
}

@Track({ requestTags: ['typed'] })
class Typed extends Base {
  name(): string {
    return 'typed';
  }

  @Track()
  identity<T>(value: T): T {
    return value;
  }

  @Track()
  async many(...values: number[]): Promise<number> {
    return values.reduce((a, b) => a + b, 0);
  }

  @Track()
  optional(a: string, b?: number): string {
    return `${a}${b ?? ''}`;
  }
}

describe('typing in both decorator modes', () => {
  it('keeps generic, variadic, optional-parameter and `this`-typed methods working with their types', async () => {
    const t = new Typed();
    const n: number = t.identity(5);
    const s: string = t.identity('five');
    const sum: number = await t.many(1, 2, 3);
    expect([n, s, sum, t.optional('a'), t.optional('a', 1)]).toEqual([5, 'five', 6, 'a', 'a1']);
    expect(t.greet('hello')).toBe('hello, typed (base)');
  });

  it('a field is a compile error, and throws PayiConfigError when forced', () => {
    expect(() => {
      class Svc {
        // @ts-expect-error a field cannot be tracked
        @Track() value = 1;
      }
      return Svc;
    }).toThrow(PayiConfigError);
  });
});
