import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One OTLP JSON attribute: `{ key, value: { stringValue | intValue | doubleValue | boolValue | arrayValue } }`. */
interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

/** A decoded span of an OTLP/HTTP JSON export. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

/** A decoded metric data point. */
export interface ReceivedPoint {
  metric: string;
  attributes: Record<string, unknown>;
  count?: number;
  sum?: number;
  asDouble?: number;
}

/** Decodes an OTLP JSON `AnyValue`. */
function decodeValue(v: Record<string, unknown>): unknown {
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return ((v.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(decodeValue);
  return undefined;
}

const decodeAttributes = (list: OtlpAttribute[] | undefined): Record<string, unknown> =>
  Object.fromEntries((list ?? []).map((a) => [a.key, decodeValue(a.value)]));

/**
 * A local OTLP/HTTP receiver (JSON encoding) for the sample and the tests, standing in for an
 * OpenTelemetry Collector: decodes `POST /v1/traces` and
 * `POST /v1/metrics`, keeps what arrived and the request headers; can be stopped and started
 * again on the same port (the receiver down, then back).
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly metricRequests: ReceivedPoint[][] = [];
  readonly headers: http.IncomingHttpHeaders[] = [];
  private server: http.Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = this.port): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.headers.push(req.headers);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (req.url === '/v1/traces') this.takeSpans(body);
        else if (req.url === '/v1/metrics') this.takeMetrics(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The points of the last metrics export for one metric (cumulative: the totals so far). */
  latest(metric: string): ReceivedPoint[] {
    for (let i = this.metricRequests.length - 1; i >= 0; i--) {
      const pts = this.metricRequests[i]!.filter((p) => p.metric === metric);
      if (pts.length > 0) return pts;
    }
    return [];
  }

  private takeSpans(body: any): void {
    for (const rs of body.resourceSpans ?? []) {
      const resource = decodeAttributes(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) this.spans.push({ traceId: s.traceId, spanId: s.spanId, name: s.name, kind: s.kind, attributes: decodeAttributes(s.attributes), resource });
      }
    }
  }

  private takeMetrics(body: any): void {
    const out: ReceivedPoint[] = [];
    for (const rm of body.resourceMetrics ?? []) {
      for (const sm of rm.scopeMetrics ?? []) {
        for (const m of sm.metrics ?? []) {
          const data = m.histogram ?? m.sum ?? m.gauge;
          for (const p of data?.dataPoints ?? []) {
            const point: ReceivedPoint = { metric: m.name, attributes: decodeAttributes(p.attributes) };
            if (p.count !== undefined) point.count = Number(p.count);
            if (p.sum !== undefined) point.sum = p.sum;
            if (p.asDouble !== undefined) point.asDouble = p.asDouble;
            out.push(point);
          }
        }
      }
    }
    this.metricRequests.push(out);
  }
}
