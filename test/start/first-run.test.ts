/**
 * `npm start` when the real model is missing, against the project's fake Hub: its command line
 * (package.json's, without the build) runs in a copy of the built layout whose model/weights is
 * empty, in a pseudo-terminal (util-linux `script`) where a person answers, or without one.
 * - accepted: the model is fetched, checksums verified, and the server serves it;
 * - declined: nothing is asked of the Hub, the server serves the stand-in and says so, and the
 *   next start does not ask again;
 * - Hub unreachable: it says so and the server serves the stand-in;
 * - no terminal: no question, no request to the Hub, the stand-in; MODEL_FETCH=yes fetches
 *   without asking, MODEL_FETCH=no never asks.
 * The "accepted" Hub serves the stand-in's own files without its offline mark, so a loaded
 * "real" model is told apart by `offline: false` and the folder it came from.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requiredFiles } from '../../functions/src/model/location.ts';
import { sha256, startFakeHub, type FakeHub } from '../../model/fetch/fake-hub.ts';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { waitFor, waitForOk } from '../../tools/lib/wait.ts';
import { buildServer, SERVER_BUNDLE } from '../../tools/stack/build.ts';

const PORT = 18187;
const URL_BASE = `http://127.0.0.1:${PORT}`;
const MODEL_ID = 'unitary/toxic-bert';
const STAND_IN = path.join(REPO_ROOT, 'model/offline', MODEL_ID);

/** npm start's command line after its build step, which the layout below already holds. */
const START = (() => {
  const start = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const build = 'npm run build --silent && ';
  if (!start.startsWith(build)) throw new Error(`npm start no longer begins with "${build}": ${start}`);
  return start.slice(build.length);
})();

/** The stand-in's files as a Hub would serve a real model: the same, minus the offline mark. */
function realLookingModel(): Record<string, Buffer> {
  const files = Object.fromEntries(
    [...new Set([...requiredFiles('q8'), ...requiredFiles('fp32')])].map((file) => [file, readFileSync(path.join(STAND_IN, file))]),
  );
  const config = JSON.parse(files['config.json']!.toString()) as Record<string, unknown>;
  delete config.toxicity_monitor_offline;
  return { ...files, 'config.json': Buffer.from(JSON.stringify(config)) };
}

const HUB_FILES = realLookingModel();
let hub: FakeHub;
let root: string;
beforeAll(async () => {
  await buildServer();
  hub = await startFakeHub({ repo: 'Xenova/toxic-bert', revision: 'main', files: HUB_FILES });
});
afterAll(() => hub?.close());

/**
 * What `npm start` runs from, in a folder of its own: the built server and first step (they
 * find MODEL_DIR's default, model/weights, two folders up from themselves), the dependencies
 * and the committed stand-in. No model in model/weights.
 */
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'first-run-'));
  const dist = path.dirname(SERVER_BUNDLE);
  mkdirSync(path.join(root, 'dist/functions'), { recursive: true });
  for (const file of readdirSync(dist)) cpSync(path.join(dist, file), path.join(root, 'dist/functions', file));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  mkdirSync(path.join(root, 'model'));
  symlinkSync(path.join(REPO_ROOT, 'model/offline'), path.join(root, 'model/offline'));
  hub.requests.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  terminal: boolean;
  child: ChildProcess;
  output(): string;
  /** Types into the terminal (only for runs in one). */
  type(text: string): void;
  exited: Promise<number | null>;
}

/** Runs `command` from the layout, in a pseudo-terminal or with plain pipes. */
function run(command: string, o: { terminal: boolean; env?: Record<string, string> }): Run {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root, TERM: 'dumb', HOST: '127.0.0.1', PORT: String(PORT), HF_ENDPOINT: hub.endpoint, ...o.env };
  // script: -q no banner, -f flush as it comes, -e the command's exit code, -c the command.
  const child = o.terminal
    ? spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env, stdio: 'pipe', detached: true })
    : spawn('sh', ['-c', command], { cwd: root, env, stdio: 'pipe', detached: true });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { terminal: o.terminal, child, output: () => output, type: (text) => child.stdin!.write(text), exited };
}

const waitForOutput = (started: Run, pattern: RegExp) =>
  waitFor(`output matching ${pattern}`, started.output, (output) => pattern.test(output), 30_000, 50);

/** Waits for the server to be ready, reads what it says it serves, then stops it as a person would. */
async function servedModel(started: Run): Promise<{ api: { id: string; offline: boolean }; ready: { model: string; offline: boolean; model_dir: string } }> {
  try {
    await waitForOk(`${URL_BASE}/readyz`, 60_000, () => started.child.exitCode === null);
    const api = (await (await fetch(`${URL_BASE}/api/v1/model`)).json()) as { id: string; offline: boolean };
    const readyLine = started.output().split(/\r?\n/).find((line) => line.includes('"msg":"ready"'));
    return { api, ready: JSON.parse(readyLine!.slice(readyLine!.indexOf('{'))) };
  } finally {
    // Ctrl-C, as a person stops it; without a terminal, the same signal to its process group.
    if (started.terminal) started.type('\x03');
    else process.kill(-started.child.pid!, 'SIGINT');
    await started.exited;
  }
}

/** A port nothing listens on: one the system just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const weights = () => path.join(root, 'model/weights');
const fetched = () => requiredFiles('q8').filter((file) => existsSync(path.join(weights(), MODEL_ID, file)));

describe('npm start in a terminal, the real model missing', () => {
  it('accepted: fetches it with verified checksums, and the server serves it', async () => {
    const started = run(START, { terminal: true });
    await waitForOutput(started, /Fetch it now from http:\/\/127\.0\.0\.1:\d+ \(Xenova\/toxic-bert, about 110 MB\)\? \[Y\/n\]/);
    started.type('y\r');

    const { api, ready } = await servedModel(started);
    expect(started.output()).toMatch(/npm start: fetched: 4 files ready in .*model\/weights\/unitary\/toxic-bert \(4 downloaded/);
    expect(fetched()).toEqual(requiredFiles('q8'));
    expect(hub.requests.some((request) => request.server === 'cdn' && request.path.includes('model_quantized.onnx'))).toBe(true);
    // The fetcher records a file only once its bytes matched the sha256 the Hub announced.
    const manifest = JSON.parse(readFileSync(path.join(weights(), MODEL_ID, '.fetch-manifest.json'), 'utf8')) as Record<string, { sha256: string }>;
    expect(manifest['onnx/model_quantized.onnx']?.sha256).toBe(sha256(HUB_FILES['onnx/model_quantized.onnx']!));
    expect(api).toMatchObject({ id: MODEL_ID, offline: false });
    expect(ready).toMatchObject({ model: MODEL_ID, offline: false, model_dir: weights() });
  });

  it('declined: asks nothing of the Hub, serves the stand-in named as such, and does not ask again', async () => {
    const started = run(START, { terminal: true });
    await waitForOutput(started, /\[Y\/n\]/);
    started.type('n\r');

    const { api, ready } = await servedModel(started);
    expect(started.output()).toContain('npm start: not fetching: starting on the offline stand-in');
    expect(started.output()).toContain('OFFLINE MODEL: serving the small offline stand-in');
    expect(hub.requests).toEqual([]);
    expect(api).toMatchObject({ id: MODEL_ID, offline: true });
    expect(ready).toMatchObject({ model: `the offline stand-in for ${MODEL_ID}`, offline: true });

    const again = run('node dist/functions/first-run.mjs', { terminal: true });
    expect(await again.exited).toBe(0);
    expect(again.output()).toContain('not offering to fetch unitary/toxic-bert again');
    expect(hub.requests).toEqual([]);
  });

  it('the Hub unreachable: says so and serves the stand-in', async () => {
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const started = run(START, { terminal: true, env: { HF_ENDPOINT: closed } });
    await waitForOutput(started, /\[Y\/n\]/);
    started.type('\r');

    const { api } = await servedModel(started);
    expect(started.output()).toContain(`npm start: cannot reach ${closed} (fetch failed (connect ECONNREFUSED`);
    expect(started.output()).toContain('): starting on the offline stand-in.');
    expect(api).toMatchObject({ offline: true });
    expect(fetched()).toEqual([]);
  });
});

describe('npm start without a terminal, the real model missing', () => {
  it('asks nothing, sends nothing to the Hub, and serves the stand-in named as such', async () => {
    const started = run(START, { terminal: false });
    const { api, ready } = await servedModel(started);
    expect(started.output()).not.toContain('[Y/n]');
    expect(hub.requests).toEqual([]);
    expect(api).toMatchObject({ offline: true });
    expect(ready).toMatchObject({ model: `the offline stand-in for ${MODEL_ID}` });
  });

  it('MODEL_FETCH=yes fetches without asking; MODEL_FETCH=no does not ask even in a terminal', async () => {
    const no = run('node dist/functions/first-run.mjs', { terminal: true, env: { MODEL_FETCH: 'no' } });
    expect(await no.exited).toBe(0);
    expect(no.output()).not.toContain('[Y/n]');
    expect(hub.requests).toEqual([]);

    const yes = run('node dist/functions/first-run.mjs', { terminal: false, env: { MODEL_FETCH: 'yes' } });
    expect(await yes.exited).toBe(0);
    expect(yes.output()).not.toContain('[Y/n]');
    expect(fetched()).toEqual(requiredFiles('q8'));
  });
});
