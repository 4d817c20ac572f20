import { ApiError } from '@google/genai';
import { shutdown } from '../../../src/instrument';
import { googleHarness, timing } from './support';

const h = googleHarness();
const MODEL = 'gemini-2.5-flash';
const contents = 'Hello';

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

test.each([400, 429, 500])('an HTTP %i reaches the caller as the same ApiError, and the event records its status and body', async (status) => {
  const config = { httpOptions: { headers: { 'x-standin-scenario': `error-${status}` } } };
  const error = await failure(h.gemini().models.generateContent({ model: MODEL, contents, config }));
  await shutdown();
  const raw = await failure(h.gemini().models.generateContent({ model: MODEL, contents, config }));
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toEqual(raw);
  expect((error as ApiError).status).toBe(status);
  expect(h.capture.events).toEqual([
    {
      category: 'system.google.vertex',
      resource: `google.${MODEL}`,
      units: {},
      ...timing,
      http_status_code: status,
      provider_response_id: expect.stringMatching(/^payi_/),
      provider_uri: h.standin.url,
      provider_request_json: JSON.stringify({ model: MODEL, contents }),
      provider_request_headers: [{ name: 'x-standin-scenario', value: `error-${status}` }],
      provider_response_json: (error as ApiError).message,
    },
  ]);
});

test('a connection error (nothing listening) is recorded as 299 with system.failure, and the caller gets the SDK error', async () => {
  const dead = h.gemini({ httpOptions: { baseUrl: 'http://127.0.0.1:9' } });
  const error = (await failure(dead.models.generateContent({ model: MODEL, contents }))) as Error;
  await shutdown();
  expect(h.capture.events).toEqual([
    expect.objectContaining({
      http_status_code: 299,
      units: {},
      properties: { 'system.failure': error.constructor.name, 'system.failure.description': error.message },
    }),
  ]);
});
