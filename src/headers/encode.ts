/**
 * Properties header encodings (base64 of compact UTF-8 JSON), kept here for existing imports; the
 * one implementation is `src/wire/encode.ts`, shared with the collector.
 */
export { encodePropertiesHeader, decodePropertiesHeader, stringifyProperties } from '../wire/encode';
