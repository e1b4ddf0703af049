/**
 * @module fuzz
 * `npm run fuzz [-- --count N --seed S --json --url URL --concurrency C --model-dir DIR]`:
 * sends generated bad (and some good) requests through nginx and checks every answer, that
 * every process survived and that replica memory came back. Without --url it starts its own
 * native stack (offline model, per-client rate limit raised so one client can fuzz at speed).
 * Prints a summary; with --json the report is the last line. Exits 1 on any violation.
 */
import { parseArgs } from 'node:util';
import type { Stack } from '../stack/stack.ts';
import { DEFAULT_FUZZ, runFuzz, warmupFor } from './fuzz/run.ts';
import { formatReport } from './fuzz/summary.ts';
import { startOwnStack } from './own-stack.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: String(DEFAULT_FUZZ.count) },
    seed: { type: 'string', default: String(DEFAULT_FUZZ.seed) },
    concurrency: { type: 'string', default: String(DEFAULT_FUZZ.concurrency) },
    warmup: { type: 'string' },
    url: { type: 'string' },
    'model-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run fuzz -- [--count N] [--seed S] [--concurrency C] [--warmup N] [--url http://127.0.0.1:8080] [--model-dir DIR] [--json]');
  process.exit(0);
}

const positiveInt = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got "${text}"`);
    process.exit(2);
  }
  return n;
};

const count = positiveInt('count', values.count);
let stack: Stack | undefined;
if (!values.url) {
  console.error('starting the native stack (nginx + 2 replicas)...');
  stack = await startOwnStack('fuzz', { modelDir: values['model-dir'], stack: { rateLimit: '1000r/s', rateBurst: 1000 } });
  console.error(`stack up at ${stack.url} (logs in ${stack.logDir})`);
}
let lastPrinted = 0;
try {
  const report = await runFuzz({
    ...DEFAULT_FUZZ,
    url: values.url ?? stack!.url,
    stack,
    count,
    seed: positiveInt('seed', values.seed),
    concurrency: positiveInt('concurrency', values.concurrency),
    warmupCount: values.warmup === undefined ? warmupFor(count) : positiveInt('warmup', values.warmup),
    onProgress: (done, total) => {
      if (process.stderr.isTTY && (done === total || performance.now() - lastPrinted > 500)) {
        lastPrinted = performance.now();
        process.stderr.write(`\r${done}/${total} requests`);
      }
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log(formatReport(report));
  if (values.json) console.log(JSON.stringify(report));
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await stack?.stop();
}
