/**
 * A request handler for the AWS SDK's Bedrock runtime client that answers from memory, the
 * counterpart of `memory-fetch.ts` for the in-process benchmark: Converse as JSON and
 * ConverseStream as AWS event-stream binary frames (encoded once with `@smithy/eventstream-codec`,
 * as the real service sends them), each answer's body a fresh Node stream of the same bytes. The
 * client signs every request and parses every answer as it would over the network; no socket is
 * involved.
 */
import { Readable } from 'node:stream';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { bedrockConverse, bedrockConverseStreamEvents, bedrockHeaders } from './fixtures';

/** The part of the AWS SDK's request the handler reads. */
interface AwsRequest {
  path: string;
}

/** What the AWS SDK's `requestHandler.handle` resolves to (the shape of `@smithy/protocol-http`'s `HttpResponse`). */
interface AwsAnswer {
  response: { statusCode: number; reason?: string; headers: Record<string, string>; body: Readable };
}

/** The frames of a ConverseStream answer, as the service sends them. */
export function bedrockStreamFrames(): Uint8Array[] {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  return bedrockConverseStreamEvents().map(([type, payload]) =>
    codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'event' },
        ':event-type': { type: 'string', value: type },
        ':content-type': { type: 'string', value: 'application/json' },
      },
      body: fromUtf8(JSON.stringify(payload)),
    }),
  );
}

/**
 * A `requestHandler` for `new BedrockRuntimeClient({ requestHandler })`: `/model/{id}/converse`
 * answers JSON, `/model/{id}/converse-stream` the event stream.
 *
 * @example
 * ```ts
 * const client = new BedrockRuntimeClient({ region: 'us-east-1', credentials, requestHandler: memoryBedrockHandler() });
 * ```
 */
export function memoryBedrockHandler(): { handle(request: AwsRequest): Promise<AwsAnswer> } {
  let n = 0;
  const json = Buffer.from(bedrockConverse());
  const frames = bedrockStreamFrames();
  return {
    async handle(request: AwsRequest): Promise<AwsAnswer> {
      const stream = request.path.endsWith('/converse-stream');
      const headers = bedrockHeaders(`req-bench-${++n}`, stream);
      const body = stream ? Readable.from(frames, { objectMode: false }) : Readable.from([json], { objectMode: false });
      return { response: { statusCode: 200, reason: 'OK', headers, body } };
    },
  };
}
