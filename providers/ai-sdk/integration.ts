import { PayiPropertyNames } from '../../src/headers/names';
import { safeExecute } from '../../src/internal/logger';
import { runRecordedByFramework } from '../../src/context/suppress';
import type { InstrumentationHub } from '../../src/recording/types';
import { AiSdkModelCall } from './outcome';
import { aiSdkTarget } from './category';
import type { AiSdkGenerateResult, AiSdkStreamResult } from './types';
import type { AiSdkUsage } from './units';
import { aiSdkEmbeddingUnits } from './units';

/** The `name` the payi integration carries in the AI SDK's integration list. */
export const PAYI_TELEMETRY_NAME = 'payi-instrument';

/** The AI SDK telemetry events this integration reads (the fields read). */
interface Ev {
  callId?: string;
  operationId?: string;
  embedCallId?: string;
  provider?: string;
  modelId?: string;
  headers?: Record<string, string | undefined>;
  usage?: AiSdkUsage & { tokens?: number };
  response?: { id?: string; modelId?: string; headers?: Record<string, string | undefined> };
  error?: unknown;
}

/**
 * The telemetry integration `payiInstrument()` registers with the AI SDK (v7's
 * `registerTelemetry`, i.e. `globalThis.AI_SDK_TELEMETRY_INTEGRATIONS`). Structurally an AI SDK
 * `Telemetry`; nothing here needs OpenTelemetry.
 */
export interface PayiAiSdkTelemetry {
  /** `payi-instrument`: tells this integration apart in the AI SDK's list. */
  readonly name: string;
  onStart(event: Ev): void;
  executeLanguageModelCall<T>(options: Ev & { execute: () => PromiseLike<T> }): Promise<T>;
  onObjectStepStart(event: Ev): void;
  onObjectStepEnd(event: Ev): void;
  onEmbedStart(event: Ev): void;
  onEmbedEnd(event: Ev): void;
  onAbort(event: Ev): void;
  onError(event: unknown): void;
  onEnd(event: Ev): void;
}

/**
 * Builds the integration over `hub`:
 * - every language-model call (`executeLanguageModelCall`: each step of `generateText` /
 *   `streamText`, each retry) is recorded from the model's own result (raw provider usage,
 *   response id and headers, tool calls) or its stream; provider SDK calls made inside it are not
 *   recorded again;
 * - `generateObject` / `streamObject` steps from `onObjectStepStart` / `onObjectStepEnd`, and each
 *   `doEmbed` of `embed` / `embedMany` from `onEmbedStart` / `onEmbedEnd`; failures from `onError`;
 * - in proxy mode, `onStart` adds the frame's `xProxy-*` headers to the operation's request headers.
 * The scope is the caller's: the AI SDK runs these hooks in the caller's async context.
 */
export function createPayiTelemetry(hub: InstrumentationHub): PayiAiSdkTelemetry {
  const objects = new Map<string, AiSdkModelCall>();
  const embeds = new Map<string, { callId: string | undefined; call: AiSdkModelCall }>();
  const streams = new Map<string, AiSdkModelCall>();
  // callIds of `streamObject` operations: their step ends when the object stream has completed
  const objectStreams = new Set<string>();

  const failPending = (callId: string | undefined, error: unknown): void => {
    if (!callId) return;
    objects.get(callId)?.fail(error);
    objects.delete(callId);
    for (const [key, pending] of embeds) {
      if (pending.callId !== callId) continue;
      pending.call.fail(error);
      embeds.delete(key);
    }
  };

  return {
    name: PAYI_TELEMETRY_NAME,

    onStart(event) {
      if (event.operationId === 'ai.streamObject' && event.callId) objectStreams.add(event.callId);
      safeExecute(
        'adding proxy headers to an AI SDK call',
        () => {
          if (!event.headers || typeof event.headers !== 'object') return;
          const recorder = hub.beginCall(aiSdkTarget(event.provider, event.modelId).category, undefined);
          // the AI SDK passes this same headers object to every model call of the operation
          if (recorder?.proxy) Object.assign(event.headers, recorder.proxyHeaders());
        },
        undefined,
      );
    },

    async executeLanguageModelCall({ execute, callId, provider, modelId }) {
      const call = AiSdkModelCall.begin(hub, provider, modelId);
      if (!call) return await execute();
      call.assertNotBlocked();
      let result: unknown;
      try {
        result = await runRecordedByFramework(() => execute());
      } catch (err) {
        call.fail(err);
        throw err;
      }
      safeExecute(
        'observing an AI SDK model result',
        () => {
          const r = result as Partial<AiSdkStreamResult> & AiSdkGenerateResult;
          if (r && typeof r === 'object' && r.stream && typeof r.stream === 'object') {
            call.observeStream(r as AiSdkStreamResult);
            if (callId) streams.set(callId, call);
          } else call.finishGenerate(r ?? {});
        },
        undefined,
      );
      return result as never;
    },

    onObjectStepStart(event) {
      if (!event.callId) return;
      const call = AiSdkModelCall.begin(hub, event.provider, event.modelId);
      if (call) objects.set(event.callId, call);
    },

    onObjectStepEnd(event) {
      if (!event.callId) return;
      const call = objects.get(event.callId);
      objects.delete(event.callId);
      const values: Parameters<AiSdkModelCall['finishFrom']>[0] = {};
      if (event.response?.modelId ?? event.modelId) values.modelId = event.response?.modelId ?? event.modelId;
      if (event.usage) values.usage = event.usage;
      if (event.response?.id) values.responseId = event.response.id;
      if (event.response?.headers) values.headers = event.response.headers;
      if (objectStreams.delete(event.callId)) values.properties = { [PayiPropertyNames.streamOutcome]: 'completed' };
      call?.finishFrom(values);
    },

    onEmbedStart(event) {
      const key = event.embedCallId ?? event.callId;
      if (!key) return;
      const call = AiSdkModelCall.begin(hub, event.provider, event.modelId);
      if (call) embeds.set(key, { callId: event.callId, call });
    },

    onEmbedEnd(event) {
      const key = event.embedCallId ?? event.callId;
      if (!key) return;
      const pending = embeds.get(key);
      embeds.delete(key);
      const values: Parameters<AiSdkModelCall['finishFrom']>[0] = {};
      if (event.modelId) values.modelId = event.modelId;
      pending?.call.finishFrom(values, aiSdkEmbeddingUnits(event.usage));
    },

    onAbort(event) {
      if (!event.callId) return;
      streams.get(event.callId)?.abandon();
      streams.delete(event.callId);
    },

    onError(event) {
      const e = (event ?? {}) as Ev;
      failPending(e.callId, e.error);
      if (e.callId) objectStreams.delete(e.callId);
    },

    onEnd(event) {
      if (!event.callId) return;
      streams.delete(event.callId);
      objectStreams.delete(event.callId);
      objects.delete(event.callId);
    },
  };
}
