/**
 * @module shape-bench
 * `npm run bench:shapes -- --model-dir DIR`: the same cores spent two ways, side by side on this
 * machine: nginx in front of one replica per core (one inference worker each, the compose
 * file's shape), and nginx in front of one replica with an inference worker per core, whose
 * workers share its queue (INFERENCE_WORKERS). Both run at once on ports of their own and are
 * driven in turn, closed loop, one tweet per request, in interleaved rounds with the order
 * reversed every other round, so a noisy neighbour slows them alike; the figure is the second
 * shape's mean texts/s over the first's. Then each is offered the same open load, half of the
 * lower of the two saturations, for latency below saturation.
 * A benchmark, not a test: it prints the figures and exits 0 unless it fails to run.
 */
import os from 'node:os';
import { loadCorpus } from '../lib/corpus.ts';
import { mean } from '../lib/statistics.ts';
import { startStack, type Stack } from '../stack/stack.ts';
import { BENCH_STACK, underTest } from './bench-stack.ts';
import { BENCH_DTYPE as DTYPE, modelDirOption } from './model-dir-option.ts';
import { closedLoop, openLoad, saturationRounds, type Phase } from './stack-phases.ts';
import { round } from './timing.ts';

const CORES = os.availableParallelism();
/**
 * Clients for both shapes: the count `npm run bench`'s former search (the most clients served with
 * at most 1 % refused) found for each shape on 2 cores, so the shapes are compared serving
 * (nearly) everyone. Set, not searched for per shape: one count drives both, and on another
 * machine it should follow that machine's search.
 */
const SETTINGS = { concurrency: 63, seconds: 4, rounds: 6, warm_up_seconds: 5, half_load_seconds: 20, max_in_flight: 1024 };
const SHAPES = {
  [`${CORES} replicas × 1 worker`]: { replicas: CORES, workers: 1, ports: 0 },
  [`1 replica × ${CORES} workers`]: { replicas: 1, workers: CORES, ports: 20 },
};

async function main(): Promise<void> {
  const modelDir = modelDirOption('bench:shapes');
  const stacks: Record<string, Stack> = {};
  let rates: Record<string, number[]>;
  const half: Record<string, Phase> = {};
  try {
    for (const [name, shape] of Object.entries(SHAPES)) {
      stacks[name] = await startStack({
        ...BENCH_STACK,
        dir: `${BENCH_STACK.dir}-shape-${shape.replicas}x${shape.workers}`,
        proxyPort: BENCH_STACK.proxyPort + shape.ports,
        functionBasePort: BENCH_STACK.functionBasePort + shape.ports,
        replicas: shape.replicas,
        functionEnv: { MODEL_DIR: modelDir, MODEL_DTYPE: DTYPE, ORT_THREADS: '1', INFERENCE_WORKERS: String(shape.workers) },
      });
    }
    const texts = loadCorpus();
    const targets = Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, underTest(stack, texts)]));
    for (const target of Object.values(targets)) await closedLoop(target, 'warm-up', 8, SETTINGS.warm_up_seconds);
    // Shedding (429, 503) is part of saturation; anything else is a broken run.
    rates = await saturationRounds(targets, SETTINGS, (name, phase) => {
      const { unexpectedErrors, statuses } = phase.summary;
      if (unexpectedErrors > 0) throw new Error(`${name}: ${unexpectedErrors} unexpected answers (statuses ${JSON.stringify(statuses)})`);
    });
    const rps = Math.min(...Object.values(rates).map(mean)) / 2;
    for (const [name, target] of Object.entries(targets)) half[name] = await openLoad(target, 'half', rps, SETTINGS.half_load_seconds, SETTINGS.max_in_flight);
  } finally {
    await Promise.all(Object.values(stacks).map((stack) => stack.stop()));
  }
  const [first, second] = Object.keys(SHAPES) as [string, string];
  process.stdout.write(`saturation, ${SETTINGS.concurrency} clients back to back, ${SETTINGS.rounds} interleaved rounds of ${SETTINGS.seconds} s, ${CORES} cores:\n`);
  for (const [name, values] of Object.entries(rates)) {
    const { offeredRps, summary } = half[name]!;
    process.stdout.write(
      `  nginx + ${name.padEnd(22)} ${round(mean(values)).toString().padStart(7)} texts/s  (${values.map((v) => round(v)).join(', ')}); ` +
        `at ${round(offeredRps!)} requests/s p50 ${round(summary.latencyMs.p50)} ms, p99 ${round(summary.latencyMs.p99)} ms, statuses ${JSON.stringify(summary.statuses)}\n`,
    );
  }
  process.stdout.write(`  ratio ${second} / ${first}: ${round(mean(rates[second]!) / mean(rates[first]!), 3)}\n`);
}

await main();
