import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runOtelSample } from '../../samples/otel/main';
import { OtlpReceiver } from '../../samples/otel/receiver';
import { openaiRoute } from '../../samples/standin/openai';
import { startStandin } from '../../samples/standin/server';

test('the OTLP sample: both calls arrive at the receiver as spans with the use case, and in the offline file', async () => {
  const standin = await startStandin([openaiRoute]);
  const receiver = new OtlpReceiver();
  await receiver.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payi-otel-sample-'));
  try {
    const eventsFile = path.join(dir, 'events.jsonl');
    const stats = await runOtelSample({ otlpEndpoint: receiver.url, openaiBaseUrl: `${standin.url}/v1`, eventsFile });
    const events = fs.readFileSync(eventsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(2);
    expect(receiver.spans.map((s) => [s.attributes['gen_ai.response.id'], s.attributes['payi.use_case.name'], s.attributes['payi.user.id'], s.attributes['payi.request_tags']])).toEqual(
      events.map((e) => [e.provider_response_id, 'ticket_triage', 'agent-7', ['sample']]),
    );
    expect(stats.sinks.otlp).toMatchObject({ sent: 2, spilled: 0, failed: 0 });
    expect(stats.sinks.file).toMatchObject({ sent: 2 });
  } finally {
    await receiver.stop();
    await standin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
