/**
 * Per-call headers against the frame (contract §3 "Per-call headers", §5): resolveAttribution.
 * A header given on the call beats the frame for its field with no merging; an empty header
 * clears; `xProxy-UseCase-Name` replaces the use-case group; `xProxy-Logging-Disable` turns prompt
 * logging off; properties headers are read as base64 JSON or raw JSON.
 */
import type { Frame } from '../../src/context/types';
import { headerEntries, isPayiHeader, resolveAttribution } from '../../src/headers/attribution';
import { createHeaders } from '../../src/headers/create-headers';
import { encodePropertiesHeader } from '../../src/headers/encode';
import { PayiHeaderNames as H } from '../../src/headers/names';

/** The context of reference scenario C (reference-python.md §2.8). */
const frame: Frame = Object.freeze({
  useCaseName: 'uc',
  useCaseId: 'ctx-id',
  useCaseStep: 'ctx-step',
  useCaseVersion: 3,
  userId: 'cu',
  accountName: 'ca',
  limitIds: ['L1'],
  requestTags: ['t1'],
  requestProperties: { a: 1 },
  useCaseProperties: { p: 1 },
  priceAsCategory: 'cat.ctx',
  priceAsResource: 'res.ctx',
  resourceScope: 'global',
});

const fromFrame = {
  useCaseName: 'uc',
  useCaseId: 'ctx-id',
  useCaseStep: 'ctx-step',
  useCaseVersion: 3,
  userId: 'cu',
  accountName: 'ca',
  limitIds: ['L1'],
  requestTags: ['t1'],
  requestProperties: { a: '1' },
  useCaseProperties: { p: '1' },
  priceAsCategory: 'cat.ctx',
  priceAsResource: 'res.ctx',
  resourceScope: 'global',
  logPromptAndResponse: true,
};

test('with no per-call headers the call gets the frame (property values as strings)', () => {
  expect(resolveAttribution(frame, undefined).attribution).toEqual(fromFrame);
  expect(resolveAttribution(frame, {}).hadPayiHeaders).toBe(false);
});

test('C1: headers for limits, user and properties replace the frame’s (no merging); other headers are kept for the provider', () => {
  const r = resolveAttribution(frame, {
    [H.limitIds]: 'X1,X2',
    [H.userId]: 'hu',
    [H.requestProperties]: '{"z":"9"}',
    'x-custom': 'keep',
  });
  expect(r.attribution).toEqual({ ...fromFrame, limitIds: ['X1', 'X2'], userId: 'hu', requestProperties: { z: '9' } });
  expect(r.otherHeaders).toEqual({ 'x-custom': 'keep' });
  expect(r.hadPayiHeaders).toBe(true);
});

test('C2: empty headers clear their fields; the use-case fields stay', () => {
  const r = resolveAttribution(frame, {
    [H.limitIds]: '',
    [H.requestTags]: '',
    [H.userId]: '',
    [H.accountName]: '',
    [H.requestProperties]: '',
    [H.useCaseProperties]: '',
  });
  const { limitIds: _l, requestTags: _t, userId: _u, accountName: _a, requestProperties: _r, useCaseProperties: _p, ...rest } = fromFrame;
  expect(r.attribution).toEqual(rest);
});

test('C3: an empty xProxy-UseCase-Name header clears the whole use-case group; the rest stays', () => {
  const a = resolveAttribution(frame, { [H.useCaseName]: '' }).attribution;
  for (const key of ['useCaseName', 'useCaseId', 'useCaseStep', 'useCaseVersion', 'useCaseProperties']) expect(a).not.toHaveProperty(key);
  expect(a).toMatchObject({ userId: 'cu', limitIds: ['L1'] });
});

test('C4: a xProxy-UseCase-Name header replaces the group: no id, step or version from the frame', () => {
  const a = resolveAttribution(frame, { [H.useCaseName]: 'hdr-uc' }).attribution;
  expect(a.useCaseName).toBe('hdr-uc');
  for (const key of ['useCaseId', 'useCaseStep', 'useCaseVersion', 'useCaseProperties']) expect(a).not.toHaveProperty(key);
  const full = resolveAttribution(frame, { [H.useCaseName]: 'hdr-uc', [H.useCaseId]: 'h-id', [H.useCaseVersion]: '8', [H.useCaseStep]: 'h-step' }).attribution;
  expect(full).toMatchObject({ useCaseName: 'hdr-uc', useCaseId: 'h-id', useCaseVersion: 8, useCaseStep: 'h-step' });
});

test('C5 (contract differs from the Python SDK): UseCase-ID and UseCase-Step headers beat the frame', () => {
  // Python lets the context overwrite these headers; the contract says a header always beats the frame.
  const a = resolveAttribution(frame, { [H.useCaseId]: 'hdr-id', [H.useCaseStep]: 'hdr-step', [H.useCaseVersion]: '4' }).attribution;
  expect(a).toMatchObject({ useCaseName: 'uc', useCaseId: 'hdr-id', useCaseStep: 'hdr-step', useCaseVersion: 4 });
});

test('C6: price-as headers beat the frame', () => {
  const a = resolveAttribution(frame, { [H.priceAsCategory]: 'cat.hdr', [H.priceAsResource]: 'res.hdr', [H.resourceScope]: 'region.us' }).attribution;
  expect(a).toMatchObject({ priceAsCategory: 'cat.hdr', priceAsResource: 'res.hdr', resourceScope: 'region.us' });
});

test('C7: xProxy-Logging-Disable turns prompt logging off for the call, whatever its value', () => {
  expect(resolveAttribution(frame, { [H.loggingDisable]: 'True' }).attribution.logPromptAndResponse).toBe(false);
  expect(resolveAttribution(frame, { [H.loggingDisable]: 'anything' }).attribution.logPromptAndResponse).toBe(false);
  expect(resolveAttribution(frame, { [H.loggingDisable]: null }).attribution.logPromptAndResponse).toBe(true);
});

test('prompt logging is off when the process switch is off or the frame says false, and a header cannot turn it on', () => {
  expect(resolveAttribution(frame, {}, false).attribution.logPromptAndResponse).toBe(false);
  expect(resolveAttribution({ ...frame, logPromptAndResponse: false }, {}).attribution.logPromptAndResponse).toBe(false);
  expect(resolveAttribution({ ...frame, logPromptAndResponse: true }, {}).attribution.logPromptAndResponse).toBe(true);
});

test('properties headers are read as base64 of JSON (what createHeaders writes) and as raw JSON', () => {
  const props = { team: 'søk', n: 2, ok: true, none: null };
  const b64 = resolveAttribution(frame, { [H.requestProperties]: encodePropertiesHeader(props) }).attribution;
  expect(b64.requestProperties).toEqual({ team: 'søk', n: '2', ok: 'true', none: null });
  const raw = resolveAttribution(frame, { [H.useCaseProperties]: ' {"k":"v","n":1}' }).attribution;
  expect(raw.useCaseProperties).toEqual({ k: 'v', n: '1' });
});

test('a properties header that is neither base64 JSON nor raw JSON replaces the frame’s properties with none, and does not throw', () => {
  const a = resolveAttribution(frame, { [H.requestProperties]: '%%% not json' }).attribution;
  expect(a).not.toHaveProperty('requestProperties');
  expect(resolveAttribution(frame, { [H.requestProperties]: '["a"]' }).attribution).not.toHaveProperty('requestProperties');
});

test('header names match in any case, and limit and tag lists are trimmed and de-duplicated', () => {
  const a = resolveAttribution(frame, { 'XPROXY-LIMIT-IDS': ' a , b,a,, ', 'xproxy-request-tags': 'x,x', 'xproxy-user-id': 'lower' }).attribution;
  expect(a).toMatchObject({ limitIds: ['a', 'b'], requestTags: ['x'], userId: 'lower' });
});

test('a malformed version header is ignored rather than read partly', () => {
  expect(resolveAttribution(frame, { [H.useCaseVersion]: '3abc' }).attribution).not.toHaveProperty('useCaseVersion');
  expect(resolveAttribution(frame, { [H.useCaseVersion]: '' }).attribution).not.toHaveProperty('useCaseVersion');
  expect(resolveAttribution(frame, { [H.useCaseVersion]: ' 12 ' }).attribution.useCaseVersion).toBe(12);
});

test('use-case headers with no use case name anywhere are dropped, like use-case options with no name in scope', () => {
  const a = resolveAttribution({ userId: 'u' }, { [H.useCaseId]: 'orphan', [H.useCaseStep]: 's' }).attribution;
  expect(a).toEqual({ userId: 'u', logPromptAndResponse: true });
});

test('createHeaders output round-trips through resolveAttribution', () => {
  const headers = createHeaders({
    userId: 'user_123',
    limitIds: ['budget_1', 'team_limit'],
    useCaseName: 'chat',
    useCaseVersion: 0,
    requestProperties: { region: 'Zürich' },
    logPromptAndResponse: false,
  });
  const a = resolveAttribution({ userId: 'decorator_user', limitIds: ['outer'] }, headers).attribution;
  expect(a).toEqual({
    userId: 'user_123',
    limitIds: ['budget_1', 'team_limit'],
    useCaseName: 'chat',
    useCaseVersion: 0,
    requestProperties: { region: 'Zürich' },
    logPromptAndResponse: false,
  });
});

describe('header inputs in every shape the provider SDKs accept', () => {
  test('a Headers object, an array of pairs and a plain object with array values all work', () => {
    expect(resolveAttribution(frame, new Headers({ [H.userId]: 'from-headers' })).attribution.userId).toBe('from-headers');
    expect(resolveAttribution(frame, [[H.userId, 'from-pairs']]).attribution.userId).toBe('from-pairs');
    expect([...headerEntries({ Accept: ['a', 'b'], Skip: undefined, Nul: null })]).toEqual([
      ['accept', 'a, b'],
      ['nul', null],
    ]);
  });

  test('null-valued non-Pay-i headers are not handed to the provider as strings', () => {
    expect(resolveAttribution(frame, { 'x-remove-me': null, 'x-keep': 'v' }).otherHeaders).toEqual({ 'x-keep': 'v' });
  });

  test('isPayiHeader recognises xProxy-* names in any case', () => {
    expect(isPayiHeader('xProxy-User-ID')).toBe(true);
    expect(isPayiHeader('XPROXY-api-key')).toBe(true);
    expect(isPayiHeader('x-proxy-user')).toBe(false);
  });
});
