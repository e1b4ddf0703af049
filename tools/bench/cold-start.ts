/**
 * @module cold-start
 * `npm run bench:cold-start -- --model-dir DIR [--dtype q8] [--runs 5] [--image REF] [--json]`:
 * how long a function container takes from `docker run` to serving, as scaling from zero
 * needs it, with a model folder such as make-bench-model's stand-in (toxic-bert's size and
 * cost). Builds the image with that model bundled (unless --image names one already built),
 * then starts it `--runs` times with compose's limits and hardening, and splits each start:
 *
 *   engine     docker run → the container's process starts (create, mounts, network)
 *   node       process start → the server logs "listening" (Node, the bundle, its imports)
 *   model      "listening" → "ready": the model loaded (network in the inference worker,
 *              tokenizer beside it), warm-up request and calibration passes
 *   seen       "ready" → /readyz answers 200 here (this script polls every 10 ms)
 *   healthy    docker run → the engine reports the container healthy (its HEALTHCHECK)
 *
 * Prints the median of each and the image's size. Needs a Docker engine; the engine's storage
 * driver weighs: vfs (the stand-in engine here) copies the whole image for every container.
 */
import { execFile } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { ONNX_FILE } from '../../functions/src/model/location.ts';
import type { ModelDtype } from '../../functions/src/config.ts';
import { REPO_ROOT } from '../lib/repo.ts';
import { median } from '../lib/statistics.ts';
import { sleep } from '../lib/wait.ts';

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run('docker', args, { maxBuffer: 64 << 20 })).stdout.trim();

const MODEL_ID = 'unitary/toxic-bert';
/** Inside the build context (the repository), ignored by git; removed after the build. */
const STAGED = path.join(REPO_ROOT, 'model/.cold-start');

export interface ColdStart {
  engineMs: number;
  nodeMs: number;
  modelMs: number;
  seenMs: number;
  readyMs: number;
  healthyMs: number;
}

/** Hard links of the model's JSON files and the dtype's weights: only what the image takes. */
function stageModel(modelDir: string, dtype: ModelDtype): void {
  const from = path.join(modelDir, MODEL_ID);
  const to = path.join(STAGED, MODEL_ID);
  rmSync(STAGED, { recursive: true, force: true });
  mkdirSync(path.join(to, 'onnx'), { recursive: true });
  for (const file of readdirSync(from).filter((name) => name.endsWith('.json'))) linkSync(path.join(from, file), path.join(to, file));
  linkSync(path.join(from, 'onnx', ONNX_FILE[dtype]), path.join(to, 'onnx', ONNX_FILE[dtype]));
}

async function buildImage(modelDir: string, dtype: ModelDtype, tag: string): Promise<void> {
  stageModel(modelDir, dtype);
  try {
    await run(
      'docker',
      ['build', '--network', 'host', '--target', 'functions', '-t', tag, '--build-arg', 'MODEL_SOURCE=local',
        '--build-arg', `LOCAL_MODEL_DIR=${path.relative(REPO_ROOT, STAGED)}`, '--build-arg', `MODEL_DTYPE=${dtype}`, '.'],
      { cwd: REPO_ROOT, maxBuffer: 256 << 20 },
    );
  } finally {
    rmSync(STAGED, { recursive: true, force: true });
  }
}

/** The time of the first JSON log line with this message. */
function loggedAt(logs: string, msg: string): number {
  for (const line of logs.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; time?: string };
    if (entry.msg === msg && entry.time) return Date.parse(entry.time);
  }
  throw new Error(`the container did not log "${msg}":\n${logs}`);
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Raced with a (referenced) timer: undici leaves a connection to docker's port proxy
    // unreferenced while the container is not listening yet, and Node would exit mid-wait.
    const value = await Promise.race([read().catch(() => undefined), sleep(2000).then(() => undefined)]);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** One start of the image, with compose's limits and hardening, torn down afterwards. */
export async function measureColdStart(image: string, address = '127.0.0.1'): Promise<ColdStart> {
  const name = `tm-cold-start-${process.pid}`;
  const began = Date.now();
  await docker('run', '-d', '--name', name, '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL',
    '--security-opt', 'no-new-privileges:true', '--cpus', '1', '--memory', '1g', '-p', `${address}::8080`, image);
  try {
    const port = (await docker('port', name, '8080/tcp')).split('\n')[0]!.split(':').at(-1)!;
    const seenAt = await until('/readyz 200', async () => {
      const res = await fetch(`http://${address}:${port}/readyz`, { signal: AbortSignal.timeout(1000) });
      return res.ok ? Date.now() : undefined;
    });
    const healthyAt = await until('healthy', async () =>
      (await docker('inspect', '-f', '{{.State.Health.Status}}', name)) === 'healthy' ? Date.now() : undefined, 60_000, 50);
    const startedAt = Date.parse(await docker('inspect', '-f', '{{.State.StartedAt}}', name));
    const logs = await docker('logs', name);
    const listening = loggedAt(logs, 'listening');
    const ready = loggedAt(logs, 'ready');
    return {
      engineMs: startedAt - began,
      nodeMs: listening - startedAt,
      modelMs: ready - listening,
      seenMs: seenAt - ready,
      readyMs: seenAt - began,
      healthyMs: healthyAt - began,
    };
  } finally {
    await docker('rm', '-f', name);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'model-dir': { type: 'string' },
      dtype: { type: 'string', default: 'q8' },
      runs: { type: 'string', default: '5' },
      image: { type: 'string' },
      json: { type: 'boolean', default: false },
      // For an engine elsewhere (DOCKER_HOST), such as a node of the swarm lab in its own
      // network namespace: the address its published port is reached at.
      address: { type: 'string', default: '127.0.0.1' },
    },
  });
  const dtype = values.dtype as ModelDtype;
  if (!(dtype in ONNX_FILE)) throw new Error('--dtype must be q8 or fp32');
  let image = values.image;
  if (!image) {
    if (!values['model-dir']) throw new Error('give --model-dir DIR (holding unitary/toxic-bert/) or --image REF');
    image = `toxicity-monitor/functions:cold-start-${dtype}`;
    console.error(`cold-start: building ${image} with ${values['model-dir']} bundled…`);
    await buildImage(path.resolve(values['model-dir']), dtype, image);
  }
  const imageBytes = Number(await docker('image', 'inspect', '-f', '{{.Size}}', image));
  const samples: ColdStart[] = [];
  for (let i = 0; i < Number(values.runs); i++) samples.push(await measureColdStart(image, values.address));
  const keys = Object.keys(samples[0]!) as (keyof ColdStart)[];
  const medians = Object.fromEntries(keys.map((key) => [key, Math.round(median(samples.map((s) => s[key])))])) as unknown as ColdStart;
  if (values.json) {
    console.log(JSON.stringify({ image, imageBytes, dtype, runs: samples.length, medians, samples }, null, 2));
    return;
  }
  console.log(`image ${image}: ${(imageBytes / 1e6).toFixed(0)} MB; median of ${samples.length} starts (${dtype}):`);
  console.log(`  docker run → process start (engine)        ${medians.engineMs} ms`);
  console.log(`  process start → listening (Node, imports)  ${medians.nodeMs} ms`);
  console.log(`  listening → ready (model, warm-up, calib.) ${medians.modelMs} ms`);
  console.log(`  ready → /readyz seen                       ${medians.seenMs} ms`);
  console.log(`  docker run → ready                         ${medians.readyMs} ms`);
  console.log(`  docker run → healthy (HEALTHCHECK)         ${medians.healthyMs} ms`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
