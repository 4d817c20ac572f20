/**
 * Seed "Day 3: Applying Use Cases with @track(use_case_name)", every scope example in TypeScript
 * with track()/trackContext() (which behave as @Track does).
 */
import * as path from 'node:path';
import pino from 'pino';
import { track, trackContext } from '../../src/context/scope';
import { payiInstrument, shutdown } from '../../src/instrument';
import { UUID_V4 } from '../context/support';
import { recordingLlm } from './support';

const defaultUseCase = path.basename(process.argv[1] ?? '').replace(/\.[^.]+$/, '').toLowerCase();

beforeEach(() => payiInstrument({ logger: pino({ level: 'silent' }) }));
afterEach(async () => {
  await shutdown();
});

test('basic usage: calls in get_chatbot_response go to "chatbot", in summarize_document to "document_summarizer", others to the default use case', async () => {
  const client = recordingLlm();
  const getChatbotResponse = track({ useCaseName: 'chatbot' }, async function getChatbotResponse(prompt: string) {
    return client.create(prompt);
  });
  const summarizeDocument = track({ useCaseName: 'document_summarizer' }, async function summarizeDocument(text: string) {
    return client.create(`Summarize the following text concisely: ${text}`);
  });

  await getChatbotResponse('Tell me about Pay-i instrumentation');
  await summarizeDocument('Pay-i is a comprehensive instrumentation platform for GenAI applications.');
  await client.create('an undecorated call');

  expect(client.calls.map((c) => c.event.use_case_name)).toEqual(['chatbot', 'document_summarizer', defaultUseCase]);
  expect(client.calls.map((c) => c.event.use_case_id)).toEqual([expect.stringMatching(UUID_V4), expect.stringMatching(UUID_V4), expect.stringMatching(UUID_V4)]);
  expect(new Set(client.calls.map((c) => c.event.use_case_id)).size).toBe(3);
});

test('the use case applies to calls made in sub-functions of the decorated function', async () => {
  const client = recordingLlm();
  const helper = async (prompt: string) => client.create(prompt);
  const workflow = track({ useCaseName: 'chatbot' }, async () => {
    await helper('step 1');
    await helper('step 2');
  });
  await workflow();
  expect(client.calls.map((c) => c.event.use_case_name)).toEqual(['chatbot', 'chatbot']);
  expect(client.calls[0]!.event.use_case_id).toBe(client.calls[1]!.event.use_case_id);
});

test('combining: @track for the static use case, track_context for the dynamic user id', async () => {
  const client = recordingLlm();
  const getPersonalizedResponse = track({ useCaseName: 'chatbot' }, async (prompt: string, userId: string) =>
    trackContext({ userId }, () => client.create(prompt)),
  );
  await getPersonalizedResponse('hi', 'user_1');
  await getPersonalizedResponse('hello', 'user_2');
  expect(client.calls.map((c) => [c.event.use_case_name, c.event.user_id])).toEqual([
    ['chatbot', 'user_1'],
    ['chatbot', 'user_2'],
  ]);
});

test('web application: each request’s user (Flask g.user.id) is attributed within the route’s use case, concurrent requests apart', async () => {
  const client = recordingLlm();
  // The request-local `g` of Flask: here, a per-request object handed down explicitly.
  const g = (id: string) => ({ user: { id } });
  const getChatbotResponse = track({ useCaseName: 'chatbot' }, async (req: { g: ReturnType<typeof g> }, prompt: string) =>
    trackContext({ userId: req.g.user.id }, () => client.create(prompt)),
  );
  const summarizeDocument = track({ useCaseName: 'document_summarizer' }, async (req: { g: ReturnType<typeof g> }, text: string) =>
    trackContext({ userId: req.g.user.id }, () => client.create(text)),
  );
  await Promise.all([
    getChatbotResponse({ g: g('alice') }, '/chat?prompt=hi'),
    summarizeDocument({ g: g('bob') }, '/summarize?document=doc'),
    getChatbotResponse({ g: g('carol') }, '/chat?prompt=yo'),
  ]);
  const seen = client.calls.map((c) => `${c.event.use_case_name}:${c.event.user_id}`).sort();
  expect(seen).toEqual(['chatbot:alice', 'chatbot:carol', 'document_summarizer:bob']);
});
