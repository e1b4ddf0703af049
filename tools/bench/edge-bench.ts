/**
 * @module edge-bench
 * `npm run bench:edge -- --model-dir DIR`: the stack bench's saturation phase (nginx + 2
 * replicas, q8, ORT_THREADS=1, 32 clients back to back, one tweet per request to
 * /api/v1/classify) against two stacks: one as shipped (open, HTTP), one with an API key
 * required and TLS on (HTTPS through a throwaway CA, keep-alive connections, the key as
 * X-API-Key; the key has no per-key limit, so nothing is refused). The two run in interleaved
 * rounds, the order reversed every other round, as bench:dialects does, so a noisy neighbour
 * slows both alike; the figure is the keys+TLS stack's mean texts/s over the open one's.
 * A benchmark, not a test: it prints the ratio against the 5 % target and exits 0 unless it
 * fails to run.
 */
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runKeys } from '../keys/cli.ts';
import { loadCorpus } from '../lib/corpus.ts';
import { makeThrowawayCa } from '../lib/throwaway-ca.ts';
import { startStack, type Stack } from '../stack/stack.ts';
import { BENCH_STACK, underTest } from './bench-stack.ts';
import { mean } from '../lib/statistics.ts';
import { closedLoop, saturationRounds, type StackUnderTest } from './stack-phases.ts';
import { round } from './timing.ts';
import { BENCH_DTYPE as DTYPE, modelDirOption } from './model-dir-option.ts';

/** Keys and TLS on must reach the open stack's throughput within this share. */
const TOLERANCE = 0.05;
// 10 s of warm-up per stack: with bench:dialects' 5 s, the stack measured second ran its first
// round some 20 % slow, then as fast as the rest.
const SETTINGS = { replicas: 2, concurrency: 32, seconds: 6, rounds: 4, warm_up_seconds: 10 };

async function main(): Promise<void> {
  const modelDir = modelDirOption('bench:edge');
  const functionEnv = { MODEL_DIR: modelDir, MODEL_DTYPE: DTYPE, ORT_THREADS: '1' };
  const ca = makeThrowawayCa();
  const keyFile = path.join(ca.dir, 'api-keys.json');
  let key = '';
  runKeys(['add', 'bench', '--file', keyFile], {}, (line) => (key = line));
  const stacks: Stack[] = [];
  type Name = 'open' | 'keys+TLS';
  let rates: Record<Name, number[]>;
  const refused = { open: 0, 'keys+TLS': 0 };
  try {
    // One after the other: each replica preloads and warms its model, which takes both cores.
    stacks.push(await startStack({ ...BENCH_STACK, replicas: SETTINGS.replicas, functionEnv }));
    stacks.push(
      await startStack({
        ...BENCH_STACK,
        proxyPort: BENCH_STACK.proxyPort + 1,
        tlsPort: BENCH_STACK.proxyPort + 2,
        functionBasePort: BENCH_STACK.functionBasePort + 10,
        dir: path.join(os.tmpdir(), 'toxicity-monitor-bench-edge'),
        replicas: SETTINGS.replicas,
        functionEnv,
        apiKeysFile: keyFile,
        tls: { cert: ca.cert, key: ca.key },
      }),
    );
    const texts = loadCorpus();
    const targets: Record<Name, StackUnderTest> = {
      open: underTest(stacks[0]!, texts),
      'keys+TLS': { ...underTest(stacks[1]!, texts), headers: { 'x-api-key': key }, ca: readFileSync(ca.caCert, 'utf8') },
    };
    for (const target of Object.values(targets)) await closedLoop(target, 'warm-up', 8, SETTINGS.warm_up_seconds);
    rates = await saturationRounds(targets, SETTINGS, (name, phase) => {
      // A replica may refuse the odd request 429 client_busy (32 clients from one address hold
      // more than its fair share of the queue): that is the replicas' doing, on both stacks
      // alike, and leaves the throughput of answered texts. Anything else is a broken run.
      const broken = Object.entries(phase.summary.statuses).filter(([status]) => status !== '200' && status !== '429 rate_limited');
      if (broken.length > 0) throw new Error(`${name}: requests failed (statuses ${JSON.stringify(phase.summary.statuses)})`);
      refused[name] += phase.summary.failed;
    });
  } finally {
    for (const stack of stacks.reverse()) await stack.stop();
    rmSync(ca.dir, { recursive: true, force: true });
  }
  const ratio = mean(rates['keys+TLS']) / mean(rates.open);
  process.stdout.write(`saturation through nginx + ${SETTINGS.replicas} replicas, ${SETTINGS.concurrency} clients, ${SETTINGS.rounds} interleaved rounds of ${SETTINGS.seconds} s:\n`);
  process.stdout.write(`  open (HTTP, no key)        ${round(mean(rates.open)).toString().padStart(7)} texts/s  (${refused.open} refused 429 by a replica)\n`);
  process.stdout.write(
    `  keys + TLS (HTTPS, key)    ${round(mean(rates['keys+TLS'])).toString().padStart(7)} texts/s  (${refused['keys+TLS']} refused 429 by a replica)  ratio ${round(ratio, 3)} ` +
      `(target within ${TOLERANCE * 100} %: ${1 - ratio <= TOLERANCE ? 'met' : 'MISSED'})\n`,
  );
}

await main();
