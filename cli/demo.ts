import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { startCollector } from '../collector';
import { costReport, type CostReportRow, type ReportDimension } from '../collector/report';
import { anthropicRoute } from '../samples/standin/anthropic';
import { bedrockRoute } from '../samples/standin/bedrock';
import { geminiRoute } from '../samples/standin/gemini';
import { openaiRoute } from '../samples/standin/openai';
import { startStandin } from '../samples/standin/server';
import { flush, ingestStats, Payi, payiInstrument, shutdown } from 'payi-instrument';
import { formatCostTable } from './table';

/** What the NestJS sample exports (loaded at run time: it is compiled with legacy decorators). */
interface NestSample {
  startSampleApp(
    endpoints: { openaiBaseUrl: string; anthropicBaseUrl: string; bedrockEndpoint: string; geminiBaseUrl?: string },
    port?: number,
  ): Promise<{ app: { close(): Promise<void> }; url: string }>;
}

/** The outcome of {@link runDemo}, for tests. */
export interface DemoResult {
  /** Requests sent to the sample application, by HTTP status. */
  statuses: Record<number, number>;
  /** The cost-drivers reports that were printed. */
  reports: Record<'use_case' | 'user' | 'limit', CostReportRow[]>;
  /** Events stored by the collector. */
  storedEvents: number;
  /** Stored events by provider category. */
  categories: Record<string, number>;
  /** Delivery counters at the end. */
  stats: ReturnType<typeof ingestStats>;
}

const USERS = ['alice', 'bob', 'carol', 'dave'];
const ROUTES = ['/chat/gpt', '/chat/stream', '/chat/gemini', '/chat/claude', '/summaries', '/summaries/bedrock'];

/**
 * `payi demo`: the whole product on this machine. Starts the collector on a free port with a fresh
 * database, the stand-in for the OpenAI, Anthropic, Bedrock and Gemini APIs, and the NestJS sample
 * application; sends a burst of requests from several users across several use cases (streaming
 * and not); makes a trial user's call cross a blocking limit, so that the next one is refused; then
 * prints the cost drivers by use case, user and limit.
 *
 * @example
 * ```ts
 * await runDemo({ print: console.log });
 * ```
 */
export async function runDemo(options: { print?: (line: string) => void; keepDb?: boolean } = {}): Promise<DemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  // the demo runs on Node 20 on purpose; the AWS SDK would warn that its 2027 releases need Node 22
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-demo-'));
  const silent = pino({ level: 'silent' });
  const collector = await startCollector({ port: 0, dbPath: path.join(dir, 'payi.db'), logger: silent });
  const standin = await startStandin([openaiRoute, anthropicRoute, bedrockRoute, geminiRoute]);
  let app: { close(): Promise<void> } | undefined;
  try {
    print(`collector: ${collector.url} (database ${path.join(dir, 'payi.db')})`);
    print(`provider stand-in: ${standin.url}`);

    const payi = new Payi({ baseUrl: collector.url });
    await payi.limits.create({ limitName: 'chat_daily', max: 5, limitType: 'allow', limitId: 'chat_daily' });
    await payi.limits.create({ limitName: 'summaries_monthly', max: 50, limitType: 'allow', limitId: 'summaries_monthly' });
    await payi.limits.create({ limitName: 'trial_budget', max: 0.000005, limitType: 'block', limitId: 'trial_budget' });

    payiInstrument({
      baseUrl: collector.url,
      useCaseName: 'demo_app',
      enforceLimits: true,
      logger: silent,
      ingest: { flushIntervalMs: 100, spillFile: path.join(dir, 'undelivered.jsonl') },
    });

    const sample = require(path.join(__dirname, '..', 'samples', 'nestjs', 'main')) as NestSample;
    const started = await sample.startSampleApp({
      openaiBaseUrl: `${standin.url}/v1`,
      anthropicBaseUrl: standin.url,
      bedrockEndpoint: standin.url,
      geminiBaseUrl: standin.url,
    });
    app = started.app;
    print(`NestJS sample: ${started.url}`);

    const statuses: Record<number, number> = {};
    const send = async (route: string, user: string, plan?: string): Promise<number> => {
      const res = await fetch(`${started.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': user, ...(plan ? { 'x-plan': plan } : {}) },
        body: JSON.stringify({ prompt: `Hello from ${user}, tell me about ${route}`, text: `A document for ${user}. `.repeat(20) }),
      });
      await res.text();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      return res.status;
    };

    // A burst: every user on every route, three rounds, concurrently within a round.
    for (let round = 0; round < 3; round++) {
      await Promise.all(USERS.flatMap((user, i) => ROUTES.slice(0, 3 + ((i + round) % 4)).map((route) => send(route, user))));
    }
    // A trial user: the first call spends past the blocking limit; once the collector has said so,
    // the next call is refused before it reaches the provider.
    const first = await send('/chat/gpt', 'trial_user', 'trial');
    await flush();
    const refused = await send('/chat/gpt', 'trial_user', 'trial');
    print(`trial_user: first call HTTP ${first}, second call HTTP ${refused}${refused === 429 ? ' (refused: limit trial_budget is blocked)' : ''}`);

    await flush();
    const reports = {} as DemoResult['reports'];
    for (const by of ['use_case', 'user', 'limit'] as const satisfies readonly ReportDimension[]) {
      reports[by] = costReport(collector.db, by);
      print('');
      print(`Cost drivers by ${by}`);
      print(formatCostTable(by, reports[by]));
    }
    const storedEvents = (collector.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    const categories: Record<string, number> = {};
    for (const r of collector.db.prepare('SELECT category, COUNT(*) AS n FROM events GROUP BY category').all() as { category: string; n: number }[]) categories[r.category] = r.n;
    const stats = ingestStats();
    print('');
    print(`requests: ${JSON.stringify(statuses)}; events stored: ${storedEvents}; delivery: ${JSON.stringify(stats)}`);
    return { statuses, reports, storedEvents, categories, stats };
  } finally {
    if (app) await app.close(); // the sample's shutdown hook flushes and shuts the SDK down
    await shutdown();
    await standin.close();
    await collector.close();
    if (!options.keepDb) fs.rmSync(dir, { recursive: true, force: true });
  }
}
