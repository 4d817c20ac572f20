import { Ingest, Track } from '../../decorators';
import { PayiConfigError } from '../../src/errors';
import { MODE } from './helpers';

/** Defines a class with the given body; decorators are applied (and may throw) right here. */
function define(body: () => unknown): () => unknown {
  return body;
}

const catchError = (fn: () => unknown): PayiConfigError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PayiConfigError);
    return err as PayiConfigError;
  }
  throw new Error('expected a PayiConfigError');
};

// In standard mode a member decorator does not know its class yet; legacy mode does.
const where = (cls: string, member: string): string => (MODE === 'legacy' ? `${cls}.${member}` : member);

describe('decorator misuse', () => {
  it('rejects @Track on a field, naming the place', () => {
    const err = catchError(
      define(() => {
        class Svc {
          @(Track() as any) value = 1;
        }
        return Svc;
      }),
    );
    expect(err.message).toBe(`@Track on \`${where('Svc', 'value')}\`: a field cannot be tracked; put @Track on a method or a class`);
  });

  it('rejects @Track on a getter and on a setter', () => {
    const getter = catchError(() => {
      class Svc {
        @(Track() as any) get value(): number {
          return 1;
        }
      }
      return Svc;
    });
    expect(getter.message).toBe(`@Track on \`${where('Svc', 'value')}\`: a getter cannot be tracked; put @Track on a method or a class`);
    const setter = catchError(() => {
      class Svc {
        @(Track() as any) set value(_v: number) {}
      }
      return Svc;
    });
    expect(setter.message).toBe(`@Track on \`${where('Svc', 'value')}\`: a setter cannot be tracked; put @Track on a method or a class`);
  });

  it('rejects @Track on an auto-accessor', () => {
    const err = catchError(() => {
      class Svc {
        @(Track() as any) accessor value = 1;
      }
      return Svc;
    });
    const what = MODE === 'legacy' ? 'an accessor' : 'an auto-accessor';
    expect(err.message).toBe(`@Track on \`${where('Svc', 'value')}\`: ${what} cannot be tracked; put @Track on a method or a class`);
  });

  it('rejects @Track written without parentheses', () => {
    const err = catchError(() => {
      class Svc {
        @(Track as any) run(): void {}
      }
      return Svc;
    });
    expect(err.message).toBe("@Track must be called: write @Track() or @Track({ useCaseName: 'chatbot' }), with parentheses");
  });
});

describe('static options are validated when the decorator is applied', () => {
  it('an invalid use case name on a method names the decorator, the method and the value', () => {
    const err = catchError(() => {
      class ChatService {
        @Track({ useCaseName: 'my case' })
        reply(): void {}
      }
      return ChatService;
    });
    expect(err.message).toBe(`@Track on \`${where('ChatService', 'reply')}\`: useCaseName "my case" has a space; use 1-64 of A-Z a-z 0-9 . - _`);
    expect(err.option).toBe('useCaseName');
    expect(err.value).toBe('my case');
  });

  it('an invalid option on a static method says static in standard mode', () => {
    const err = catchError(() => {
      class ChatService {
        @Ingest({ limitIds: 'daily' as unknown as string[] })
        static create(): void {}
      }
      return ChatService;
    });
    const place = MODE === 'legacy' ? 'ChatService.create' : 'static create';
    expect(err.message).toBe(`@Ingest on \`${place}\`: limitIds "daily" is not an array; expected an array of strings, e.g. ['daily']`);
  });

  it('an invalid use case name on a class names the class', () => {
    const err = catchError(() => {
      @Track({ useCaseName: 'x'.repeat(65) })
      class Summaries {}
      return Summaries;
    });
    expect(err.message).toBe(`@Track on class \`Summaries\`: useCaseName "${'x'.repeat(65)}" is 65 characters long; use 1-64 of A-Z a-z 0-9 . - _`);
  });

  it('options that are not an object, or unknown option names, are rejected', () => {
    const notObject = catchError(() => {
      class Svc {
        @Track('chatbot' as any) run(): void {}
      }
      return Svc;
    });
    expect(notObject.message).toBe(`@Track on \`${where('Svc', 'run')}\`: options "chatbot" is not an object; expected e.g. { useCaseName: 'chatbot' }`);
    const unknown = catchError(() => {
      class Svc {
        @Track({ usecaseName: 'chatbot' } as any) run(): void {}
      }
      return Svc;
    });
    expect(unknown.message).toMatch(/^@Track on `(Svc\.)?run`: unknown option "usecaseName"; expected one of useCaseName, /);
  });

  it('a valid decorator does not throw and function-valued options are not checked until a call', () => {
    expect(() => {
      class Svc {
        @Track({ useCaseName: 'ok.name-1_2', userId: () => 'u' }) run(): void {}
      }
      return Svc;
    }).not.toThrow();
  });
});
