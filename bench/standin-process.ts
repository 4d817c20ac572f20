/**
 * The provider stand-in in a process of its own, for benchmarks: so that the benchmark process's
 * CPU time (`process.cpuUsage`) holds the client and the instrumentation only. Prints its URL as the
 * first line of stdout and serves until its stdin closes.
 */
import { anthropicRoute } from '../samples/standin/anthropic';
import { bedrockRoute } from '../samples/standin/bedrock';
import { geminiRoute } from '../samples/standin/gemini';
import { openaiRoute } from '../samples/standin/openai';
import { startStandin } from '../samples/standin/server';

void startStandin([openaiRoute, anthropicRoute, geminiRoute, bedrockRoute]).then((standin) => {
  process.stdout.write(`${standin.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void standin.close().then(() => process.exit(0)));
});
