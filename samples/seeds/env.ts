import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';

/**
 * Provider clients for the samples, created as an application would. The endpoints come from the
 * environment (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`, `GOOGLE_GEMINI_BASE_URL`), so the samples run against the local
 * stand-in in the demo and tests, and against the real APIs with real keys.
 */
export function sampleOpenAI(): OpenAI {
  return new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? 'sk-sample', baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 });
}

/** See {@link sampleOpenAI}. */
export function sampleAnthropic(): Anthropic {
  return new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY ?? 'sk-ant-sample', baseURL: process.env.ANTHROPIC_BASE_URL, maxRetries: 0 });
}

/** See {@link sampleOpenAI}: a Gemini API client (`GEMINI_API_KEY`, `GOOGLE_GEMINI_BASE_URL`). */
export function sampleGemini(): GoogleGenAI {
  const baseUrl = process.env.GOOGLE_GEMINI_BASE_URL;
  return new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY ?? 'gm-sample', ...(baseUrl ? { httpOptions: { baseUrl } } : {}) });
}

/** Runs `main` when the file is executed directly, printing what it returns; exits 1 on failure. */
export function runIfMain(mod: NodeJS.Module, main: () => Promise<unknown>): void {
  if (require.main !== mod) return;
  main().then(
    (out) => console.log(JSON.stringify(out, null, 2)),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
