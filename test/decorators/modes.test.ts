import { Ingest, PayiProxy, Proxy, Track } from '../../decorators';
import { getContext, trackContext } from '../../src/context/scope';

class Docs {
  @Ingest({ useCaseName: 'document_processing', requestTags: ['app'] })
  ingest(): object {
    return getContext();
  }

  @Proxy({ useCaseName: 'customer_support' })
  proxy(): object {
    return getContext();
  }

  @PayiProxy()
  alsoProxy(): object {
    return getContext();
  }

  @Track({ requestTags: ['inner'] })
  inherits(): object {
    return getContext();
  }
}

describe('@Ingest and @Proxy', () => {
  it('@Ingest is @Track with proxy: false', () => {
    expect(trackContext({ proxy: true }, () => new Docs().ingest())).toMatchObject({
      useCaseName: 'document_processing',
      requestTags: ['app'],
      proxy: false,
    });
  });

  it('@Proxy and @PayiProxy are @Track with proxy: true', () => {
    expect(PayiProxy).toBe(Proxy);
    expect(new Docs().proxy()).toMatchObject({ useCaseName: 'customer_support', proxy: true });
    expect(new Docs().alsoProxy()).toEqual({ proxy: true });
  });

  it('@Track leaves the mode to the enclosing scope', () => {
    expect(trackContext({ proxy: true }, () => new Docs().inherits())).toEqual({ proxy: true, requestTags: ['inner'] });
    expect(new Docs().inherits()).toEqual({ requestTags: ['inner'] });
  });
});
