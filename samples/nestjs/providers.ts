import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { GoogleGenAI } from '@google/genai';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import OpenAI from 'openai';

/** Where the sample's provider clients point (the local stand-in in the demo and tests). */
export interface SampleEndpoints {
  /** e.g. `http://127.0.0.1:4010/v1` */
  openaiBaseUrl: string;
  /** e.g. `http://127.0.0.1:4010` */
  anthropicBaseUrl: string;
  /** e.g. `http://127.0.0.1:4010` */
  bedrockEndpoint: string;
  /** e.g. `http://127.0.0.1:4010` (the Gemini API; optional: without it the Gemini route uses Google's) */
  geminiBaseUrl?: string;
}

/** Injection tokens of the provider clients. */
export const OPENAI = Symbol('OPENAI');
export const ANTHROPIC = Symbol('ANTHROPIC');
export const BEDROCK = Symbol('BEDROCK');
export const GEMINI = Symbol('GEMINI');

/** Nest providers for the four clients, created the ordinary way an application would. */
export function providerClients(e: SampleEndpoints) {
  return [
    { provide: OPENAI, useFactory: () => new OpenAI({ apiKey: 'sk-sample', baseURL: e.openaiBaseUrl, maxRetries: 0 }) },
    { provide: ANTHROPIC, useFactory: () => new Anthropic({ apiKey: 'sk-ant-sample', baseURL: e.anthropicBaseUrl, maxRetries: 0 }) },
    { provide: GEMINI, useFactory: () => new GoogleGenAI({ apiKey: 'gm-sample', ...(e.geminiBaseUrl ? { httpOptions: { baseUrl: e.geminiBaseUrl } } : {}) }) },
    {
      provide: BEDROCK,
      useFactory: () =>
        new BedrockRuntimeClient({
          region: 'us-east-1',
          endpoint: e.bedrockEndpoint,
          credentials: { accessKeyId: 'AKIDSAMPLE', secretAccessKey: 'sample' },
          maxAttempts: 1,
          // the local stand-in speaks HTTP/1.1; the Bedrock client would otherwise use HTTP/2
          requestHandler: new NodeHttpHandler(),
        }),
    },
  ];
}
