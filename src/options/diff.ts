import { isDeepStrictEqual } from 'node:util';
import type { PayiInstrumentOptions } from './types';

/**
 * The options of `b` that differ from `a` (by deep equality; functions and clients by identity),
 * `ingest` compared field by field (`ingest.maxBatchSize`). Used to warn when a second
 * `payiInstrument()` is ignored.
 *
 * @example
 * ```ts
 * differingOptions({ useCaseName: 'a' }, { useCaseName: 'b', ingest: { maxBatchSize: 5 } }); // ['useCaseName', 'ingest.maxBatchSize']
 * ```
 */
export function differingOptions(a: PayiInstrumentOptions, b: PayiInstrumentOptions): string[] {
  const out: string[] = [];
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    if (key === 'ingest' && isPlain(ra.ingest ?? {}) && isPlain(rb.ingest ?? {})) {
      const ia = (ra.ingest ?? {}) as Record<string, unknown>;
      const ib = (rb.ingest ?? {}) as Record<string, unknown>;
      for (const k of new Set([...Object.keys(ia), ...Object.keys(ib)])) if (!isDeepStrictEqual(ia[k], ib[k])) out.push(`ingest.${k}`);
    } else if (!isDeepStrictEqual(ra[key], rb[key])) {
      out.push(key);
    }
  }
  return out;
}

const isPlain = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
