/**
 * The scope decorators, for TC39 standard decorators and legacy `experimentalDecorators` alike.
 * The polyfill comes first: `Symbol.metadata` must exist before any decorated class is defined.
 *
 * @example
 * ```ts
 * import { Track, getTrackMetadata } from 'payi-instrument';
 * ```
 */
import './polyfill';
import 'reflect-metadata';

export { Track } from './track';
export { Ingest } from './ingest';
export { Proxy, PayiProxy } from './proxy';
export { getTrackMetadata } from './metadata';
export type { PayiDecorator, ModeScopeOptions } from './types';
