import 'reflect-metadata';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { payiInstrument } from 'payi-instrument';
import { AppModule } from './app.module';
import type { SampleEndpoints } from './providers';

/**
 * Creates and starts the NestJS sample on 127.0.0.1 (port 0 = a free port). Call
 * `payiInstrument()` before or after: provider clients are instrumented either way.
 *
 * @example
 * ```ts
 * payiInstrument({ baseUrl: collector.url });
 * const { app, url } = await startSampleApp({ openaiBaseUrl, anthropicBaseUrl, bedrockEndpoint });
 * await fetch(`${url}/chat/gpt`, { method: 'POST', headers: { 'x-user-id': 'alice', 'content-type': 'application/json' }, body: '{"prompt":"hi"}' });
 * await app.close(); // flushes Pay-i events through the shutdown hook
 * ```
 */
export async function startSampleApp(endpoints: SampleEndpoints, port = 0): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(AppModule.forEndpoints(endpoints), { logger: ['error'] });
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}

if (require.main === module) {
  // `node dist/samples/nestjs/main.js` with the endpoints in the environment.
  const env = process.env;
  payiInstrument({ useCaseName: 'nest_sample', ingest: { handleSignals: true } });
  void startSampleApp(
    {
      openaiBaseUrl: env.OPENAI_BASE_URL ?? 'http://127.0.0.1:4010/v1',
      anthropicBaseUrl: env.ANTHROPIC_BASE_URL ?? 'http://127.0.0.1:4010',
      bedrockEndpoint: env.BEDROCK_ENDPOINT ?? 'http://127.0.0.1:4010',
      geminiBaseUrl: env.GOOGLE_GEMINI_BASE_URL ?? 'http://127.0.0.1:4010',
    },
    Number(env.PORT ?? 3000),
  ).then(({ url }) => console.log(`sample listening on ${url}`));
}
