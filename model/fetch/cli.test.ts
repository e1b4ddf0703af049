/**
 * `tsx model/fetch.ts` as npm runs it, in a child process against the fake Hub: exit code,
 * stdout summary, and the one-line failure message.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeModelFiles, startFakeHub, type FakeHub } from './fake-hub.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'hf_secret_token_value';

let hub: FakeHub;
let modelDir: string;

beforeAll(async () => {
  hub = await startFakeHub({ repo: 'Xenova/toxic-bert', revision: 'main', files: fakeModelFiles() });
  modelDir = await mkdtemp(path.join(tmpdir(), 'model-fetch-cli-'));
});
afterAll(async () => {
  await hub?.close();
  await rm(modelDir, { recursive: true, force: true });
});

/** Asynchronous on purpose: the fake Hub lives in this process and must keep answering. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'model/fetch.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, HF_ENDPOINT: hub.endpoint, MODEL_DIR: modelDir, HF_TOKEN: TOKEN, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('model:fetch CLI', () => {
  it('exits 0 and reports what it fetched', async () => {
    const { code, stdout, stderr } = await runCli(['--dtype', 'q8'], {});

    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^model:fetch: 4 files ready in .*unitary\/toxic-bert \(4 downloaded, 0 already verified\)\n$/);
    expect(existsSync(path.join(modelDir, 'unitary/toxic-bert/onnx/model_quantized.onnx'))).toBe(true);
  });

  it('exits 1 with one line naming the file and the HTTP status on a 404, without the token', async () => {
    const { code, stdout, stderr } = await runCli([], { HF_REPO: 'nobody/missing' });

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^model:fetch: config\.json: HTTP 404 Not Found \(RepoNotFound\) from HEAD http:\/\/127\.0\.0\.1:\d+\/nobody\/missing\/resolve\/main\/config\.json\n$/);
    expect(stderr).not.toContain(TOKEN);
  });
});
