/**
 * @module soak
 * `npm run soak [-- --minutes 10 --rate 10 --warmup-seconds 180 --model-dir DIR --url URL --json]`:
 * a benchmark, not a test. A steady load of tweets from the Davidson dev split through nginx
 * (its own native stack with two replicas, offline model unless --model-dir), each replica's
 * RSS (and V8 heap in use) sampled every 5 s; per minute: requests, errors, p50/p99 latency,
 * mean RSS and heap. Prints RSS growth (first measured minute to last), latency drift and
 * errors; exits 1 when any request
 * failed or a replica's RSS grew 5% or more. Bounded: warm-up plus --minutes, then it stops;
 * Ctrl-C stops it early with the minutes so far.
 */
import { parseArgs } from 'node:util';
import { devTweets } from '../lib/corpus.ts';
import { metricValue } from '../lib/metrics-text.ts';
import type { Stack } from '../stack/stack.ts';
import { startOwnStack } from './own-stack.ts';
import { replicaRss } from './processes.ts';
import { formatSoak, soakReport, type RssSample } from './soak/report.ts';
import { steadyLoad } from './steady-load.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '10' },
    // At 10 requests/s a replica's RSS levels off after ~3 minutes (the V8 heap in use is flat
    // from the start): measuring from minute 1 would report that climb as growth.
    'warmup-seconds': { type: 'string', default: '180' },
    'model-dir': { type: 'string' },
    url: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run soak -- [--minutes 10] [--rate 10] [--warmup-seconds 180] [--model-dir DIR] [--url http://127.0.0.1:8080] [--json]');
  process.exit(0);
}
const number = (name: string, text: string, max: number): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    console.error(`--${name} must be a number above 0 and at most ${max}, got "${text}"`);
    process.exit(2);
  }
  return n;
};
const minutes = number('minutes', values.minutes, 24 * 60);
const rate = number('rate', values.rate, 1000);
const warmupMs = number('warmup-seconds', values['warmup-seconds'], 3600) * 1000;

const tweets = devTweets();

let stack: Stack | undefined;
if (!values.url) {
  console.error('starting the native stack (nginx + 2 replicas)...');
  stack = await startOwnStack('soak', { modelDir: values['model-dir'] });
  console.error(`stack up at ${stack.url} (logs in ${stack.logDir})`);
}
const url = values.url ?? stack!.url;
const replicas = stack ? stack.replicas.map((r) => r.process.name) : ['(replicas)'];

let interrupt: () => void = () => undefined;
const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
process.once('SIGINT', () => {
  console.error('\nstopping early (Ctrl-C)...');
  interrupt();
});

const rss: RssSample[] = [];
const started = performance.now();
/** V8's heap in use, from the replica's own /metrics: tells a leak from garbage awaiting a full GC. */
async function heapUsed(replicaUrl: string): Promise<number> {
  try {
    const text = await (await fetch(`${replicaUrl}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    return metricValue(text, 'nodejs_heap_size_used_bytes') ?? Number.NaN;
  } catch {
    return Number.NaN;
  }
}
const sample = async () => {
  if (!stack) return;
  const atMs = performance.now() - started;
  const resident = stack.replicas.map(replicaRss);
  rss.push({ atMs, rss: resident, heapUsed: await Promise.all(stack.replicas.map((r) => heapUsed(r.url))) });
};
const sampler = setInterval(() => void sample(), 5000);
const progress = setInterval(() => {
  const elapsed = (performance.now() - started) / 1000;
  console.error(`${elapsed < warmupMs / 1000 ? 'warm-up' : `minute ${Math.floor((elapsed - warmupMs / 1000) / 60) + 1}/${minutes}`}, ${Math.round(elapsed)} s`);
}, 60_000);

try {
  console.error(`soak: ${rate} requests/s for ${warmupMs / 1000} s of warm-up, then ${minutes} min, through ${url}`);
  const samples = await steadyLoad({
    url,
    perSecond: rate,
    durationMs: warmupMs + minutes * 60_000,
    body: (i) => JSON.stringify({ text: tweets[i % tweets.length] }),
    timeoutMs: 30_000,
    until: interrupted,
  });
  clearInterval(sampler);
  clearInterval(progress);
  const report = soakReport(samples, rss, { warmupMs, replicas, maxRssGrowth: 0.05 });
  console.log(formatSoak(report, `soak: ${samples.length} requests at ${rate}/s, ${warmupMs / 1000} s warm-up then ${report.minutes.length} measured minute(s), through ${url}${stack ? '' : ' (RSS not measured: --url)'}`));
  if (values.json) console.log(JSON.stringify({ url, rate, warmupMs, ...report }));
  process.exitCode = report.ok ? 0 : 1;
} finally {
  clearInterval(sampler);
  clearInterval(progress);
  await stack?.stop();
}
