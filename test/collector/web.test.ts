import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { call, event, startTestCollector } from './support';

const CHROMIUM = '/usr/bin/chromium';
// Skipped only where Debian's chromium is not installed (apt-get install -y chromium).
const maybe = fs.existsSync(CHROMIUM) ? describe : describe.skip;

maybe('the web page at /', () => {
  let c: Awaited<ReturnType<typeof startTestCollector>>;
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    c = await startTestCollector({ apiKey: 'page-key' });
  });
  afterEach(async () => {
    await c.close();
  });

  test('shows the use cases, users and limits from the database, with charts', async () => {
    const h = { 'xProxy-api-key': 'page-key' };
    await call(c.url, 'POST', '/api/v1/limits', { limit_name: 'team budget', max: 50, limit_id: 'team-budget' }, h);
    await call(
      c.url,
      'POST',
      '/api/v1/ingest/bulk',
      {
        events: [
          event({ resource: 'gpt-4o', use_case_name: 'support_bot', user_id: 'alice', limit_ids: ['team-budget'], units: { text: { input: 400_000, output: 20_000 } } }),
          event({ resource: 'gpt-4o-mini', use_case_name: 'summarize', user_id: 'bob', units: { text: { input: 90_000, output: 9_000 } }, properties: { 'system.usage_source': 'estimated' } }),
          event({ category: 'system.anthropic', resource: 'claude-3-5-haiku', use_case_name: 'summarize', user_id: 'alice', units: { text: { input: 30_000, output: 1_000 } } }),
        ],
      },
      h,
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(`${c.url}/?api_key=page-key`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
    const useCases = await page.locator('#by-use_case tbody tr td:first-child').allTextContents();
    expect(useCases).toEqual(['support_bot', 'summarize']);
    expect(await page.locator('#by-user tbody tr td:first-child').allTextContents()).toEqual(['alice', 'bob']);
    // estimated usage is shown as such: per row, how many requests had their usage estimated
    expect(await page.locator('#by-use_case tbody tr td:nth-child(3)').allTextContents()).toEqual(['0', '1']);
    expect(await page.locator('#by-limit tbody tr td:first-child').allTextContents()).toEqual(['team-budget']);
    expect(await page.locator('#by-use_case svg rect').count()).toBe(2);
    expect(await page.locator('#totals').textContent()).toContain('3 requests');
    expect(failed).toEqual([]);
    const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-web-'));
    const file = path.join(shots, 'cost-drivers.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    process.stdout.write(`screenshot: ${file}\n`);
    await page.close();
  });
});
