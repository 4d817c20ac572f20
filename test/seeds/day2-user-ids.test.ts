/**
 * Seed "Day 2: Tracking Users with @ingest(user_id)": a user id on the decorator, a user id per
 * call with create_headers, and the per-call header taking precedence over the decorator.
 * @ingest is @Track with proxy: false; here track({ proxy: false, ... }).
 */
import pino from 'pino';
import { track } from '../../src/context/scope';
import { createHeaders } from '../../src/headers/create-headers';
import { payiInstrument, shutdown } from '../../src/instrument';
import { recordingLlm } from './support';

beforeEach(() => payiInstrument({ logger: pino({ level: 'silent' }) }));
afterEach(async () => {
  await shutdown();
});

test('user id from context: every call of the decorated function is attributed to that user', async () => {
  const client = recordingLlm();
  const getCurrentUserId = () => 'user_from_session';
  const myFunction = track({ proxy: false, userId: getCurrentUserId() }, (prompt: string) => client.create(prompt));
  await myFunction('Tell me a joke');
  await myFunction('Another one');
  expect(client.calls.map((c) => c.event.user_id)).toEqual(['user_from_session', 'user_from_session']);
  expect(client.calls.every((c) => !c.proxy)).toBe(true);
});

test('user id from function parameters: create_headers gives each call its own user', async () => {
  const client = recordingLlm();
  const getAiResponseForUser = (prompt: string, userId: string) => client.create(prompt, { headers: createHeaders({ userId }) });
  await getAiResponseForUser('Tell me a joke', 'user_123');
  await getAiResponseForUser("What's the weather?", 'user_456');
  expect(client.calls.map((c) => c.event.user_id)).toEqual(['user_123', 'user_456']);
  // the Pay-i headers are not passed on to the provider as ordinary request headers
  expect(client.calls.every((c) => c.event.provider_request_headers === undefined)).toBe(true);
});

test('a user id in both the decorator and the per-call headers: the per-call header wins', async () => {
  const client = recordingLlm();
  const getAiResponse = track({ proxy: false, userId: 'decorator_user' }, (prompt: string, userId?: string) =>
    client.create(prompt, userId ? { headers: createHeaders({ userId }) } : {}),
  );
  await getAiResponse('hi', 'header_user');
  await getAiResponse('hi');
  expect(client.calls.map((c) => c.event.user_id)).toEqual(['header_user', 'decorator_user']);
});

test('the Flask example: the route’s request user, read when the call runs, is attributed', async () => {
  const client = recordingLlm();
  const g: { user: { id: string } } = { user: { id: '' } };
  const getAiResponse = track({ proxy: false, userId: () => g.user.id }, (prompt: string) => client.create(prompt));
  const aiChat = async (userId: string, prompt: string) => {
    g.user.id = userId; // what the auth middleware does for the request
    return getAiResponse(prompt);
  };
  await aiChat('alice', 'hi');
  await aiChat('bob', 'hello');
  expect(client.calls.map((c) => c.event.user_id)).toEqual(['alice', 'bob']);
});
