import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { call, event, startTestCollector } from './support';

const CHROMIUM = '/usr/bin/chromium';
// Skipped only where Debian's chromium is not installed (apt-get install -y chromium).
const maybe = fs.existsSync(CHROMIUM) ? describe : describe.skip;
const KEY = { 'xProxy-api-key': 'page-key' };
const USE_CASES = ['support_bot', 'summarize', 'search', 'triage'];
const USERS = ['ann', 'ben', 'chloe', 'dev', 'eli', 'fay'];
const MODELS: [string, string][] = [['system.openai', 'gpt-4o'], ['system.openai', 'gpt-4o-mini'], ['system.anthropic', 'claude-haiku-4-5']];

/** 3,000 events over the last ten days, spread over use cases, users, accounts, models and limits. */
function seedEvents(now: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 3000; i++) {
    const [category, resource] = MODELS[i % 3]!;
    const limits = i % 5 === 0 ? ['team', 'ghost'] : i % 2 === 0 ? ['team'] : [];
    out.push(
      event({
        category,
        resource,
        provider_response_id: `seed-${i}`,
        event_timestamp: new Date(now - ((i * 288_000) % (10 * 864e5)) - 60_000).toISOString(),
        use_case_name: USE_CASES[i % 4],
        user_id: USERS[i % 6],
        account_name: i % 3 === 0 ? 'acme' : 'globex',
        limit_ids: limits,
        units: { text: { input: 200 + (i % 50) * 40, output: 50 + (i % 7) * 30 } },
        end_to_end_latency_ms: 300 + (i % 13) * 25,
        ...(i % 4 === 0 ? { provider_request_json: JSON.stringify({ messages: [{ role: 'user', content: `question ${i}` }] }), provider_response_json: JSON.stringify({ answer: `answer ${i}` }) } : {}),
        properties: i % 97 === 0 ? { 'system.stream_outcome': 'abandoned', 'system.usage_source': 'estimated' } : { 'system.usage_source': 'reported' },
      }),
    );
  }
  return out;
}

maybe('the dashboard at /', () => {
  let c: Awaited<ReturnType<typeof startTestCollector>>;
  let browser: Browser;
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-dashboard-'));
  const api = async (p: string): Promise<any> => (await call(c.url, 'GET', p, undefined, KEY)).body;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    c = await startTestCollector({ apiKey: 'page-key' });
    expect((await call(c.url, 'POST', '/api/v1/use_cases/definitions', { name: 'support_bot', description: 'answers customers', logging_enabled: true }, KEY)).status).toBe(200);
    expect((await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'team budget', max: 5, limit_type: 'allow', limit_id: 'team' }, KEY)).status).toBe(200);
    const events = seedEvents(Date.now());
    for (let i = 0; i < events.length; i += 500) expect((await call(c.url, 'POST', '/api/v1/ingest/bulk', events.slice(i, i + 500), KEY)).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await c?.close();
    process.stdout.write(`dashboard screenshots: ${shots}\n`);
  });

  /** Opens the page; collects console errors, page errors and failed or refused requests. */
  async function open(width: number): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`); });
    await page.goto(`${c.url}/?api_key=page-key`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 20_000 });
    return { page, problems };
  }
  async function choose(page: Page, select: string, value: string): Promise<void> {
    await page.selectOption(select, value);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 20_000 });
  }

  test('numbers match the JSON API; filters combine; one request opens with its prompt', async () => {
    const { page, problems } = await open(1400);
    await choose(page, '#period', ''); // all time: the same period as the API calls below
    const all = await api('/api/v1/reports/summary');
    expect(all.requests).toBe(3000);
    expect(await page.locator('#totals').textContent()).toContain('3,000 requests');

    // the chart's bars add up to the period's cost
    const bars = await page.locator('#chart rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-value'))));
    expect(bars.length).toBeGreaterThan(10);
    expect(bars.reduce((a, b) => a + b, 0)).toBeCloseTo(all.cost_usd, 9);

    // filter by use case, then by user as well: the breakdown table is the API's answer for both
    await choose(page, '#f-use_case', 'support_bot');
    await choose(page, '#f-user', 'ann');
    await choose(page, '#by', 'model');
    const expected = await api('/api/v1/reports/cost?by=resource&use_case=support_bot&user=ann');
    expect(expected.length).toBeGreaterThan(0);
    const rows = await page.locator('#breakdown tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => [r[0], Number(r[1]!.replace(/,/g, '')), Number(r[2])])).toEqual(expected.map((r: { key: string; requests: number; estimated_requests: number }) => [r.key, r.requests, r.estimated_requests]));
    const both = await api('/api/v1/reports/summary?use_case=support_bot&user=ann');
    expect(await page.locator('#totals').textContent()).toContain(`${both.requests.toLocaleString('en-US')} requests`);
    const list = await api('/api/v1/dashboard/requests?use_case=support_bot&user=ann&page_size=25');
    expect(await page.locator('#request-count').textContent()).toBe(`(${list.total})`);

    // one request: attribution, cost, and the prompt (support_bot logs prompts)
    await page.locator('#requests tbody tr').first().click();
    await page.waitForSelector('#detail:not([hidden]) [data-field="request id"]');
    const first = list.items[0];
    expect(await page.locator('#detail [data-field="request id"]').textContent()).toBe(first.request_id);
    expect(await page.locator('#detail [data-field="user"]').textContent()).toBe('ann');
    expect(await page.locator('#detail [data-field="use case"]').textContent()).toBe('support_bot');
    const detail = await api(`/api/v1/dashboard/requests/${first.request_id}`);
    expect(await page.locator('#detail-prompt').textContent()).toBe(detail.provider_request_json);
    await page.screenshot({ path: path.join(shots, 'dashboard-1400.png'), fullPage: true });

    // limits: the defined one with its budget and state, and the id events carry that was never defined
    const team = page.locator('.limit[data-limit="team"]');
    expect(await team.locator('.state').textContent()).toBe((await api('/api/v1/dashboard/limits')).find((l: { limit_id: string }) => l.limit_id === 'team').state);
    expect(await team.locator('.limit-figures').textContent()).toContain('of $5.0000');
    expect(await page.locator('.limit[data-limit="ghost"] .state').textContent()).toBe('not defined');
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  test('readable at 420 px: nothing wider than the screen', async () => {
    const { page, problems } = await open(420);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await page.locator('#requests tbody tr').first().click();
    await page.waitForSelector('#detail:not([hidden]) [data-field="request id"]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await page.locator('#close-detail').click();
    await page.screenshot({ path: path.join(shots, 'dashboard-420.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('an empty collector says how to send data', async () => {
    const empty = await startTestCollector();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
      await page.goto(empty.url);
      await page.waitForSelector('body[data-loaded="true"]', { timeout: 20_000 });
      expect(await page.locator('#empty').isVisible()).toBe(true);
      expect(await page.locator('#empty-snippet').textContent()).toContain(`PAYI_BASE_URL=${empty.url}`);
      await page.screenshot({ path: path.join(shots, 'dashboard-empty.png') });
      await page.close();
    } finally {
      await empty.close();
    }
  }, 60_000);
});
