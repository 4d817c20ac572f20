/**
 * Issue 11 item 8: half-sent requests are cut off by the collector's header and body time-outs
 * while other clients are served, and connections beyond the cap are closed at once.
 */
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { CONNECTION_LIMIT_DEFAULTS } from '../../collector';
import { PayiConfigError } from '../../src/errors';
import { startTestCollector } from '../collector/support';

/** A raw TCP client that sends `text` and then stalls; resolves what it got and when the server closed it. */
interface Stalled {
  closed: Promise<{ afterMs: number; answer: string }>;
  socket: net.Socket;
}
function stall(port: number, text: string): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const t0 = performance.now();
    let answer = '';
    const closed = new Promise<{ afterMs: number; answer: string }>((done) => {
      socket.on('data', (d) => (answer += d.toString('latin1')));
      socket.on('close', () => done({ afterMs: performance.now() - t0, answer }));
      socket.on('error', () => undefined);
    });
    socket.once('connect', () => {
      socket.write(text);
      resolve({ closed, socket });
    });
    socket.once('error', reject);
  });
}

const ingestBody = JSON.stringify({ category: 'system.openai', resource: 'gpt-4o-mini', units: { text: { input: 1, output: 1 } }, event_timestamp: new Date().toISOString() });
const HALF_HEADERS = 'POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n';
const HALF_BODY = `POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${ingestBody.length}\r\n\r\n${ingestBody.slice(0, 20)}`;

test('the defaults are explicit and documented', () => {
  expect(CONNECTION_LIMIT_DEFAULTS).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 10_000, maxConnections: 256 });
});

test('a bad limit is a PayiConfigError naming the option', async () => {
  await expect(startTestCollector({ maxConnections: 0 })).rejects.toThrow(new PayiConfigError('startCollector: maxConnections 0 is not a whole number >= 1', 'maxConnections', 0));
  await expect(startTestCollector({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 })).rejects.toThrow('startCollector: headersTimeoutMs 5000 is longer than requestTimeoutMs (1000)');
});

test('stalled half-sent requests (headers or body) get 408 and are closed, while other clients are served meanwhile', async () => {
  const c = await startTestCollector({ headersTimeoutMs: 400, requestTimeoutMs: 800, maxConnections: 100 });
  try {
    const stalled = await Promise.all([...Array.from({ length: 25 }, () => stall(c.port, HALF_HEADERS)), ...Array.from({ length: 25 }, () => stall(c.port, HALF_BODY))]);
    // while they hang, another client's requests are answered
    const served: number[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 600) {
      const r = await fetch(`${c.url}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ingestBody });
      served.push(r.status);
    }
    const ends = await Promise.all(stalled.map((s) => s.closed));
    expect(served.length).toBeGreaterThan(5);
    expect(new Set(served)).toEqual(new Set([200]));
    for (const e of ends) expect(e.answer).toMatch(/^HTTP\/1\.1 408 /);
    const slowest = Math.max(...ends.map((e) => e.afterMs));
    // headers: 400 ms, body: 800 ms, checked every 100 ms: all gone well before 2 s
    expect(slowest).toBeLessThan(2000);
    expect(Math.min(...ends.slice(25).map((e) => e.afterMs))).toBeGreaterThanOrEqual(700);
    expect(c.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: served.length });
  } finally {
    await c.close();
  }
});

test('beyond maxConnections a new connection is closed at once; once the stalled ones are cut off, clients are served again', async () => {
  const c = await startTestCollector({ headersTimeoutMs: 300, requestTimeoutMs: 300, maxConnections: 5 });
  try {
    const stalled = await Promise.all(Array.from({ length: 5 }, () => stall(c.port, HALF_HEADERS)));
    await new Promise((r) => setTimeout(r, 50));
    const extra = await stall(c.port, HALF_HEADERS);
    const refused = await extra.closed;
    expect(refused.answer).toBe('');
    expect(refused.afterMs).toBeLessThan(250);
    await Promise.all(stalled.map((s) => s.closed));
    const r = await fetch(`${c.url}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ingestBody });
    expect(r.status).toBe(200);
  } finally {
    await c.close();
  }
});
