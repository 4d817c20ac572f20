/**
 * payi-instrument: cost attribution for generative-AI calls. See README.md.
 * @packageDocumentation
 */
import 'reflect-metadata';

export { payiInstrument, shutdown, flush, ingestStats } from './instrument';
export { payiMiddleware, type PayiLanguageModelMiddleware } from '../providers/ai-sdk/middleware';
export { Track, Ingest, Proxy, PayiProxy, getTrackMetadata } from '../decorators';
export { track, trackContext, getContext } from './context/scope';
export { createHeaders, type CreateHeadersOptions } from './headers/create-headers';
export { PayiHeaderNames, PayiCategories, PayiPropertyNames, type PayiHeaderName, type PayiCategory } from './headers/names';
export { Payi } from './client';
export type { PayiClientOptions, RequestOptions, BulkIngestResponse, BulkItemError, IndexApiError, ApiError, UseCaseDefinition, UseCaseKpi, PayiLimit, UseCaseDefinitionCreate, UseCaseDefinitionUpdate, KpiScoreIncrement, KpiDefine, LimitCreate, LimitUpdate, LimitListQuery, LimitResponse, LimitHistoryResponse, DefaultResponse, CursorPage, UseCaseInstance, KpiScore, KpiType } from './client';
export { replaySpillFile, type ReplayOptions, type ReplayResult } from './delivery/replay';
export { PayiError, PayiConfigError, PayiLimitBlockedError, PayiApiError, PayiIngestError } from './errors';

export type { TrackOptions, CallInfo, OptionValue, PayiContext, Properties, PropertyValue } from './context/types';
export type { PayiInstrumentOptions, IngestOptions, InstrumentName, IngestClient, BulkIngestResult, OtelOptions, OtlpOptions } from './options/types';
export type { PayiEvent, Units, UnitCount, FunctionCall, HeaderPair, XproxyResult, LimitStateName } from './events/types';
export type { IngestStats, IngestCounters } from './delivery/types';
export type { EventSink, MeasuredEvent, SinkOutcome, SinkSendContext } from './delivery/sink';
export type { PayiLogger } from './internal/logger';
