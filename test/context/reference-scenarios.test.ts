/**
 * The reference scenarios A, B and D of reference-python.md §2.8, translated to track() and
 * trackContext() (scenario C, per-call headers, is in test/headers/attribution.test.ts). Where
 * the contract decides differently from the Python SDK, the test asserts the contract and says so.
 */
import * as path from 'node:path';
import pino from 'pino';
import { getContext, resetScopeWarnings, track, trackContext } from '../../src/context/scope';
import { currentFrame, inScope } from '../../src/context/store';
import type { Frame } from '../../src/context/types';
import { buildEvent } from '../../src/events/build';
import { resolveAttribution } from '../../src/headers/attribution';
import { payiInstrument, shutdown } from '../../src/instrument';
import { collectingLogger, UUID_V4 } from './support';

/** The event a provider call made with `frame` would send (the ingest packet of the scenarios). */
const packet = (frame: Frame | undefined) =>
  buildEvent(
    { category: 'system.openai', resource: 'gpt-4o', units: { text: { input: 1, output: 1 } }, startedAt: new Date(0), endToEndLatencyMs: 5, responseId: 'chatcmpl-1', properties: { 'system.stream_outcome': 'completed' } },
    resolveAttribution(frame ?? {}, undefined).attribution,
  );

afterEach(async () => {
  await shutdown();
  resetScopeWarnings();
});

describe('A. no global frame (globalInstrumentation: false)', () => {
  let log: ReturnType<typeof collectingLogger>;
  beforeEach(() => {
    log = collectingLogger();
    payiInstrument({ globalInstrumentation: false, logger: log.logger });
  });

  const outer = { useCaseName: 'uc1', userId: 'u1', limitIds: ['L1', 'L2'], requestProperties: { a: 1, b: 2 }, useCaseProperties: { p: 'x' } };

  test('A1: outside every scope there is no frame, so a provider call is not instrumented', () => {
    expect(currentFrame()).toBeUndefined();
    expect(inScope()).toBe(false);
    expect(getContext()).toEqual({});
  });

  test('A2: a scope with name, user, limits and properties gives exactly those, with a new id', () => {
    expect(trackContext(outer, getContext)).toEqual({ ...outer, useCaseId: expect.stringMatching(UUID_V4) });
  });

  test('A3: a nested scope inherits the use case, unions limits (contract: in order), merges properties, and the packet carries them', () => {
    trackContext(outer, () => {
      const u1 = getContext().useCaseId;
      const inner = trackContext({ limitIds: ['L3', 'L1'], requestProperties: { b: 20, c: 3 }, useCaseStep: 's1' }, getContext);
      // Python gives the set {L1,L2,L3} in arbitrary order; the contract's union is ordered: parent's first.
      expect(inner).toEqual({
        useCaseName: 'uc1',
        useCaseId: u1,
        useCaseStep: 's1',
        limitIds: ['L1', 'L2', 'L3'],
        requestProperties: { a: 1, b: 20, c: 3 },
        useCaseProperties: { p: 'x' },
        userId: 'u1',
      });
      expect(packet(inner)).toMatchObject({
        use_case_name: 'uc1',
        use_case_id: u1,
        use_case_step: 's1',
        limit_ids: ['L1', 'L2', 'L3'],
        user_id: 'u1',
        properties: { a: '1', b: '20', c: '3', 'system.stream_outcome': 'completed' },
        use_case_properties: { p: 'x' },
      });
    });
  });

  test('A4: the same name with a version keeps the id and sets the version', () => {
    trackContext(outer, () => {
      const u1 = getContext().useCaseId;
      expect(trackContext({ useCaseName: 'uc1', useCaseVersion: 2 }, getContext)).toMatchObject({ useCaseId: u1, useCaseVersion: 2 });
    });
  });

  test('A5: a different name gets a new id and keeps the outer user, limits and properties (contract: not the use-case properties)', () => {
    trackContext(outer, () => {
      const u1 = getContext().useCaseId;
      const inner = trackContext({ useCaseName: 'uc2' }, getContext);
      expect(inner.useCaseId).toMatch(UUID_V4);
      expect(inner.useCaseId).not.toBe(u1);
      expect(inner).toMatchObject({ useCaseName: 'uc2', userId: 'u1', limitIds: ['L1', 'L2'], requestProperties: { a: 1, b: 2 } });
      // Python carries {p: x} across the name change; the contract starts the new use case clean.
      expect(inner).not.toHaveProperty('useCaseProperties');
    });
  });

  test('A6: empty name, user, limits and properties clear everything; the packet has only system properties', () => {
    trackContext(outer, () => {
      const cleared = trackContext({ useCaseName: '', userId: '', limitIds: [], requestProperties: {} }, getContext);
      expect(cleared).toEqual({});
      const e = packet(cleared);
      for (const key of ['use_case_name', 'use_case_id', 'user_id', 'limit_ids', 'use_case_properties']) expect(e).not.toHaveProperty(key);
      expect(e.properties).toEqual({ 'system.stream_outcome': 'completed', 'system.usage_source': 'reported' });
    });
  });

  test('A7: an id alone under a named scope replaces the id and keeps the name', () => {
    trackContext(outer, () => {
      expect(trackContext({ useCaseId: 'forced-id' }, getContext)).toMatchObject({ useCaseName: 'uc1', useCaseId: 'forced-id' });
    });
  });

  test('A8: an id, step and version with no name anywhere give {} (ignored, with a one-time warning)', () => {
    expect(trackContext({ useCaseId: 'orphan', useCaseStep: 's', useCaseVersion: 3 }, getContext)).toEqual({});
    expect(log.at('warn')).toEqual([expect.stringContaining('useCaseId, useCaseVersion, useCaseStep given with no useCaseName in scope')]);
  });
});

describe('B. a global configuration', () => {
  const config = { useCaseName: 'app', limitIds: ['G'], userId: 'gu', accountName: 'acct', requestProperties: { env: 'prod' }, useCaseProperties: { tier: 'gold' } };
  beforeEach(() => payiInstrument({ ...config, logger: pino({ level: 'silent' }) }));

  test('B1: the global frame is app with a random id and the configured values; a bare call carries all of them', () => {
    const g = getContext();
    expect(g).toEqual({ ...config, useCaseId: expect.stringMatching(UUID_V4), proxy: false });
    expect(packet(currentFrame())).toMatchObject({ use_case_name: 'app', use_case_id: g.useCaseId, limit_ids: ['G'], user_id: 'gu', account_name: 'acct', use_case_properties: { tier: 'gold' } });
  });

  test('B2: the same name keeps the global id; user innermost; limits unioned', () => {
    const g0 = getContext().useCaseId;
    const ctx = track({ useCaseName: 'app', userId: 'du', limitIds: ['D'] }, getContext)();
    expect(ctx).toMatchObject({ useCaseName: 'app', useCaseId: g0, userId: 'du', limitIds: ['G', 'D'], useCaseProperties: { tier: 'gold' } });
  });

  test('B3: another name gets a new id and its version; user, limits and request properties inherited (contract: not the use-case properties)', () => {
    const g0 = getContext().useCaseId;
    const ctx = track({ useCaseName: 'other', useCaseVersion: 7 }, getContext)();
    expect(ctx).toMatchObject({ useCaseName: 'other', useCaseVersion: 7, userId: 'gu', limitIds: ['G'], requestProperties: { env: 'prod' } });
    expect(ctx.useCaseId).toMatch(UUID_V4);
    expect(ctx.useCaseId).not.toBe(g0);
    // Python inherits {tier: gold} across the name change; the contract does not.
    expect(ctx).not.toHaveProperty('useCaseProperties');
  });

  test('B4: a step set on the global use case is not carried into another use case (contract differs from Python)', () => {
    const inner = trackContext({ useCaseStep: 'step-1', useCaseVersion: 4 }, () => {
      expect(getContext()).toMatchObject({ useCaseName: 'app', useCaseStep: 'step-1', useCaseVersion: 4 });
      return track({ useCaseName: 'other', useCaseVersion: 7 }, getContext)();
    });
    expect(inner).toMatchObject({ useCaseName: 'other', useCaseVersion: 7 });
    // Python gives step "step-1" here (inherited across the name change).
    expect(inner).not.toHaveProperty('useCaseStep');
  });

  test('B5: an empty track() is a pure copy of its parent', () => {
    const parent = getContext();
    expect(track({}, getContext)()).toEqual(parent);
    trackContext({ useCaseName: 'x', userId: 'y' }, () => {
      const p = getContext();
      expect(track({}, getContext)()).toEqual(p);
    });
  });

  test('B6: without useCaseName the global use case is the entry script’s name with a random id; null means none', async () => {
    await shutdown();
    payiInstrument({ limitIds: ['G'], logger: pino({ level: 'silent' }) });
    const stem = path.basename(process.argv[1] ?? '').replace(/\.[^.]+$/, '').toLowerCase();
    expect(getContext()).toMatchObject({ useCaseName: stem, useCaseId: expect.stringMatching(UUID_V4) });
    await shutdown();
    payiInstrument({ useCaseName: null, limitIds: ['G'], logger: pino({ level: 'silent' }) });
    expect(getContext()).toEqual({ limitIds: ['G'], proxy: false });
  });
});

describe('D. use-case details across nesting', () => {
  const outer = { useCaseName: 'uc1', useCaseVersion: 5, useCaseStep: 's', useCaseProperties: { k: 'v' }, priceAsCategory: 'c1', resourceScope: 'global', logPromptAndResponse: false };

  test('D1: another name keeps price-as, scope and logging (contract: not version, step or use-case properties)', () => {
    trackContext(outer, () => {
      const inner = trackContext({ useCaseName: 'uc2' }, getContext);
      expect(inner).toEqual({ useCaseName: 'uc2', useCaseId: expect.stringMatching(UUID_V4), priceAsCategory: 'c1', resourceScope: 'global', logPromptAndResponse: false });
      // Python: version 5, step s, ucprops {k: v} carried over.
    });
  });

  test('D2: the same name with an empty id has no id', () => {
    trackContext(outer, () => {
      const inner = trackContext({ useCaseName: 'uc1', useCaseId: '' }, getContext);
      expect(inner).not.toHaveProperty('useCaseId');
      expect(inner).toMatchObject({ useCaseName: 'uc1', useCaseVersion: 5, useCaseStep: 's' });
    });
  });

  test('D3: a null property value is kept, an empty price-as category clears, and an inner true turns logging back on', () => {
    trackContext(outer, () => {
      const inner = trackContext({ useCaseProperties: { k: null, n: 1 }, priceAsCategory: '', logPromptAndResponse: true }, getContext);
      expect(inner.useCaseProperties).toEqual({ k: null, n: 1 });
      expect(inner).not.toHaveProperty('priceAsCategory');
      expect(inner.logPromptAndResponse).toBe(true);
      expect(resolveAttribution(inner, undefined).attribution.logPromptAndResponse).toBe(true);
      expect(resolveAttribution(getContext(), undefined).attribution.logPromptAndResponse).toBe(false);
      expect(packet(inner).use_case_properties).toEqual({ k: null, n: '1' });
    });
  });
});
