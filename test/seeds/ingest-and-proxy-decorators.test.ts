/**
 * Seed "Decorators" (@ingest and @proxy): nested decorators combine limit_ids and request_tags and
 * inherit use_case_name; an inner use_case_name overrides; user id precedence with per-call
 * headers; @proxy turns the frame into xProxy-* headers. @ingest = track({ proxy: false, ... }),
 * @proxy = track({ proxy: true, ... }).
 */
import pino from 'pino';
import { getContext, track } from '../../src/context/scope';
import { createHeaders } from '../../src/headers/create-headers';
import { PayiHeaderNames as H } from '../../src/headers/names';
import { payiInstrument, shutdown } from '../../src/instrument';
import type { TrackOptions } from '../../src/context/types';
import { recordingLlm } from './support';

const ingest = <A extends unknown[], R>(options: TrackOptions, fn: (...args: A) => R) => track({ ...options, proxy: false }, fn);
const proxy = <A extends unknown[], R>(options: TrackOptions, fn: (...args: A) => R) => track({ ...options, proxy: true }, fn);

beforeEach(() => payiInstrument({ useCaseName: null, logger: pino({ level: 'silent' }) }));
afterEach(async () => {
  await shutdown();
});

test('parameter inheritance: limit_ids and request_tags combine, use_case_name is inherited', () => {
  const innerFunction = ingest({ limitIds: ['limit2'], requestTags: ['inner'] }, () => getContext());
  const outerFunction = ingest({ limitIds: ['limit1'], requestTags: ['outer'], useCaseName: 'outer_usecase' }, () => ({
    outer: getContext(),
    inner: innerFunction(),
  }));
  const { outer, inner } = outerFunction();
  expect(outer).toMatchObject({ limitIds: ['limit1'], requestTags: ['outer'], useCaseName: 'outer_usecase' });
  expect(inner).toMatchObject({ limitIds: ['limit1', 'limit2'], requestTags: ['outer', 'inner'], useCaseName: 'outer_usecase' });
  expect(inner.useCaseId).toBe(outer.useCaseId);
});

test('nested decorators with inheritance: parse inherits document_processing; summarize uses document_summary; tags combine', async () => {
  const client = recordingLlm();
  const parseDocument = ingest({ requestTags: ['parsing'] }, (document: string) => client.create(`Parse this document and extract key information: ${document}`));
  const summarizeContent = ingest({ requestTags: ['summarization'], useCaseName: 'document_summary' }, (content: string) =>
    client.create(`Summarize this content: ${content}`),
  );
  const processDocument = ingest({ requestTags: ['app'], useCaseName: 'document_processing' }, async (document: string) => {
    const parsed = await parseDocument(document);
    return summarizeContent(parsed);
  });

  await processDocument('quarterly report');
  const [parse, summarize] = client.calls.map((c) => c.event);
  expect(parse).toMatchObject({ use_case_name: 'document_processing', request_tags: ['app', 'parsing'] });
  expect(summarize).toMatchObject({ use_case_name: 'document_summary', request_tags: ['app', 'summarization'] });
  expect(summarize!.use_case_id).not.toBe(parse!.use_case_id);
});

test('use_case_id: inherited for the same name, new for another name, as given when specified', () => {
  const same = ingest({ useCaseName: 'outer_uc' }, () => getContext().useCaseId);
  const other = ingest({ useCaseName: 'other_uc' }, () => getContext().useCaseId);
  const given = ingest({ useCaseName: 'other_uc', useCaseId: 'my-id' }, () => getContext().useCaseId);
  const outer = ingest({ useCaseName: 'outer_uc' }, () => [getContext().useCaseId, same(), other(), given()]);
  const [outerId, sameId, otherId, givenId] = outer();
  expect(sameId).toBe(outerId);
  expect(otherId).not.toBe(outerId);
  expect(givenId).toBe('my-id');
});

test('user id precedence: the inner function inherits default_user, and the per-call header overrides it', async () => {
  const client = recordingLlm();
  const queryLlm = ingest({ requestTags: ['query'] }, async (userId: string, query: string) => {
    expect(getContext().userId).toBe('default_user'); // inherited from the parent
    return client.create(query, { headers: createHeaders({ userId, limitIds: ['limit_a', 'limit_b'] }) });
  });
  const processUserRequest = ingest({ userId: 'default_user', requestTags: ['app'] }, (actualUserId: string, query: string) => queryLlm(actualUserId, query));

  await processUserRequest('actual_user_42', 'What is my balance?');
  expect(client.calls[0]!.event).toMatchObject({ user_id: 'actual_user_42', limit_ids: ['limit_a', 'limit_b'], request_tags: ['app', 'query'] });
});

test('@ingest: the call is recorded as an event; @proxy: the annotations go out as xProxy-* headers instead', async () => {
  const client = recordingLlm();
  const summarizeDocument = ingest({ requestTags: ['summarization'], useCaseName: 'document_summary' }, (text: string, limitIds: string[], userId: string) =>
    client.create(`Summarize this: ${text}`, { headers: createHeaders({ userId, limitIds }) }),
  );
  const answerCustomerQuestion = proxy({ requestTags: ['chat'], useCaseName: 'customer_support' }, (question: string, userId: string) =>
    client.create(question, { headers: createHeaders({ userId, limitIds: ['personal_limit', 'department_budget', 'project_x'] }) }),
  );

  await summarizeDocument('doc', ['budget_1', 'team_limit'], 'u1');
  await answerCustomerQuestion('Where is my order?', 'u2');

  const [ingested, proxied] = client.calls;
  expect(ingested!.proxy).toBe(false);
  expect(ingested!.event).toMatchObject({ use_case_name: 'document_summary', request_tags: ['summarization'], user_id: 'u1', limit_ids: ['budget_1', 'team_limit'] });

  expect(proxied!.proxy).toBe(true);
  expect(proxied!.proxyHeaders).toMatchObject({
    [H.useCaseName]: 'customer_support',
    [H.requestTags]: 'chat',
    [H.userId]: 'u2',
    [H.limitIds]: 'personal_limit,department_budget,project_x',
  });
  expect(proxied!.proxyHeaders[H.useCaseId]).toMatch(/^[0-9a-f-]{36}$/);
});
