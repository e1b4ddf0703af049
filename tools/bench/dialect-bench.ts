/**
 * @module dialect-bench
 * `npm run bench:dialects -- --model-dir DIR`: the stack bench's saturation phase (nginx + 2
 * replicas, q8, ORT_THREADS=1, 32 clients back to back, one tweet per request) driven through
 * each dialect: the native `/api/v1/classify`, OpenAI's `/v1/moderations` and Perspective's
 * `comments:analyze` (all six attributes, so every route asks the model for the same work).
 * The routes run in interleaved rounds, the order reversed every other round, so a noisy
 * neighbour slows them alike; each drop-in's figure is its mean texts/s over the native route's.
 * A benchmark, not a test: it prints the ratios against the 5 % target and exits 0 unless it
 * fails to run.
 */
import path from 'node:path';
import { SERVED } from '../../functions/src/api/perspective/attributes.ts';
import { loadCorpus } from '../lib/corpus.ts';
import { startStack } from '../stack/stack.ts';
import { BENCH_STACK, underTest } from './bench-stack.ts';
import { mean } from '../lib/statistics.ts';
import { closedLoop, saturationRounds, type Route } from './stack-phases.ts';
import { round } from './timing.ts';
import { BENCH_DTYPE as DTYPE, modelDirOption } from './model-dir-option.ts';

/** The drop-in routes must reach the native route's throughput within this share. */
const TOLERANCE = 0.05;
const SETTINGS = { replicas: 2, concurrency: 32, seconds: 6, rounds: 4, warm_up_seconds: 5 };

const PERSPECTIVE_ATTRIBUTES = Object.fromEntries(Object.keys(SERVED).map((name) => [name, {}]));
const ROUTES: Record<string, Route | undefined> = {
  '/api/v1/classify': undefined,
  '/v1/moderations': { path: '/v1/moderations', body: (text) => JSON.stringify({ model: 'unitary/toxic-bert', input: text }) },
  '/v1alpha1/comments:analyze': {
    path: '/v1alpha1/comments:analyze',
    body: (text) => JSON.stringify({ comment: { text }, requestedAttributes: PERSPECTIVE_ATTRIBUTES, languages: ['en'], doNotStore: true }),
  },
};

async function main(): Promise<void> {
  const modelDir = modelDirOption('bench:dialects');
  const stack = await startStack({ ...BENCH_STACK, replicas: SETTINGS.replicas, functionEnv: { MODEL_DIR: modelDir, MODEL_DTYPE: DTYPE, ORT_THREADS: '1' } });
  let rates: Record<string, number[]>;
  try {
    const texts = loadCorpus();
    const base = underTest(stack, texts);
    await closedLoop(base, 'warm-up', 8, SETTINGS.warm_up_seconds);
    const targets = Object.fromEntries(Object.entries(ROUTES).map(([name, route]) => [name, { ...base, route }]));
    rates = await saturationRounds(targets, SETTINGS, (name, phase) => {
      if (phase.summary.failed > 0) throw new Error(`${name}: ${phase.summary.failed} requests failed (statuses ${JSON.stringify(phase.summary.statuses)})`);
    });
  } finally {
    await stack.stop();
  }
  const native = mean(rates['/api/v1/classify']!);
  process.stdout.write(`saturation through nginx + ${SETTINGS.replicas} replicas, ${SETTINGS.concurrency} clients, ${SETTINGS.rounds} interleaved rounds of ${SETTINGS.seconds} s:\n`);
  for (const [name, values] of Object.entries(rates)) {
    const ratio = mean(values) / native;
    const verdict = name === '/api/v1/classify' ? '' : ` (target within ${TOLERANCE * 100} %: ${Math.abs(1 - ratio) <= TOLERANCE ? 'met' : 'MISSED'})`;
    process.stdout.write(`  ${name.padEnd(28)} ${round(mean(values)).toString().padStart(7)} texts/s  ratio ${round(ratio, 3)}${verdict}\n`);
  }
}

await main();
