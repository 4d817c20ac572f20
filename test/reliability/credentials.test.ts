/**
 * Issue 11 items 1 and 5: no credential in any output, and only the caller's headers recorded.
 * Real openai and Anthropic clients over HTTP to the stand-ins; every kind of credential header
 * per call (and set-cookie / token headers in the provider's answer); then every output is searched
 * for the secret values: the bodies the ingest stand-in received, the spill file, every log line
 * (pino at trace, as JSON), and the collector's SQLite file after the spilled events are stored.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { anthropicRoute } from '../../samples/standin/anthropic';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin, type Standin, type StandinRoute } from '../../samples/standin/server';
import { PayiConfigError } from '../../src/errors';
import { isCredentialHeader } from '../../src/events/redact';
import { flush, payiInstrument, shutdown } from '../../src/instrument';
import { startTestCollector } from '../collector/support';
import { startSink, type IngestSink } from '../support/ingest-sink';

const SECRET = 'S3CR3T';
/** Every credential header a caller might pass, each with its own secret value. */
const callerCredentials: Record<string, string> = {
  authorization: `Bearer sk-${SECRET}-authorization`,
  'proxy-authorization': `Basic ${SECRET}-proxy`,
  'x-api-key': `${SECRET}-x-api-key`,
  'api-key': `${SECRET}-api-key`,
  cookie: `session=${SECRET}-cookie`,
  'x-acme-token': `${SECRET}-custom-token`,
  'x-client-secret': `${SECRET}-client-secret`,
  'x-db-password': `${SECRET}-password`,
  'x-goog-api-key': `${SECRET}-goog`,
  'x-amz-security-token': `${SECRET}-amz`,
  'X-Auth-User': `${SECRET}-auth-user`,
  // names added by the application through `redactHeaders`
  'x-tenant-ref': `${SECRET}-tenant`,
  'x-corp-badge': `${SECRET}-corp`,
};
/** Harmless headers that must still be recorded. */
const callerPlain = { 'x-trace-id': 'trace-1', 'x-request-purpose': 'reliability' };

/** Puts credential-looking headers in every provider answer (set-cookie, a token) next to a harmless one. */
const credentialAnswers: StandinRoute = (_req, res) => {
  res.setHeader('set-cookie', [`sid=${SECRET}-set-cookie; HttpOnly`]);
  res.setHeader('x-session-token', `${SECRET}-session-token`);
  res.setHeader('x-ratelimit-remaining-tokens', '9000');
  return false;
};

let standin: Standin;
let sink: IngestSink;
let dir: string;
const logLines: string[] = [];

beforeAll(async () => {
  standin = await startStandin([credentialAnswers, openaiRoute, anthropicRoute]);
  sink = await startSink();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-reliability-'));
});
afterAll(async () => {
  await shutdown();
  await standin.close();
  await sink.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function instrument(spillFile: string): void {
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  payiInstrument({
    apiKey: `payi-${SECRET}-key`,
    baseUrl: sink.url,
    logger,
    useCaseName: 'reliability',
    redactHeaders: ['X-Tenant-Ref', /^x-corp-/],
    ingest: { flushIntervalMs: 5, maxRetryMs: 0, spillFile },
  });
}

/** One call of each kind (OpenAI chat, chat stream, Responses; Anthropic create, stream, messages.stream()), every credential on each. */
async function callEverything(): Promise<void> {
  const headers = { ...callerCredentials, ...callerPlain };
  const openai = new OpenAI({ apiKey: 'sk-client-default', baseURL: `${standin.url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: 'sk-ant-client-default', baseURL: standin.url, maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'Hi' }];
  await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers });
  for await (const _ of await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }, { headers })) void _;
  await openai.responses.create({ model: 'gpt-4o-mini', input: 'Hi' }, { headers });
  await anthropic.messages.create({ model: 'claude-opus-4-6', max_tokens: 50, messages }, { headers });
  for await (const _ of await anthropic.messages.create({ model: 'claude-opus-4-6', max_tokens: 50, messages, stream: true }, { headers })) void _;
  await anthropic.messages.stream({ model: 'claude-opus-4-6', max_tokens: 50, messages }, { headers }).finalMessage();
}

const CALLS = 6;

test('no credential reaches the ingest service, the spill file, a log line or the collector; the provider still gets them', async () => {
  const spillFile = path.join(dir, 'undelivered.jsonl');
  instrument(spillFile);

  // 1. delivered: the bodies the ingest stand-in received
  await callEverything();
  await flush();
  await sink.waitForStored(CALLS);
  const delivered = sink.ingestRequests.map((r) => r.raw).join('\n');
  expect(delivered).toContain('x-trace-id');
  expect(delivered).toContain('x-ratelimit-remaining-tokens');

  // 2. spilled: the service is down and retries are exhausted at once
  await sink.down();
  await callEverything();
  await flush();
  const spilled = fs.readFileSync(spillFile, 'utf8');
  expect(spilled.trim().split('\n')).toHaveLength(CALLS);
  await shutdown();

  // 3. stored: the spilled events sent to a collector one by one, whose database file is read back raw
  const collector = await startTestCollector();
  for (const line of spilled.trim().split('\n')) {
    const res = await fetch(`${collector.url}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: line });
    expect(res.status).toBe(200);
  }
  const stored = collector.db.prepare('SELECT request_headers_json, response_headers_json FROM events').all() as { request_headers_json: string; response_headers_json: string }[];
  expect(stored).toHaveLength(CALLS);
  collector.db.pragma('wal_checkpoint(TRUNCATE)');
  const dbBytes = fs.readdirSync(collector.dir).map((f) => fs.readFileSync(path.join(collector.dir, f)).toString('latin1')).join('\n');
  await collector.close();

  const logs = logLines.join('');
  expect(logs).toContain('cannot reach the Pay-i service'); // the outage was logged: the logs were really captured
  for (const [name, output] of Object.entries({ delivered, spilled, logs, dbBytes })) {
    expect({ output: name, leaks: output.includes(SECRET) }).toEqual({ output: name, leaks: false });
  }

  // every event recorded exactly the caller's harmless headers, in the order given, and the answer's harmless ones
  for (const line of spilled.trim().split('\n')) {
    const e = JSON.parse(line);
    expect(e.provider_request_headers).toEqual([
      { name: 'x-trace-id', value: 'trace-1' },
      { name: 'x-request-purpose', value: 'reliability' },
    ]);
    expect(e.provider_response_headers.map((h: { name: string }) => h.name)).not.toEqual(expect.arrayContaining(['set-cookie']));
    expect(e.provider_response_headers).toContainEqual({ name: 'x-ratelimit-remaining-tokens', value: '9000' });
  }

  // the instrumented calls still carried every credential to the provider (12 requests)
  const providerRequests = standin.requests.filter((r) => r.headers['x-trace-id'] === 'trace-1');
  expect(providerRequests).toHaveLength(2 * CALLS);
  for (const r of providerRequests) {
    for (const [name, value] of Object.entries(callerCredentials)) expect(r.headers[name.toLowerCase()]).toBe(value);
  }
});

test('the collector applies the same rule to events from any sender (defence in depth)', async () => {
  const collector = await startTestCollector();
  const res = await fetch(`${collector.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
        category: 'system.openai',
        resource: 'gpt-4o-mini',
        units: { text: { input: 1, output: 1 } },
        event_timestamp: new Date().toISOString(),
        provider_request_headers: [
          { name: 'Authorization', value: `Bearer ${SECRET}` },
          { name: 'x-my-token', value: SECRET },
          { name: 'x-trace-id', value: 't' },
        ],
        provider_response_headers: [
          { name: 'Set-Cookie', value: `a=${SECRET}` },
          { name: 'x-request-id', value: 'r' },
        ],
    }),
  });
  expect(res.status).toBe(200);
  const rows = collector.db.prepare('SELECT request_headers_json, response_headers_json FROM events').all();
  await collector.close();
  expect(rows).toEqual([{ request_headers_json: JSON.stringify([{ name: 'x-trace-id', value: 't' }]), response_headers_json: JSON.stringify([{ name: 'x-request-id', value: 'r' }]) }]);
});

test('the rule: credential names and parts go, usage and tracing headers stay', () => {
  const dropped = ['Authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie', 'set-cookie', 'x-auth-token', 'x-amz-security-token', 'x-goog-api-key', 'ocp-apim-subscription-key', 'x-client-secret', 'x-db-password', 'x-session-id', 'www-authenticate', 'x-credentials'];
  const kept = ['x-request-id', 'x-trace-id', 'x-ratelimit-remaining-tokens', 'anthropic-ratelimit-input-tokens-remaining', 'x-amzn-bedrock-input-token-count', 'openai-processing-ms', 'x-stainless-retry-count'];
  expect(dropped.filter((n) => !isCredentialHeader(n))).toEqual([]);
  expect(kept.filter((n) => isCredentialHeader(n))).toEqual([]);
});

test("a header judged before redactHeaders named it is judged again: the application's rule applies from payiInstrument() on, and goes with shutdown()", async () => {
  expect(isCredentialHeader('x-tenant-ref')).toBe(false);
  payiInstrument({ redactHeaders: ['X-Tenant-Ref'], ingest: { spillFile: false, handleSignals: false } });
  expect(isCredentialHeader('x-tenant-ref')).toBe(true);
  await shutdown();
  expect(isCredentialHeader('x-tenant-ref')).toBe(false);
});

test('redactHeaders is validated: a PayiConfigError names the option and the bad entry', () => {
  expect(() => payiInstrument({ redactHeaders: ['x-ok', 'not a header'] })).toThrow(
    new PayiConfigError('payiInstrument: redactHeaders "not a header" has an entry that is not a header name; expected a header name (letters, digits, - _ and the like) or a RegExp', 'redactHeaders', 'not a header'),
  );
  expect(() => payiInstrument({ redactHeaders: 'x-one' as never })).toThrow('payiInstrument: redactHeaders "x-one" is invalid; expected an array of header names or RegExps');
});
