/**
 * The OTLP/HTTP trace sink of the in-process benchmark's peer variants (`langfuse`, `openllmetry`):
 * a child process that the worker forks (`fork(otlp-sink)`), listening on 127.0.0.1 on a free
 * port. It answers every `POST` as soon as its body is in, with 200 and the body the real service answers (OTLP/JSON:
 * `{}`, the Langfuse OTel endpoint's answer; OTLP/protobuf: an empty `ExportTraceServiceResponse`, as
 * Traceloop's collector answers), so what the peer spends on serialising and sending its batches is
 * counted in the worker's CPU while the sink's own parsing is not.
 *
 * It counts the spans it receives (OTLP/JSON parsed; OTLP/protobuf walked on the wire format, three
 * levels of length-delimited fields: `resource_spans` → `scope_spans` → `spans`), and reports them.
 *
 * IPC: it sends {@link SinkReady} once listening, answers `{ count: true }` with a
 * {@link SinkCount}, and exits when the worker disconnects.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** Sent by the sink once it listens. */
export interface SinkReady {
  /** The port on 127.0.0.1. */
  port: number;
}

/** What the sink has received so far. */
export interface SinkCount {
  /** Spans in every request body. */
  spans: number;
  /** HTTP requests answered (one per exported batch). */
  requests: number;
  /** Requests whose body could not be read as OTLP (should stay 0). */
  unreadable: number;
}

/** The length-delimited fields numbered `field` at the top level of one protobuf message. */
function lengthDelimited(buf: Buffer, field: number): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint();
      if (key >>> 3 === field) out.push(buf.subarray(i, i + len));
      i += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

/** Spans in an `ExportTraceServiceRequest`, JSON or protobuf. */
function countSpans(body: Buffer, contentType: string): number {
  if (contentType.includes('json')) {
    const req = JSON.parse(body.toString('utf8')) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
    let n = 0;
    for (const rs of req.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0;
    return n;
  }
  let n = 0;
  for (const rs of lengthDelimited(body, 1)) for (const ss of lengthDelimited(rs, 2)) n += lengthDelimited(ss, 2).length;
  return n;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function main(): void {
  const count: SinkCount = { spans: 0, requests: 0, unreadable: 0 };
  const server = createServer((req, res) => {
    const type = String(req.headers['content-type'] ?? '');
    const json = type.includes('json');
    void readBody(req).then((raw) => {
      // answered once the body is in (so a count asked after the exporter's flush includes it), then counted
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
      count.requests++;
      try {
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        count.spans += countSpans(body, type);
      } catch {
        count.unreadable++;
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port } satisfies SinkReady));
  process.on('message', (msg: { count?: boolean }) => {
    if (msg.count && process.connected) process.send!({ ...count } satisfies SinkCount);
  });
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) main();
