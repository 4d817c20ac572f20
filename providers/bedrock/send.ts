import type { XproxyResult } from '../../src/events/types';
import { safeExecute } from '../../src/internal/logger';
import type { AdapterOutcome, CallRecorder } from '../../src/recording/recorder';
import type { InstrumentationHub } from '../../src/recording/types';
import { ensureMiddleware, runWithCallState } from './middleware';
import { converseOutcome, errorOutcome, invokeOutcome, streamOutcome } from './outcome';
import { observeStream } from './stream';
import { ConverseStreamAccumulator, InvokeStreamAccumulator } from './stream-state';
import type { BedrockClientLike, BedrockCommandKind, BedrockCommandLike, CallState } from './types';

/** The category of every Bedrock event. */
export const BEDROCK_CATEGORY = 'system.aws.bedrock';

type Obj = Record<string, any>;
type Send = (this: BedrockClientLike, command: unknown, optionsOrCb?: unknown, cb?: unknown) => unknown;

/**
 * Makes the replacement of `BedrockRuntimeClient.prototype.send`. Commands other than the four
 * instrumented ones, and calls outside any scope, go straight to the original. For the four, the
 * call's attribution is taken from the frame (the AWS SDK has no per-call headers), the adapter's
 * middleware is added to the client's stack, and the SDK's own result or error is returned. Any
 * fault of the adapter is logged and the call proceeds uninstrumented.
 *
 * @example
 * ```ts
 * proto.send = makeSend(hub, (self) => originalSend, commandKind);
 * ```
 */
export function makeSend(hub: InstrumentationHub, original: (self: BedrockClientLike) => Send, kindOf: (command: unknown) => BedrockCommandKind | undefined): Send {
  return function payiBedrockSend(this: BedrockClientLike, command: unknown, optionsOrCb?: unknown, cb?: unknown): unknown {
    const orig = original(this);
    const passThrough = (): unknown => orig.call(this, command, optionsOrCb, cb);
    const kind = safeExecute('identifying a Bedrock command', () => kindOf(command), undefined);
    if (!kind) return passThrough();
    const recorder = safeExecute('starting a Bedrock call', () => hub.beginCall(BEDROCK_CATEGORY, undefined), undefined);
    if (!recorder) return passThrough();
    const ready = safeExecute('adding the Bedrock middleware', () => (ensureMiddleware(this), true), false);
    if (!ready) return passThrough();
    const callback = typeof optionsOrCb === 'function' ? optionsOrCb : typeof cb === 'function' ? cb : undefined;
    const options = typeof optionsOrCb === 'function' ? undefined : optionsOrCb;
    const promise = run(hub, recorder, kind, command as BedrockCommandLike, () => orig.call(this, command, options) as Promise<Obj>);
    if (!callback) return promise;
    promise.then(
      (out) => callback(null, out),
      (err: unknown) => callback(err),
    );
    return undefined;
  };
}

async function run(hub: InstrumentationHub, recorder: CallRecorder, kind: BedrockCommandKind, command: BedrockCommandLike, call: () => Promise<Obj>): Promise<Obj> {
  recorder.assertNotBlocked();
  const state: CallState = recorder.proxy
    ? { recorder, kind, proxy: { baseUrl: hub.settings.baseUrl, ...(hub.settings.apiKey ? { apiKey: hub.settings.apiKey } : {}) } }
    : { recorder, kind };
  const input: Obj = command.input ?? {};
  recorder.noteRequest(input);
  let output: Obj;
  try {
    output = await runWithCallState(command.input, state, call);
  } catch (err) {
    if (!recorder.proxy) await finish(recorder, () => errorOutcome(state, input, err));
    throw err;
  }
  if (recorder.proxy) return output;
  return safeExecute('recording a Bedrock call', () => onOutput(recorder, state, input, output), output);
}

/** Hands the outcome over; inline mode waits for the service's answer. Never throws. */
async function finish(recorder: CallRecorder, build: () => AdapterOutcome): Promise<XproxyResult | undefined> {
  const outcome = safeExecute('building a Bedrock event', build, undefined);
  return outcome ? await recorder.finish(outcome) : undefined;
}

function onOutput(recorder: CallRecorder, state: CallState, input: Obj, output: Obj): Obj | Promise<Obj> {
  const family = recorder.attribution.priceAsResource || (typeof input.modelId === 'string' ? input.modelId : undefined);
  if (state.kind === 'ConverseStream' || state.kind === 'InvokeModelWithResponseStream') {
    const key = state.kind === 'ConverseStream' ? 'stream' : 'body';
    const source = output[key] as AsyncIterable<unknown> | undefined;
    if (!source || typeof source[Symbol.asyncIterator] !== 'function') return output;
    const acc = state.kind === 'ConverseStream' ? new ConverseStreamAccumulator() : new InvokeStreamAccumulator(family);
    output[key] = observeStream(source, {
      onEvent: (e) => {
        if (acc.add(e)) recorder.markFirstToken();
        recorder.noteChunk(e);
      },
      onEnd: (how, error) => void finish(recorder, () => streamOutcome(state, input, output, acc.summary(), how, error)),
    });
    return output;
  }
  const build = (): AdapterOutcome => (state.kind === 'Converse' ? converseOutcome(state, input, output) : invokeOutcome(state, input, output, family));
  return finish(recorder, build).then((result) => {
    if (result !== undefined) safeExecute('attaching xproxy_result', () => (output.xproxy_result = result), undefined);
    return output;
  });
}
