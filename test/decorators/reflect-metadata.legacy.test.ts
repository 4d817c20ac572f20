import 'reflect-metadata';
import { Track } from '../../decorators';
import { getContext } from '../../src/context/scope';
import { PayiConfigError } from '../../src/errors';

/** A method decorator that stores metadata on the method, as NestJS's @Get/@UseGuards/@SetMetadata do. */
const Tag =
  (key: string, value: unknown): MethodDecorator =>
  (_target, _key, descriptor) => {
    Reflect.defineMetadata(key, value, descriptor.value as object);
  };

class Dep {}

@Track({ useCaseName: 'legacy' })
class Service {
  constructor(readonly dep: Dep) {}

  @Track({ userId: 'u1' })
  @Tag('below', 'applied before @Track')
  reply(_prompt: string, _n: number): object {
    return getContext();
  }

  @Tag('above', 'applied after @Track')
  @Track({ userId: 'u2' })
  other(): object {
    return getContext();
  }

  @Tag('class-only', true)
  untracked(_a: string, _b: string, _c: string): object {
    return getContext();
  }
}

describe('@Track with legacy decorators and reflect-metadata', () => {
  it('keeps metadata written by decorators below @Track (applied before it) on the wrapper', () => {
    expect(Reflect.getOwnMetadata('below', Service.prototype.reply)).toBe('applied before @Track');
    expect(Reflect.getMetadata('below', Service.prototype.reply)).toBe('applied before @Track');
  });

  it('keeps metadata written by decorators above @Track (applied after it)', () => {
    expect(Reflect.getOwnMetadata('above', Service.prototype.other)).toBe('applied after @Track');
  });

  it('keeps metadata of methods wrapped by the class-level decorator', () => {
    expect(Reflect.getOwnMetadata('class-only', Service.prototype.untracked)).toBe(true);
    expect(Service.prototype.untracked.length).toBe(3);
    expect(new Service(new Dep()).untracked('a', 'b', 'c')).toMatchObject({ useCaseName: 'legacy' });
  });

  it('lets metadata added to the original method later reach the wrapper through Reflect.getMetadata', () => {
    const original = jest.fn(function (this: unknown) {
      return getContext();
    });
    const descriptor: PropertyDescriptor = { value: original, writable: true, configurable: true, enumerable: false };
    const result = Track({ userId: 'late' })(Service.prototype, 'late', descriptor) as PropertyDescriptor;
    Reflect.defineMetadata('late-key', 'late-value', original);
    expect(Reflect.getMetadata('late-key', result.value)).toBe('late-value');
    expect(result.value()).toEqual({ userId: 'late' });
  });

  it('keeps design:paramtypes of the class and its methods, and the class itself', () => {
    expect(Reflect.getMetadata('design:paramtypes', Service)).toEqual([Dep]);
    expect(Reflect.getMetadata('design:paramtypes', Service.prototype, 'reply')).toEqual([String, Number]);
    const svc = new Service(new Dep());
    expect(svc).toBeInstanceOf(Service);
    expect(svc.dep).toBeInstanceOf(Dep);
  });

  it('keeps name and length, and merges class and method scopes', () => {
    expect(Service.prototype.reply.name).toBe('reply');
    expect(Service.prototype.reply.length).toBe(2);
    expect(new Service(new Dep()).reply('hi', 1)).toMatchObject({ useCaseName: 'legacy', userId: 'u1' });
    expect(new Service(new Dep()).other()).toMatchObject({ useCaseName: 'legacy', userId: 'u2' });
  });

  it('rejects @Track on a method parameter or a constructor parameter, naming the place', () => {
    const onMethodParameter = (): unknown => {
      class Svc {
        reply(@(Track() as any) _prompt: string): void {}
      }
      return Svc;
    };
    expect(onMethodParameter).toThrow(PayiConfigError);
    expect(onMethodParameter).toThrow('@Track on parameter 0 of `Svc.reply`: a parameter cannot be tracked; put @Track on a method or a class');
    expect(() => {
      class Svc {
        constructor(_a: string, @(Track() as any) _b: string) {}
      }
      return Svc;
    }).toThrow('@Track on parameter 1 of `Svc constructor`: a parameter cannot be tracked; put @Track on a method or a class');
  });
});
