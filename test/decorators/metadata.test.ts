import { getTrackMetadata, Ingest, PayiProxy, Proxy, Track } from '../../decorators';
import { PayiConfigError } from '../../src/errors';

const userFromArgs = ({ args }: { args: readonly unknown[] }): string => String(args[0]);

@Track({ useCaseName: 'chatbot' })
class ChatService {
  @Track({ limitIds: ['daily'], userId: userFromArgs })
  reply(_userId: string): void {}

  @Ingest({ requestTags: ['ingest'] })
  ingested(): void {}

  @Proxy()
  proxied(): void {}

  @Track()
  static create(): void {}

  undecorated(): void {}
}

class Plain {
  @PayiProxy({ useCaseName: 'support' })
  answer(): void {}
}

describe('getTrackMetadata', () => {
  it('returns the options given to the class-level decorator', () => {
    expect(getTrackMetadata(ChatService)).toEqual({ useCaseName: 'chatbot' });
  });

  it('returns the options given to a method-level decorator, function-valued options included', () => {
    expect(getTrackMetadata(ChatService, 'reply')).toEqual({ limitIds: ['daily'], userId: userFromArgs });
    expect(getTrackMetadata(ChatService, 'create')).toEqual({});
  });

  it('reports the proxy mode that @Ingest and @Proxy set', () => {
    expect(getTrackMetadata(ChatService, 'ingested')).toEqual({ requestTags: ['ingest'], proxy: false });
    expect(getTrackMetadata(ChatService, 'proxied')).toEqual({ proxy: true });
    expect(getTrackMetadata(Plain, 'answer')).toEqual({ useCaseName: 'support', proxy: true });
  });

  it('returns undefined where there is no decorator', () => {
    expect(getTrackMetadata(ChatService, 'undecorated')).toBeUndefined();
    expect(getTrackMetadata(ChatService, 'missing')).toBeUndefined();
    expect(getTrackMetadata(Plain)).toBeUndefined();
    expect(getTrackMetadata(class Empty {})).toBeUndefined();
  });

  it('finds an inherited method\'s options on the class that defines it, and not an override\'s', () => {
    class Child extends ChatService {
      override ingested(): void {}
    }
    expect(getTrackMetadata(Child, 'reply')).toEqual({ limitIds: ['daily'], userId: userFromArgs });
    expect(getTrackMetadata(Child, 'ingested')).toBeUndefined();
    expect(getTrackMetadata(Child)).toBeUndefined();
  });

  it('returns a frozen copy: changing the options afterwards changes neither the metadata nor the scope', () => {
    const options = { useCaseName: 'mutable' };
    class Svc {
      @Track(options)
      run(): void {}
    }
    options.useCaseName = 'changed';
    const meta = getTrackMetadata(Svc, 'run');
    expect(meta).toEqual({ useCaseName: 'mutable' });
    expect(Object.isFrozen(meta)).toBe(true);
  });

  it('throws PayiConfigError when given something that is not a class', () => {
    expect(() => getTrackMetadata('ChatService' as unknown as Function)).toThrow(PayiConfigError);
    expect(() => getTrackMetadata('ChatService' as unknown as Function)).toThrow(/getTrackMetadata: target ChatService is not a class/);
  });
});
