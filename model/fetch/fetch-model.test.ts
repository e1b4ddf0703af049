/**
 * fetchModel against a local fake Hub: full fetch, resume after a dropped connection, restart
 * when Range is ignored, checksum failure, the no-download second run, dtype selection, and
 * options read from the environment.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeModelFiles, sha256, startFakeHub, type FakeHub } from './fake-hub.ts';
import { fetchModel, type FetchDtype, type FetchOptions } from './fetch-model.ts';
import { MANIFEST_FILE } from './manifest.ts';
import { resolveOptions } from './options.ts';

const REPO = 'Xenova/toxic-bert';
const MODEL_ID = 'unitary/toxic-bert';
const TOKEN = 'hf_test_token_do_not_print';
const files = fakeModelFiles();

let hub: FakeHub;
let modelDir: string;
let output: { text: string; write(text: string): void };

beforeEach(async () => {
  hub = await startFakeHub({ repo: REPO, revision: 'main', files });
  modelDir = await mkdtemp(path.join(tmpdir(), 'model-fetch-'));
  output = { text: '', write: (text) => void (output.text += text) };
});
afterEach(async () => {
  await hub.close();
  await rm(modelDir, { recursive: true, force: true });
});

function options(dtype: FetchDtype = 'all'): FetchOptions {
  return { endpoint: hub.endpoint, repo: REPO, revision: 'main', token: TOKEN, modelDir, modelId: MODEL_ID, dtype, retryDelayMs: 10, output };
}

const local = (file: string) => path.join(modelDir, MODEL_ID, file);
const gets = () => hub.requests.filter((request) => request.method === 'GET');

async function expectIdentical(file: string): Promise<void> {
  expect((await readFile(local(file))).equals(files[file]!)).toBe(true);
}

describe('fetchModel', () => {
  it('fetches every file of --dtype all, identical to the source, with checksums recorded', async () => {
    const result = await fetchModel(options('all'));

    expect(result.files.map((file) => [file.file, file.status])).toEqual([
      ['config.json', 'downloaded'],
      ['tokenizer.json', 'downloaded'],
      ['tokenizer_config.json', 'downloaded'],
      ['onnx/model_quantized.onnx', 'downloaded'],
      ['onnx/model.onnx', 'downloaded'],
    ]);
    for (const file of Object.keys(files)) await expectIdentical(file);
    const manifest = JSON.parse(await readFile(local(MANIFEST_FILE), 'utf8'));
    expect(manifest['onnx/model.onnx'].sha256).toBe(sha256(files['onnx/model.onnx']!));
    expect(existsSync(local('onnx/model.onnx.part'))).toBe(false);
    // The ONNX files came from the CDN after a 302, as on the real Hub.
    expect(gets().filter((request) => request.server === 'cdn')).toHaveLength(2);
    expect(output.text).toContain('onnx/model.onnx');
    expect(output.text).toContain('100.0%');
  });

  it('sends HF_TOKEN to the Hub only, never to the CDN it redirects to', async () => {
    await fetchModel(options('q8'));

    const hubAuth = hub.requests.filter((request) => request.server === 'hub').map((request) => request.authorization);
    const cdnAuth = hub.requests.filter((request) => request.server === 'cdn').map((request) => request.authorization);
    expect(new Set(hubAuth)).toEqual(new Set([`Bearer ${TOKEN}`]));
    expect(cdnAuth.length).toBeGreaterThan(0);
    expect(cdnAuth.every((auth) => auth === undefined)).toBe(true);
    expect(output.text).not.toContain(TOKEN);
  });

  it('resumes an interrupted download with a Range request and ends identical', async () => {
    hub.cutOnce('onnx/model.onnx', 100_000);

    await fetchModel(options('fp32'));

    const modelGets = gets().filter((request) => request.path.includes('model.onnx') && request.server === 'cdn');
    expect(modelGets.map((request) => request.range)).toEqual([undefined, 'bytes=100000-']);
    await expectIdentical('onnx/model.onnx');
    expect(output.text).toMatch(/onnx\/model\.onnx: .*retry 1\/3/);
  });

  it('starts over from byte 0 when the server ignores Range and answers 200', async () => {
    await mkdir(local('onnx'), { recursive: true });
    await writeFile(local('onnx/model.onnx.part'), Buffer.alloc(50_000, 7));
    hub.ignoreRange = true;

    await fetchModel(options('fp32'));

    const modelGet = gets().find((request) => request.path.includes('model.onnx') && request.server === 'cdn');
    expect(modelGet?.range).toBe('bytes=50000-');
    await expectIdentical('onnx/model.onnx');
  });

  it('fails on corrupted bytes with both checksums, leaving neither the file nor a .part', async () => {
    hub.corrupt('onnx/model_quantized.onnx');

    const failure = fetchModel(options('q8'));

    await expect(failure).rejects.toThrow(/onnx\/model_quantized\.onnx: checksum mismatch/);
    await expect(failure).rejects.toThrow(new RegExp(`expected sha256 ${sha256(files['onnx/model_quantized.onnx']!)}, got [0-9a-f]{64}`));
    expect(existsSync(local('onnx/model_quantized.onnx'))).toBe(false);
    expect(existsSync(local('onnx/model_quantized.onnx.part'))).toBe(false);
  });

  it('downloads nothing on a second run: HEAD requests only', async () => {
    await fetchModel(options('all'));
    hub.requests.length = 0;

    const second = await fetchModel(options('all'));

    expect(second.files.every((file) => file.status === 'verified')).toBe(true);
    expect(hub.requests.length).toBeGreaterThan(0);
    expect(gets()).toEqual([]);
  });

  it('downloads again a file changed on disk since it was verified', async () => {
    await fetchModel(options('q8'));
    await writeFile(local('onnx/model_quantized.onnx'), 'truncated');
    hub.requests.length = 0;

    const second = await fetchModel(options('q8'));

    expect(second.files.filter((file) => file.status === 'downloaded').map((file) => file.file)).toEqual(['onnx/model_quantized.onnx']);
    await expectIdentical('onnx/model_quantized.onnx');
  });

  it('recognises a complete file without a manifest by its sha256', async () => {
    await mkdir(local('onnx'), { recursive: true });
    await writeFile(local('onnx/model.onnx'), files['onnx/model.onnx']!);

    const result = await fetchModel(options('fp32'));

    expect(result.files.find((file) => file.file === 'onnx/model.onnx')?.status).toBe('verified');
    expect(gets().some((request) => request.path.includes('model.onnx'))).toBe(false);
  });

  it('--dtype fp32 fetches model.onnx and not model_quantized.onnx', async () => {
    const result = await fetchModel({ ...resolveOptions(['--dtype', 'fp32'], { HF_ENDPOINT: hub.endpoint, MODEL_DIR: modelDir }), retryDelayMs: 10, output });

    expect(result.files.map((file) => file.file)).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']);
    expect(existsSync(local('onnx/model.onnx'))).toBe(true);
    expect(existsSync(local('onnx/model_quantized.onnx'))).toBe(false);
    expect(gets().some((request) => request.path.includes('model_quantized'))).toBe(false);
  });

  it('honours HF_ENDPOINT, HF_REPO, HF_REVISION, MODEL_DIR and MODEL_ID from the environment', async () => {
    await hub.close();
    hub = await startFakeHub({ repo: 'someone/other-bert', revision: 'v1.0', files });
    const env = { HF_ENDPOINT: `${hub.endpoint}/`, HF_REPO: 'someone/other-bert', HF_REVISION: 'v1.0', MODEL_DIR: modelDir, MODEL_ID: 'me/bert' };

    const result = await fetchModel({ ...resolveOptions([], env), output });

    expect(result.dir).toBe(path.join(modelDir, 'me/bert'));
    expect(await readFile(path.join(modelDir, 'me/bert/onnx/model_quantized.onnx'))).toEqual(files['onnx/model_quantized.onnx']);
    expect(hub.requests[0]?.path).toBe('/someone/other-bert/resolve/v1.0/config.json');
  });

  it('records the commit the Hub resolved the revision to, as repo@commit, for every file', async () => {
    const commit = 'a'.repeat(40);
    await hub.close();
    hub = await startFakeHub({ repo: REPO, revision: 'main', files, commit });

    await fetchModel(options('q8'));

    const manifest = JSON.parse(await readFile(local(MANIFEST_FILE), 'utf8')) as Record<string, { revision?: string }>;
    expect(Object.values(manifest).map((entry) => entry.revision)).toEqual(Array(4).fill(`${REPO}@${commit}`));
  });

  it('records no revision when the Hub names no commit and the revision is a branch', async () => {
    await fetchModel(options('q8'));

    const manifest = JSON.parse(await readFile(local(MANIFEST_FILE), 'utf8')) as Record<string, { revision?: string }>;
    expect(manifest['onnx/model_quantized.onnx']).toBeDefined();
    expect(Object.values(manifest).some((entry) => 'revision' in entry)).toBe(false);
  });

  it('names the file and the HTTP status of a 404', async () => {
    await expect(fetchModel({ ...options(), repo: 'nobody/missing' })).rejects.toThrow(
      /^config\.json: HTTP 404 Not Found \(RepoNotFound\) from HEAD http:\/\/127\.0\.0\.1:\d+\/nobody\/missing\/resolve\/main\/config\.json$/,
    );
  });

  it('gives up after 3 retries when the connection keeps dropping', async () => {
    const endpoint = hub.endpoint;
    await hub.close();

    await expect(fetchModel({ ...options(), endpoint })).rejects.toThrow(/^config\.json: fetch failed \(.*ECONNREFUSED/);
    expect(output.text.match(/retry \d\/3/g)).toEqual(['retry 1/3', 'retry 2/3', 'retry 3/3']);
  });
});
