import '../support/undici-global';
import { runDemo } from '../../cli/demo';

/**
 * `npm start` runs `payi demo`. Here it runs in-process (the NestJS sample needs legacy decorators,
 * hence this jest project): the burst of requests is served, the trial user's second call is
 * refused by the blocked limit, every other call is stored by the collector, and the printed
 * reports add up.
 */
test('payi demo serves every request, refuses the call over the blocked limit, and reports the cost drivers', async () => {
  const lines: string[] = [];
  const result = await runDemo({ print: (l) => lines.push(l) });

  const total = Object.values(result.statuses).reduce((a, b) => a + b, 0);
  expect(result.statuses[429]).toBe(1);
  expect(result.statuses[201]).toBe(total - 1);
  // one event per provider call that was made (the refused one never reached the provider)
  expect(result.storedEvents).toBe(total - 1);
  expect(result.stats).toMatchObject({ failed: 0, spilled: 0, queued: 0 });
  // every provider of the sample is called: OpenAI, Anthropic, Bedrock and Gemini
  expect(Object.keys(result.categories).sort()).toEqual(['system.anthropic', 'system.aws.bedrock', 'system.google.vertex', 'system.openai']);

  const useCases = result.reports.use_case.map((r) => r.key).sort();
  expect(useCases).toEqual(['chatbot', 'document_summarizer']);
  const users = result.reports.user.map((r) => r.key).sort();
  expect(users).toEqual(['alice', 'bob', 'carol', 'dave', 'trial_user']);
  const limits = result.reports.limit.map((r) => r.key).sort();
  expect(limits).toEqual(['chat_daily', 'summaries_monthly', 'trial_budget']);

  const byUseCase = result.reports.use_case.reduce((s, r) => s + r.requests, 0);
  expect(byUseCase).toBe(result.storedEvents);
  const costByUser = result.reports.user.reduce((s, r) => s + r.cost_usd, 0);
  const costByUseCase = result.reports.use_case.reduce((s, r) => s + r.cost_usd, 0);
  expect(costByUser).toBeCloseTo(costByUseCase, 10);
  expect(costByUseCase).toBeGreaterThan(0);

  expect(lines.join('\n')).toContain('Cost drivers by use_case');
  expect(lines.join('\n')).toContain('refused: limit trial_budget is blocked');
}, 60_000);
