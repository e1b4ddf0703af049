import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, type Manifest } from './fetch-manifest.ts';
import { readWeightsVersion, sha256File } from './weights-version.ts';

const WEIGHTS = 'onnx/model_quantized.onnx';
// Over one read chunk (1 MiB), so the digest is built from several.
const bytes = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7919) % 251));
const digest = createHash('sha256').update(bytes).digest('hex');
const REVISION = `Xenova/toxic-bert@${'c'.repeat(40)}`;

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'weights-version-'));
  await mkdir(path.join(folder, 'onnx'));
  await writeFile(path.join(folder, WEIGHTS), bytes);
});
afterEach(() => rm(folder, { recursive: true, force: true }));

async function writeManifestFor(sha256: string): Promise<void> {
  const { size, mtimeMs } = await stat(path.join(folder, WEIGHTS));
  const manifest: Manifest = { [WEIGHTS]: { size, mtimeMs, sha256, revision: REVISION } };
  await writeFile(path.join(folder, MANIFEST_FILE), JSON.stringify(manifest));
}

describe('readWeightsVersion', () => {
  it('hashes the file when there is no manifest, and names no revision', async () => {
    expect(await readWeightsVersion(folder, WEIGHTS)).toEqual({ sha256: digest, revision: null, source: 'hashed' });
    expect(await sha256File(path.join(folder, WEIGHTS))).toBe(digest);
  });

  it('takes the digest and revision from the fetch manifest while size and mtime match, without hashing', async () => {
    // A digest that is not the file's: only reading the manifest can return it.
    const recorded = 'e'.repeat(64);
    await writeManifestFor(recorded);
    expect(await readWeightsVersion(folder, WEIGHTS)).toEqual({ sha256: recorded, revision: REVISION, source: 'manifest' });
  });

  it('still trusts the manifest when the file\'s mtime was truncated to whole seconds, as a copy into an image may do', async () => {
    const file = path.join(folder, WEIGHTS);
    const precise = new Date(Math.floor(Date.now() / 1000) * 1000 - 10_000 + 123.456);
    await utimes(file, precise, precise);
    await writeManifestFor('e'.repeat(64));
    const truncated = new Date(Math.floor(precise.getTime() / 1000) * 1000);
    await utimes(file, truncated, truncated);
    expect((await readWeightsVersion(folder, WEIGHTS)).source).toBe('manifest');
  });

  it('hashes again, and drops the revision, when the file changed after it was recorded', async () => {
    await writeManifestFor('e'.repeat(64));
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(folder, WEIGHTS), later, later);
    expect(await readWeightsVersion(folder, WEIGHTS)).toEqual({ sha256: digest, revision: null, source: 'hashed' });
  });
});
