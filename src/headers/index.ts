export { PayiHeaderNames, PayiCategories, PayiPropertyNames, type PayiHeaderName, type PayiCategory } from './names';
export { createHeaders, type CreateHeadersOptions } from './create-headers';
export { resolveAttribution, toProxyHeaders, headerEntries, isPayiHeader, type Attribution, type ResolvedCall, type HeaderInput } from './attribution';
export { encodePropertiesHeader, decodePropertiesHeader, stringifyProperties } from './encode';
