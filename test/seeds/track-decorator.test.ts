/**
 * Seed "@track decorator": use case, limits and user on a function; several limits; a user id
 * from the application's context; nested inheritance (empty @track() inherits, an own name
 * overrides); the automatic use case id. Written with track(), which behaves as @Track does.
 */
import pino from 'pino';
import { getContext, track } from '../../src/context/scope';
import { payiInstrument, shutdown } from '../../src/instrument';
import { UUID_V4 } from '../context/support';
import { recordingLlm } from './support';

beforeEach(() => payiInstrument({ proxy: false, logger: pino({ level: 'silent' }) }));
afterEach(async () => {
  await shutdown();
});

test('every API call inside summarize_document includes its use_case_name, limit_ids and user_id, with an automatic id', async () => {
  const client = recordingLlm();
  const summarizeDocument = track({ useCaseName: 'document_summary', limitIds: ['daily_budget'], userId: 'user_123' }, async (text: string) => {
    await client.create(`Summarize this: ${text}`);
    return client.create('and a title');
  });
  await summarizeDocument('Pay-i tracks GenAI cost.');
  for (const { event } of client.calls) {
    expect(event).toMatchObject({ use_case_name: 'document_summary', limit_ids: ['daily_budget'], user_id: 'user_123', use_case_id: expect.stringMatching(UUID_V4) });
  }
});

test('customer_support tracks against both limits', async () => {
  const client = recordingLlm();
  const getSupportResponse = track({ useCaseName: 'customer_support', limitIds: ['support_budget', 'quality_limit'] }, (q: string) => client.create(q));
  await getSupportResponse('How do I reset my password?');
  expect(client.calls[0]!.event).toMatchObject({ use_case_name: 'customer_support', limit_ids: ['support_budget', 'quality_limit'] });
});

test('user_dashboard: a user id from the application context is read at each call when given as a function', async () => {
  const client = recordingLlm();
  const g = { user: { id: 'first_user' } };
  const generateDashboardSummary = track({ useCaseName: 'user_dashboard', userId: () => g.user.id }, () => client.create('Summarize dashboard data'));
  await generateDashboardSummary();
  g.user.id = 'second_user';
  await generateDashboardSummary();
  expect(client.calls.map((c) => c.event.user_id)).toEqual(['first_user', 'second_user']);
});

test('user_dashboard: a plain value is taken once, when the function is decorated (as in Python)', async () => {
  const client = recordingLlm();
  const g = { user: { id: 'at_decoration' } };
  const generateDashboardSummary = track({ useCaseName: 'user_dashboard', userId: g.user.id }, () => client.create('Summarize dashboard data'));
  g.user.id = 'later';
  await generateDashboardSummary();
  expect(client.calls[0]!.event.user_id).toBe('at_decoration');
});

test('inheritance: an empty @track() inherits the caller’s use case; a function with its own name always uses it', async () => {
  const client = recordingLlm();
  const seen: Record<string, string | undefined> = {};
  const innerFunction = track({}, async function innerFunction() {
    seen.inner = getContext().useCaseName;
    await client.create('inner');
  });
  const specificFunction = track({ useCaseName: 'specific_function' }, async function specificFunction() {
    seen.specific = getContext().useCaseName;
    await client.create('specific');
  });
  const outerFunction = track({ useCaseName: 'outer_function' }, async function outerFunction() {
    await client.create('outer');
    await innerFunction();
    await specificFunction();
  });

  await outerFunction();
  expect(seen).toEqual({ inner: 'outer_function', specific: 'specific_function' });
  const [outer, inner, specific] = client.calls.map((c) => c.event);
  expect(inner!.use_case_name).toBe('outer_function');
  expect(inner!.use_case_id).toBe(outer!.use_case_id); // the same use case instance
  expect(specific!.use_case_name).toBe('specific_function');
  expect(specific!.use_case_id).not.toBe(outer!.use_case_id);

  // specific_function called on its own uses its own annotation too
  await specificFunction();
  expect(client.calls[3]!.event.use_case_name).toBe('specific_function');
});
