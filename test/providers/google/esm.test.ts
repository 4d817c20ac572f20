import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { geminiRoute } from '../../../samples/standin/gemini';
import { startStandin, type Standin } from '../../../samples/standin/server';

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin([geminiRoute]);
});
afterAll(() => standin.close());

test('an application that imports the ESM build of @google/genai is instrumented (on this Node, though the package declares >= 22)', async () => {
  const root = path.resolve(__dirname, '../../..');
  const { stdout } = await promisify(execFile)(process.execPath, ['--require', 'ts-node/register/transpile-only', path.join(__dirname, 'fixtures/esm-app.mjs')], {
    cwd: root,
    env: { ...process.env, STANDIN_URL: standin.url, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
    timeout: 60_000,
  });
  const { id, events } = JSON.parse(stdout) as { id: string; events: { provider_response_id: string; use_case_name: string; category: string; resource: string }[] };
  expect(events).toEqual([expect.objectContaining({ category: 'system.google.vertex', resource: 'google.gemini-2.5-flash', provider_response_id: id, use_case_name: 'esm_app' })]);
});
