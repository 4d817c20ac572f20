/** The wire in one place: the attribution table, header encodings, the spec's shapes and the event mapping. */
export * from './fields';
export * from './encode';
export * from './types';
export * from './ingest';
export * from './answers';
export * from './resources';
export * from './limits';
