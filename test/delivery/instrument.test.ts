import * as path from 'node:path';
import { flush, getRuntime, ingestStats, payiInstrument, shutdown } from '../../src/instrument';
import { events, ids, memoryLogger, readLines, tempDir, onlySink } from './helpers';
import { IngestSink, startSink } from '../support/ingest-sink';

describe('delivery behind payiInstrument()', () => {
  let sink: IngestSink;
  beforeEach(async () => {
    sink = await startSink();
  });
  afterEach(async () => {
    await shutdown({ timeoutMs: 1000 });
    await sink.stop();
  });

  test('flush() and ingestStats() report what the runtime delivered, with the configured API key', async () => {
    payiInstrument({ baseUrl: sink.url, apiKey: 'sk-runtime-key-7777', logger: memoryLogger(), instruments: [], ingest: { spillFile: path.join(tempDir(), 's.jsonl') } });
    const list = events(5);
    list.forEach((e) => getRuntime()!.delivery.submit(e));
    expect(ingestStats()).toMatchObject({ queued: 5, sent: 0 });
    await flush();
    expect(sink.storedIds).toEqual(ids(list));
    expect(sink.ingestRequests[0]!.headers['xproxy-api-key']).toBe('sk-runtime-key-7777');
    expect(ingestStats()).toEqual(onlySink('payi', { queued: 0, sent: 5, failed: 0, spilled: 0, retried: 0 }));
  });

  test('shutdown({ timeoutMs }) spills what the service did not take in time', async () => {
    await sink.down();
    const spillFile = path.join(tempDir(), 's.jsonl');
    payiInstrument({ baseUrl: sink.url, logger: memoryLogger(), instruments: [], ingest: { spillFile } });
    const list = events(3);
    list.forEach((e) => getRuntime()!.delivery.submit(e));
    await shutdown({ timeoutMs: 200 });
    expect(ids(readLines(spillFile)).sort()).toEqual(ids(list).sort());
  });

  test('a Payi client given as `payi` is the one events are sent through', async () => {
    const sent: number[] = [];
    payiInstrument({
      logger: memoryLogger(),
      instruments: [],
      payi: { ingest: { units: async () => ({}), bulk: async (list) => (sent.push(list.length), { request_id: 'x', ingest_timestamp: new Date().toISOString(), ingest_count: list.length }) } },
    });
    events(4).forEach((e) => getRuntime()!.delivery.submit(e));
    await flush();
    expect(sent).toEqual([4]);
    expect(sink.requests).toEqual([]);
  });
});
