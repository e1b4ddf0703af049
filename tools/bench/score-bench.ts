/**
 * @module score-bench
 * `npm run bench:score -- --model-dir DIR`: how close `toxicity-monitor score` comes to what it
 * runs on, on the 2,492 tweets of data/davidson-tweets/dev.csv, two ratios:
 *   (a) through the stack: the scorer against nginx + 2 replicas (q8, ORT_THREADS=1), over the
 *       stack's saturation throughput measured as `npm run bench` measures it (closed loop × 32,
 *       stack-phases.ts), in interleaved pairs;
 *   (b) in process: the scorer with --local, over the bare ceiling (ceiling.ts: one bare
 *       session per core, its best batch size, pre-tokenised), also in interleaved pairs.
 * The scorer's rate is the one its summary prints (rows per second while scoring, model
 * loading excluded, as the ceiling excludes making its sessions). A benchmark, not a test:
 * it prints both ratios against the 0.9 target and exits 0 unless it fails to run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { devTweets } from '../lib/corpus.ts';
import { REPO_ROOT } from '../lib/repo.ts';
import { mean } from '../lib/statistics.ts';
import { startStack } from '../stack/stack.ts';
import { BENCH_STACK, underTest } from './bench-stack.ts';
import { add, openCeiling, type BatchSizeRun } from './ceiling.ts';
import { closedLoop } from './stack-phases.ts';
import { round } from './timing.ts';
import { tokenise } from './tokens.ts';
import { ONNX_FILE } from '../../functions/src/model/location.ts';
import { BENCH_DTYPE as DTYPE, BENCH_MODEL_ID as MODEL_ID, modelDirOption } from './model-dir-option.ts';

const TARGET = 0.9;
const SETTINGS = { replicas: 2, pairs: 2, saturation_concurrency: 32, saturation_seconds: 8, batch_sizes: [8, 16], rounds: 2 };

const began = performance.now();
const progress = (message: string) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

/** One run of the scorer as a user runs it; its rows per second while scoring. */
function scorerTps(args: string[], env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'cli/bin/toxicity-monitor.js'), 'score', ...args, '--overwrite', '--progress', 'none'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const rate = /([\d,.]+) rows\/s while scoring/.exec(stdout)?.[1];
      if (code !== 0 || rate === undefined) reject(new Error(`the scorer exited ${code}:\n${stdout}`));
      else resolve(Number(rate.replaceAll(',', '')));
    }),
  );
}


async function main(): Promise<void> {
  const modelDir = modelDirOption('bench:score');
  const texts = devTweets();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'score-bench-'));
  const input = path.join(dir, 'tweets.jsonl');
  writeFileSync(input, texts.map((text) => JSON.stringify({ text })).join('\n'));
  const output = path.join(dir, 'scores.csv');
  const env = { MODEL_DIR: modelDir, MODEL_DTYPE: DTYPE, ORT_THREADS: '1' };
  try {
    progress(`starting nginx and ${SETTINGS.replicas} replicas (${DTYPE}, ORT_THREADS=1, ${modelDir})`);
    const stack = await startStack({ ...BENCH_STACK, replicas: SETTINGS.replicas, functionEnv: env });
    const stackTps: number[] = [];
    const viaStack: number[] = [];
    try {
      const target = underTest(stack, texts);
      await closedLoop(target, 'warm-up', 8, 5);
      for (let pair = 0; pair < SETTINGS.pairs; pair++) {
        const phase = await closedLoop(target, `saturation ${pair + 1}`, SETTINGS.saturation_concurrency, SETTINGS.saturation_seconds);
        stackTps.push(phase.summary.okRps);
        viaStack.push(await scorerTps([input, '-o', output, '--url', stack.url], {}));
        progress(`  pair ${pair + 1}: stack ${round(stackTps.at(-1)!)} texts/s, scorer through it ${round(viaStack.at(-1)!)} rows/s`);
      }
    } finally {
      await stack.stop();
    }

    const sessions = os.availableParallelism();
    progress(`ceiling: ${sessions} bare sessions, batch sizes ${SETTINGS.batch_sizes.join(', ')}, ${texts.length} pre-tokenised tweets`);
    const sequences = await tokenise(modelDir, MODEL_ID, texts);
    const ceiling = await openCeiling(path.join(modelDir, MODEL_ID, 'onnx', ONNX_FILE[DTYPE]), sequences, {
      sessions,
      batchSizes: SETTINGS.batch_sizes,
      rounds: SETTINGS.rounds,
    });
    let ceilingRuns: BatchSizeRun | undefined;
    const local: number[] = [];
    try {
      const { best } = await ceiling.measure();
      for (let pair = 0; pair < SETTINGS.pairs; pair++) {
        ceilingRuns = add(ceilingRuns, await ceiling.remeasure(best.batchSize, pair));
        local.push(await scorerTps([input, '-o', output, '--local', '--workers', String(sessions)], env));
        progress(`  pair ${pair + 1}: ceiling ${round(ceilingRuns.tps)} texts/s (batch ${best.batchSize}), scorer --local ${round(local.at(-1)!)} rows/s`);
      }
    } finally {
      await ceiling.release();
    }

    const ratios = [
      ['scorer through the stack / stack saturation', mean(viaStack), mean(stackTps)],
      ['scorer --local / bare ceiling', mean(local), ceilingRuns!.tps],
    ] as const;
    for (const [what, scorer, bound] of ratios) {
      const ratio = scorer / bound;
      process.stdout.write(`${what}: ${round(scorer)} / ${round(bound)} texts/s = ${round(ratio, 3)} (target ≥ ${TARGET}: ${ratio >= TARGET ? 'met' : 'MISSED'})\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
