import { Track } from '../../decorators';
import { getContext, trackContext } from '../../src/context/scope';
import { UUID_V4 } from './helpers';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

@Track({ useCaseName: 'chatbot', limitIds: ['daily'] })
class ChatService {
  readonly built: object;
  readonly arrow = (): object => getContext();
  static readonly staticArrow = (): object => getContext();

  constructor() {
    this.built = getContext();
  }

  get current(): object {
    return getContext();
  }

  plain(): object {
    return getContext();
  }

  async later(): Promise<object> {
    await tick();
    return getContext();
  }

  *steps(): Generator<object> {
    yield getContext();
  }

  @Track({ limitIds: ['premium'], userId: ({ args }) => String(args[0]) })
  forUser(_userId: string): object {
    return getContext();
  }

  @Track({ useCaseName: 'summarizer' })
  summarize(): object {
    return getContext();
  }

  callsSibling(): { outer: object; inner: object } {
    return { outer: getContext(), inner: this.plain() };
  }

  static make(): object {
    return getContext();
  }
}

const chatbotFrame = { useCaseName: 'chatbot', useCaseId: expect.stringMatching(UUID_V4), limitIds: ['daily'] };

describe('@Track on a class', () => {
  it('runs every own instance method in the class scope (sync, async, generator)', async () => {
    const svc = new ChatService();
    expect(svc.plain()).toEqual(chatbotFrame);
    await expect(svc.later()).resolves.toEqual(chatbotFrame);
    expect([...svc.steps()]).toEqual([chatbotFrame]);
    expect(getContext()).toEqual({});
  });

  it('runs static methods in the class scope too', () => {
    expect(ChatService.make()).toEqual(chatbotFrame);
  });

  it('leaves the constructor, getters and fields alone', () => {
    const svc = new ChatService();
    expect(svc).toBeInstanceOf(ChatService);
    expect(svc.built).toEqual({});
    expect(svc.current).toEqual({});
    expect(svc.arrow()).toEqual({});
    expect(ChatService.staticArrow()).toEqual({});
  });

  it('merges a method-level @Track inside it: the class scope is the parent, the method scope the child', () => {
    const ctx = new ChatService().forUser('alice') as { useCaseId: string };
    expect(ctx).toEqual({ ...chatbotFrame, limitIds: ['daily', 'premium'], userId: 'alice' });
  });

  it('starts a new use case instance when the method names a different use case', () => {
    const ctx = new ChatService().summarize();
    expect(ctx).toEqual({ useCaseName: 'summarizer', useCaseId: expect.stringMatching(UUID_V4), limitIds: ['daily'] });
  });

  it('keeps one use case id when a method calls a sibling method of the same class', () => {
    const { outer, inner } = new ChatService().callsSibling();
    expect(inner).toEqual(outer);
  });

  it('gives each outside call of a method a new use case id', () => {
    const svc = new ChatService();
    expect((svc.plain() as { useCaseId: string }).useCaseId).not.toBe((svc.plain() as { useCaseId: string }).useCaseId);
  });

  it('merges with the caller\'s scope', () => {
    const ctx = trackContext({ useCaseName: 'chatbot', useCaseId: 'req-7', userId: 'bob' }, () => new ChatService().plain());
    expect(ctx).toEqual({ useCaseName: 'chatbot', useCaseId: 'req-7', userId: 'bob', limitIds: ['daily'] });
  });

  it('keeps method names and lengths, and the class itself', () => {
    expect(ChatService.prototype.forUser.name).toBe('forUser');
    expect(ChatService.prototype.forUser.length).toBe(1);
    expect(ChatService.name).toBe('ChatService');
  });

  it('tracks inherited methods on a subclass, and the subclass\'s own methods only when it is decorated', () => {
    class Child extends ChatService {
      extra(): object {
        return getContext();
      }
    }
    const child = new Child();
    expect(child.plain()).toEqual(chatbotFrame);
    expect(child.extra()).toEqual({});
  });
});
