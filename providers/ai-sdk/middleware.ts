import { runRecordedByFramework } from '../../src/context/suppress';
import { getRuntime } from '../../src/instrument';
import { safeExecute } from '../../src/internal/logger';
import { AiSdkModelCall } from './outcome';
import { aiSdkTarget } from './category';
import type { AiSdkGenerateResult, AiSdkStreamResult } from './types';

/** The model a middleware hook is given (the fields read). */
interface ModelIds {
  provider?: string;
  modelId?: string;
}

/**
 * An AI SDK language-model middleware (structurally `LanguageModelV4Middleware` of `ai` 7), as
 * returned by {@link payiMiddleware}.
 */
export interface PayiLanguageModelMiddleware {
  readonly specificationVersion: 'v4';
  transformParams(options: { type: 'generate' | 'stream'; params: any; model: ModelIds }): Promise<any>;
  wrapGenerate(options: { doGenerate: () => PromiseLike<any>; params: any; model: ModelIds }): Promise<any>;
  wrapStream(options: { doStream: () => PromiseLike<any>; params: any; model: ModelIds }): Promise<any>;
}

/**
 * A language-model middleware that records every call of the wrapped model (one event per
 * `doGenerate` / `doStream`, attributed to the caller's `@Track` / `trackContext` scope) and, in
 * proxy mode, adds the frame's `xProxy-*` headers to the request. For explicit use, for calls made
 * with `telemetry: { isEnabled: false }` or their own `telemetry.integrations`, and for proxy mode.
 * With `payiInstrument()`'s telemetry integration also active, each call still gives one event.
 * Does nothing before `payiInstrument()`.
 *
 * @example
 * ```ts
 * import { wrapLanguageModel, generateText } from 'ai';
 * import { openai } from '@ai-sdk/openai';
 * import { payiMiddleware } from 'payi-instrument';
 * const model = wrapLanguageModel({ model: openai('gpt-4o-mini'), middleware: payiMiddleware() });
 * const { text } = await generateText({ model, prompt: 'Hello' });
 * ```
 */
export function payiMiddleware(): PayiLanguageModelMiddleware {
  return {
    specificationVersion: 'v4',

    async transformParams({ params, model }) {
      return safeExecute(
        'adding proxy headers to an AI SDK call',
        () => {
          const hub = getRuntime()?.hub;
          const recorder = hub?.beginCall(aiSdkTarget(model.provider, model.modelId).category, undefined);
          if (!recorder?.proxy) return params;
          return { ...params, headers: { ...(params?.headers ?? {}), ...recorder.proxyHeaders() } };
        },
        params,
      );
    },

    async wrapGenerate({ doGenerate, model }) {
      const call = begin(model);
      if (!call) return await doGenerate();
      call.assertNotBlocked();
      let result: AiSdkGenerateResult;
      try {
        result = await runRecordedByFramework(() => doGenerate());
      } catch (err) {
        call.fail(err);
        throw err;
      }
      call.finishGenerate(result ?? {});
      return result;
    },

    async wrapStream({ doStream, model }) {
      const call = begin(model);
      if (!call) return await doStream();
      call.assertNotBlocked();
      let result: AiSdkStreamResult;
      try {
        result = await runRecordedByFramework(() => doStream());
      } catch (err) {
        call.fail(err);
        throw err;
      }
      return safeExecute('observing an AI SDK stream', () => call.observeStream(result), result);
    },
  };
}

function begin(model: ModelIds): AiSdkModelCall | undefined {
  const hub = getRuntime()?.hub;
  return hub ? AiSdkModelCall.begin(hub, model?.provider, model?.modelId) : undefined;
}
