/**
 * One test per merge rule of contract §3 (mergeFrame, src/context/merge.ts), in the order the
 * function documents them. mergeFrame is pure: parent frame + the child's values -> a new frozen frame.
 */
import { mergeFrame } from '../../src/context/merge';
import type { Frame, ScopeValues } from '../../src/context/types';
import { UUID_V4 } from './support';

const parent: Frame = Object.freeze({
  useCaseName: 'chat',
  useCaseId: 'uc-1',
  useCaseVersion: 3,
  useCaseStep: 'draft',
  useCaseProperties: Object.freeze({ tier: 'gold', region: 'eu' }),
  limitIds: Object.freeze(['daily', 'team']),
  requestTags: Object.freeze(['web', 'beta']),
  userId: 'u-parent',
  accountName: 'acct-parent',
  requestProperties: Object.freeze({ env: 'prod', a: '1' }),
  priceAsCategory: 'cat.parent',
  priceAsResource: 'res.parent',
  resourceScope: 'global',
  logPromptAndResponse: false,
  proxy: false,
});

describe('mergeFrame: limitIds and requestTags (rule 2)', () => {
  test('limit ids are the union of parent and child, parent order first, then the child’s new ids, without duplicates', () => {
    const f = mergeFrame(parent, { limitIds: ['monthly', 'daily', 'monthly', 'adhoc'] });
    expect(f.limitIds).toEqual(['daily', 'team', 'monthly', 'adhoc']);
  });

  test('request tags merge the same way as limit ids', () => {
    const f = mergeFrame(parent, { requestTags: ['beta', 'mobile', 'web', 'mobile'] });
    expect(f.requestTags).toEqual(['web', 'beta', 'mobile']);
  });

  test('a child’s own duplicate ids are de-duplicated even with no parent list', () => {
    expect(mergeFrame({}, { limitIds: ['x', 'y', 'x'] }).limitIds).toEqual(['x', 'y']);
  });
});

describe('mergeFrame: absent, empty and null (rule 1)', () => {
  test('an absent (undefined) child value inherits the parent’s, field by field', () => {
    const undefinedEverywhere: ScopeValues = {
      useCaseName: undefined,
      limitIds: undefined,
      userId: undefined,
      requestProperties: undefined,
      logPromptAndResponse: undefined,
    };
    expect(mergeFrame(parent, undefinedEverywhere)).toEqual(parent);
    expect(mergeFrame(parent, {})).toEqual(parent);
  });

  test.each([
    ['limitIds', []],
    ['requestTags', []],
    ['userId', ''],
    ['accountName', ''],
    ['priceAsCategory', ''],
    ['priceAsResource', ''],
    ['resourceScope', ''],
    ['requestProperties', {}],
  ] as const)('an empty %s clears it: nothing is inherited', (key, empty) => {
    const f = mergeFrame(parent, { [key]: empty });
    expect(f).not.toHaveProperty(key);
    // the other fields are untouched
    expect(f.useCaseId).toBe('uc-1');
  });

  test.each(['limitIds', 'requestTags', 'userId', 'accountName', 'priceAsCategory', 'priceAsResource', 'resourceScope', 'requestProperties'] as const)(
    'null %s clears it like an empty value',
    (key) => {
      const f = mergeFrame(parent, { [key]: null });
      expect(f).not.toHaveProperty(key);
      expect(f.userId === undefined).toBe(key === 'userId');
    },
  );

  test('an empty use case name clears the whole use-case group, and null does the same', () => {
    for (const cleared of ['', null]) {
      const f = mergeFrame(parent, { useCaseName: cleared, useCaseId: 'ignored', useCaseVersion: 9 });
      for (const key of ['useCaseName', 'useCaseId', 'useCaseVersion', 'useCaseStep', 'useCaseProperties']) expect(f).not.toHaveProperty(key);
      expect(f.userId).toBe('u-parent');
    }
  });

  test('an empty or null use case id, step, version or properties clears just that field of the same use case', () => {
    expect(mergeFrame(parent, { useCaseId: '' })).not.toHaveProperty('useCaseId');
    expect(mergeFrame(parent, { useCaseId: null })).not.toHaveProperty('useCaseId');
    expect(mergeFrame(parent, { useCaseStep: '' })).not.toHaveProperty('useCaseStep');
    expect(mergeFrame(parent, { useCaseVersion: null })).not.toHaveProperty('useCaseVersion');
    expect(mergeFrame(parent, { useCaseProperties: {} })).not.toHaveProperty('useCaseProperties');
    expect(mergeFrame(parent, { useCaseStep: '' }).useCaseName).toBe('chat');
  });
});

describe('mergeFrame: innermost wins (rule 3)', () => {
  test('userId, accountName, priceAsCategory, priceAsResource and resourceScope take the child’s value', () => {
    const f = mergeFrame(parent, {
      userId: 'u-child',
      accountName: 'acct-child',
      priceAsCategory: 'cat.child',
      priceAsResource: 'res.child',
      resourceScope: 'region.eu-west-1',
    });
    expect(f).toMatchObject({
      userId: 'u-child',
      accountName: 'acct-child',
      priceAsCategory: 'cat.child',
      priceAsResource: 'res.child',
      resourceScope: 'region.eu-west-1',
    });
  });
});

describe('mergeFrame: requestProperties (rule 4)', () => {
  test('request properties merge per key and the child wins on a shared key; a null value is kept as a key', () => {
    const f = mergeFrame(parent, { requestProperties: { a: '2', b: 3, gone: null } });
    expect(f.requestProperties).toEqual({ env: 'prod', a: '2', b: 3, gone: null });
  });
});

describe('mergeFrame: the use-case group (rules 5-8)', () => {
  test('no use case name given: the whole group is inherited (same instance, same id)', () => {
    const f = mergeFrame(parent, { userId: 'someone' });
    expect(f).toMatchObject({ useCaseName: 'chat', useCaseId: 'uc-1', useCaseVersion: 3, useCaseStep: 'draft', useCaseProperties: { tier: 'gold', region: 'eu' } });
  });

  test('no name but a step, version or properties: they are set on the inherited use case, properties merged per key', () => {
    const f = mergeFrame(parent, { useCaseStep: 'review', useCaseVersion: 4, useCaseProperties: { region: 'us', extra: true } });
    expect(f).toMatchObject({ useCaseName: 'chat', useCaseId: 'uc-1', useCaseVersion: 4, useCaseStep: 'review' });
    expect(f.useCaseProperties).toEqual({ tier: 'gold', region: 'us', extra: true });
  });

  test('the same name as the parent keeps the parent’s id, version, step and properties', () => {
    const f = mergeFrame(parent, { useCaseName: 'chat' }, { newId: () => 'never-used' });
    expect(f).toMatchObject({ useCaseName: 'chat', useCaseId: 'uc-1', useCaseVersion: 3, useCaseStep: 'draft', useCaseProperties: { tier: 'gold', region: 'eu' } });
  });

  test('the same name with a version given overrides only the version', () => {
    const f = mergeFrame(parent, { useCaseName: 'chat', useCaseVersion: 5 });
    expect(f).toMatchObject({ useCaseId: 'uc-1', useCaseVersion: 5, useCaseStep: 'draft' });
  });

  test('a different name starts a new use case: a fresh UUID v4 id, and no version, step or properties from the parent', () => {
    // Contract §3 (differs from the Python SDK, which carries version, step and properties across a name change).
    const f = mergeFrame(parent, { useCaseName: 'summarizer' });
    expect(f.useCaseName).toBe('summarizer');
    expect(f.useCaseId).toMatch(UUID_V4);
    expect(f.useCaseId).not.toBe('uc-1');
    expect(f).not.toHaveProperty('useCaseVersion');
    expect(f).not.toHaveProperty('useCaseStep');
    expect(f).not.toHaveProperty('useCaseProperties');
    // the rest of the frame is still inherited
    expect(f).toMatchObject({ userId: 'u-parent', limitIds: ['daily', 'team'], requestProperties: { env: 'prod', a: '1' } });
  });

  test('a different name keeps the version, step and properties given at its own level', () => {
    const f = mergeFrame(parent, { useCaseName: 'summarizer', useCaseVersion: 7, useCaseStep: 's1', useCaseProperties: { k: 'v' } });
    expect(f).toMatchObject({ useCaseVersion: 7, useCaseStep: 's1', useCaseProperties: { k: 'v' } });
  });

  test('a name with no parent use case starts a new use case with a UUID v4 id', () => {
    const f = mergeFrame({}, { useCaseName: 'first' });
    expect(f).toEqual({ useCaseName: 'first', useCaseId: expect.stringMatching(UUID_V4) });
  });

  test('an explicit useCaseId wins over the generated id and over the parent’s id', () => {
    expect(mergeFrame(parent, { useCaseName: 'summarizer', useCaseId: 'ticket-42' }).useCaseId).toBe('ticket-42');
    expect(mergeFrame(parent, { useCaseName: 'chat', useCaseId: 'ticket-43' }).useCaseId).toBe('ticket-43');
    expect(mergeFrame(parent, { useCaseId: 'ticket-44' })).toMatchObject({ useCaseName: 'chat', useCaseId: 'ticket-44' });
  });

  test('use-case fields given with no use case name in scope are ignored and reported once per merge', () => {
    const reported: string[][] = [];
    const f = mergeFrame({ userId: 'u' }, { useCaseId: 'orphan', useCaseStep: 's', useCaseVersion: 3 }, { onIgnored: (fields) => reported.push([...fields]) });
    expect(f).toEqual({ userId: 'u' });
    expect(reported).toEqual([['useCaseId', 'useCaseVersion', 'useCaseStep']]);
  });

  test('clearing use-case fields with no use case in scope is not reported: there is nothing to clear', () => {
    const reported: string[][] = [];
    mergeFrame({}, { useCaseId: '', useCaseStep: null, useCaseProperties: {} }, { onIgnored: (fields) => reported.push([...fields]) });
    expect(reported).toEqual([]);
  });
});

describe('mergeFrame: logPromptAndResponse and proxy (rule 9)', () => {
  test('the child’s value is used when given, else the parent’s', () => {
    expect(mergeFrame(parent, { logPromptAndResponse: true, proxy: true })).toMatchObject({ logPromptAndResponse: true, proxy: true });
    expect(mergeFrame(parent, {})).toMatchObject({ logPromptAndResponse: false, proxy: false });
    expect(mergeFrame({}, {})).toEqual({});
  });
});

describe('mergeFrame: frames are immutable values', () => {
  test('the result is frozen, lists and property bags included, and neither input is changed', () => {
    const child: ScopeValues = { limitIds: ['x'], requestProperties: { p: 1 }, useCaseProperties: { q: 2 } };
    const childCopy = JSON.parse(JSON.stringify(child));
    const f = mergeFrame(parent, child);
    expect(Object.isFrozen(f)).toBe(true);
    expect(Object.isFrozen(f.limitIds)).toBe(true);
    expect(Object.isFrozen(f.requestProperties)).toBe(true);
    expect(Object.isFrozen(f.useCaseProperties)).toBe(true);
    expect(child).toEqual(childCopy);
    expect(parent.limitIds).toEqual(['daily', 'team']);
    expect(() => (f.limitIds as string[]).push('y')).toThrow(TypeError);
  });
});
