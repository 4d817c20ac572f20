/**
 * Seed "Use Cases": automatic use_case_id values (one per execution, shared by every call inside
 * it) and your own use_case_id (e.g. a service ticket id), with track()/trackContext().
 */
import pino from 'pino';
import { track, trackContext } from '../../src/context/scope';
import { payiInstrument, shutdown } from '../../src/instrument';
import { UUID_V4 } from '../context/support';
import { recordingLlm } from './support';

beforeEach(() => payiInstrument({ logger: pino({ level: 'silent' }) }));
afterEach(async () => {
  await shutdown();
});

test('automatic ids (track_context): N calls of one execution share one id; the next execution gets a new one', async () => {
  const client = recordingLlm();
  const makeInferenceCall = () =>
    trackContext({ useCaseName: 'quickstart_usecase' }, async () => {
      await client.create('part 1');
      await client.create('part 2');
      await client.create('part 3');
    });
  await makeInferenceCall();
  await makeInferenceCall();
  const ids = client.calls.map((c) => c.event.use_case_id);
  expect(ids.every((id) => UUID_V4.test(id ?? ''))).toBe(true);
  expect(ids[0]).toBe(ids[1]);
  expect(ids[1]).toBe(ids[2]);
  expect(ids[3]).toBe(ids[5]);
  expect(ids[3]).not.toBe(ids[0]);
  expect(client.calls.every((c) => c.event.use_case_name === 'quickstart_usecase')).toBe(true);
});

test('automatic ids (@track): each call of the decorated function is a new use case instance', async () => {
  const client = recordingLlm();
  const decoratedMakeInferenceCall = track({ useCaseName: 'quickstart_usecase' }, async () => {
    await client.create('a');
    await client.create('b');
  });
  await decoratedMakeInferenceCall();
  await decoratedMakeInferenceCall();
  const [a1, b1, a2, b2] = client.calls.map((c) => c.event.use_case_id);
  expect(a1).toBe(b1);
  expect(a2).toBe(b2);
  expect(a1).not.toBe(a2);
});

test('your own use_case_id: every call carries the service ticket id, on every execution', async () => {
  const client = recordingLlm();
  const makeInferenceCall = (serviceTicketId: string) =>
    trackContext({ useCaseName: 'quickstart_usecase', useCaseId: serviceTicketId }, () => client.create('help with ticket'));
  await makeInferenceCall('TICKET-1001');
  await makeInferenceCall('TICKET-1001');
  await makeInferenceCall('TICKET-2002');
  expect(client.calls.map((c) => c.event.use_case_id)).toEqual(['TICKET-1001', 'TICKET-1001', 'TICKET-2002']);
});
