/**
 * Header encodings of contract §5, as the Pay-i proxy receives them: comma-joined lists, decimal
 * version, base64 of compact UTF-8 JSON for the two properties headers (non-ASCII included),
 * `xProxy-Logging-Disable: True`, and nothing empty on the wire. Plus createHeaders() for one call.
 */
import { toProxyHeaders, type Attribution } from '../../src/headers/attribution';
import { createHeaders } from '../../src/headers/create-headers';
import { decodePropertiesHeader, encodePropertiesHeader, stringifyProperties } from '../../src/headers/encode';
import { PayiHeaderNames as H } from '../../src/headers/names';
import { PayiConfigError } from '../../src/errors';

const b64json = (value: string): unknown => JSON.parse(Buffer.from(value, 'base64').toString('utf8'));

describe('toProxyHeaders', () => {
  test('every field becomes its xProxy-* header with the documented encoding', () => {
    const a: Attribution = {
      limitIds: ['daily', 'team'],
      requestTags: ['web', 'beta'],
      useCaseName: 'chat',
      useCaseId: '7b0c5a52-0d0f-4d1c-9a0e-1a2b3c4d5e6f',
      useCaseVersion: 12,
      useCaseStep: 'draft',
      useCaseProperties: { tier: 'gold' },
      userId: 'u1',
      accountName: 'acme',
      requestProperties: { a: '1' },
      priceAsCategory: 'system.openai',
      priceAsResource: 'gpt-4o',
      resourceScope: 'global',
      logPromptAndResponse: false,
    };
    expect(toProxyHeaders(a)).toEqual({
      'xProxy-Limit-IDs': 'daily,team',
      'xProxy-Request-Tags': 'web,beta',
      'xProxy-UseCase-Name': 'chat',
      'xProxy-UseCase-ID': '7b0c5a52-0d0f-4d1c-9a0e-1a2b3c4d5e6f',
      'xProxy-UseCase-Version': '12',
      'xProxy-UseCase-Step': 'draft',
      'xProxy-UseCase-Properties': 'eyJ0aWVyIjoiZ29sZCJ9',
      'xProxy-User-ID': 'u1',
      'xProxy-Account-Name': 'acme',
      'xProxy-Request-Properties': 'eyJhIjoiMSJ9', // the reference example: {"a":"1"}
      'xProxy-PriceAs-Category': 'system.openai',
      'xProxy-PriceAs-Resource': 'gpt-4o',
      'xProxy-Resource-Scope': 'global',
      'xProxy-Logging-Disable': 'True',
    });
  });

  test('version 0 is sent as "0"; logging allowed sends no Logging-Disable header', () => {
    expect(toProxyHeaders({ useCaseName: 'c', useCaseVersion: 0, logPromptAndResponse: true })).toEqual({
      'xProxy-UseCase-Name': 'c',
      'xProxy-UseCase-Version': '0',
    });
  });

  test('empty values are never sent', () => {
    const headers = toProxyHeaders({
      limitIds: [],
      requestTags: [],
      useCaseName: '',
      userId: '',
      requestProperties: {},
      useCaseProperties: {},
      logPromptAndResponse: true,
    });
    expect(headers).toEqual({});
  });

  test('properties are base64 of compact UTF-8 JSON, non-ASCII included, and decode back', () => {
    const props = { city: 'Zürich', greeting: 'こんにちは', emoji: '🚀', quote: 'a "b"' };
    const value = toProxyHeaders({ requestProperties: props, logPromptAndResponse: true })['xProxy-Request-Properties']!;
    expect(value).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(value, 'base64').toString('utf8')).toBe(JSON.stringify(props)); // compact: no spaces
    expect(Buffer.from(value, 'base64').toString('utf8')).not.toContain(': ');
    expect(decodePropertiesHeader(value)).toEqual(props);
  });
});

describe('encode helpers', () => {
  test('encodePropertiesHeader writes standard base64 with padding', () => {
    expect(encodePropertiesHeader({ a: '1' })).toBe('eyJhIjoiMSJ9');
    expect(encodePropertiesHeader({ ab: 'x' })).toBe('eyJhYiI6IngifQ==');
  });

  test('stringifyProperties turns values into strings, keeping null', () => {
    expect(stringifyProperties({ s: 'x', n: 1.5, b: false, z: null })).toEqual({ s: 'x', n: '1.5', b: 'false', z: null });
  });

  test('decodePropertiesHeader returns undefined for text that is not a JSON object', () => {
    expect(decodePropertiesHeader('not base64 json')).toBeUndefined();
    expect(decodePropertiesHeader(Buffer.from('[1,2]').toString('base64'))).toBeUndefined();
    expect(decodePropertiesHeader(Buffer.from('null').toString('base64'))).toBeUndefined();
  });
});

describe('createHeaders', () => {
  test('builds the headers of one call with the proxy encodings', () => {
    const headers = createHeaders({
      userId: 'user_123',
      accountName: 'acme',
      limitIds: ['budget_1', 'team_limit'],
      requestTags: ['chat'],
      useCaseName: 'support',
      useCaseId: 'ticket-9',
      useCaseVersion: 2,
      useCaseStep: 'triage',
      useCaseProperties: { tier: 'gold', seats: 5 },
      requestProperties: { région: 'Île-de-France' },
      priceAsCategory: 'system.openai',
      priceAsResource: 'gpt-4o-mini',
      resourceScope: 'datazone',
      logPromptAndResponse: false,
    });
    expect(headers).toEqual({
      [H.userId]: 'user_123',
      [H.accountName]: 'acme',
      [H.limitIds]: 'budget_1,team_limit',
      [H.requestTags]: 'chat',
      [H.useCaseName]: 'support',
      [H.useCaseId]: 'ticket-9',
      [H.useCaseVersion]: '2',
      [H.useCaseStep]: 'triage',
      [H.useCaseProperties]: expect.any(String),
      [H.requestProperties]: expect.any(String),
      [H.priceAsCategory]: 'system.openai',
      [H.priceAsResource]: 'gpt-4o-mini',
      [H.resourceScope]: 'datazone',
      [H.loggingDisable]: 'True',
    });
    expect(b64json(headers[H.useCaseProperties]!)).toEqual({ tier: 'gold', seats: '5' });
    expect(b64json(headers[H.requestProperties]!)).toEqual({ région: 'Île-de-France' });
  });

  test('fields left out (or undefined) produce no header at all', () => {
    expect(createHeaders({})).toEqual({});
    expect(createHeaders({ userId: undefined, limitIds: undefined, logPromptAndResponse: true })).toEqual({});
  });

  test('an explicitly empty field becomes an empty header, which clears that field on the call', () => {
    expect(createHeaders({ userId: '', limitIds: [], requestProperties: {} })).toEqual({
      [H.userId]: '',
      [H.limitIds]: '',
      [H.requestProperties]: '',
    });
  });

  test('invalid values throw PayiConfigError naming createHeaders, the field and the value', () => {
    expect(() => createHeaders({ useCaseName: 'bad name' })).toThrow(PayiConfigError);
    expect(() => createHeaders({ useCaseName: 'bad name' })).toThrow('createHeaders: useCaseName "bad name" has a space; use 1-64 of A-Z a-z 0-9 . - _');
    expect(() => createHeaders({ limitIds: 'daily' as never })).toThrow(/createHeaders: limitIds "daily" is not an array/);
    expect(() => createHeaders({ userId: 5 as never })).toThrow(/createHeaders: userId 5 is a number; expected a string/);
    expect(() => createHeaders({ userID: 'u' } as never)).toThrow(/createHeaders: unknown option "userID"/);
    expect(() => createHeaders({ proxy: true } as never)).toThrow(/createHeaders: unknown option "proxy"; expected one of .*limitIds, requestTags/);
    expect(() => createHeaders(null as never)).toThrow(/createHeaders: options null is not an object/);
  });
});
