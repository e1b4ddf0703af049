/**
 * @module fetch/fetch-model
 * Brings `MODEL_DIR/<MODEL_ID>/` up to date with a Hub repo (by default Xenova/toxic-bert, the
 * ONNX export of unitary/toxic-bert): the files functions/src/model/location.ts requires, each
 * checked against the Hub's size and sha256, downloaded with resume when missing or stale.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelDtype } from '../../functions/src/config.ts';
import { requiredFiles } from '../../functions/src/model/location.ts';
import { downloadToPart } from './download.ts';
import { FileFetchError, oneLine } from './errors.ts';
import { open, probe, type HubSource, type RemoteFile } from './hub.ts';
import { readManifest, writeManifest, type Manifest, type ManifestEntry } from './manifest.ts';
import { createProgress, type ProgressOutput } from './progress.ts';
import { withRetries, type RetryPolicy } from './retry.ts';
import { sha256File, verifyFile } from './verify.ts';

export type FetchDtype = ModelDtype | 'all';

export interface FetchOptions extends HubSource {
  /** Destination root; files land in `<modelDir>/<modelId>/`, where the service looks. */
  modelDir: string;
  modelId: string;
  dtype: FetchDtype;
  /** Extra attempts per request after a dropped connection or a 5xx. Default 3. */
  retries?: number;
  /** Backoff before the first retry, doubled after each. Default 1000. */
  retryDelayMs?: number;
  /** Progress and retry notices. Default process.stderr. */
  output?: ProgressOutput;
}

export interface FetchedFile {
  file: string;
  /** `verified`: already on disk and matching the Hub, nothing downloaded. */
  status: 'downloaded' | 'verified';
  size: number;
  sha256: string;
}

export interface FetchResult {
  dir: string;
  files: FetchedFile[];
}

interface Run {
  options: FetchOptions;
  dir: string;
  manifest: Manifest;
  output: ProgressOutput;
}

/** The three JSON files plus the ONNX file(s) of the dtype(s), as the service will ask for them. */
export function filesFor(dtype: FetchDtype): string[] {
  const dtypes: ModelDtype[] = dtype === 'all' ? ['q8', 'fp32'] : [dtype];
  return [...new Set(dtypes.flatMap(requiredFiles))];
}

/**
 * @example
 * await fetchModel({ endpoint: 'https://huggingface.co', repo: 'Xenova/toxic-bert', revision: 'main',
 *   modelDir: 'model/weights', modelId: 'unitary/toxic-bert', dtype: 'q8' });
 * // throws FileFetchError "onnx/model_quantized.onnx: HTTP 404 Not Found from GET https://…" on failure
 */
export async function fetchModel(options: FetchOptions): Promise<FetchResult> {
  const dir = path.join(options.modelDir, options.modelId);
  await mkdir(dir, { recursive: true });
  const run: Run = { options, dir, manifest: await readManifest(dir), output: options.output ?? process.stderr };
  const files: FetchedFile[] = [];
  for (const file of filesFor(options.dtype)) {
    try {
      files.push(await fetchFile(run, file));
    } catch (error) {
      throw new FileFetchError(file, error);
    }
  }
  return { dir, files };
}

/**
 * @example
 * summary(result); // '4 files ready in model/weights/unitary/toxic-bert (4 downloaded, 0 already verified)'
 */
export function summary(result: FetchResult): string {
  const downloaded = result.files.filter((file) => file.status === 'downloaded').length;
  return `${result.files.length} files ready in ${result.dir} (${downloaded} downloaded, ${result.files.length - downloaded} already verified)`;
}

async function fetchFile(run: Run, file: string): Promise<FetchedFile> {
  const remote = await withRetries(() => probe(run.options, file), retryPolicy(run, file));
  const dest = path.join(run.dir, file);
  const current = await currentEntry(dest, run.manifest[file], remote);
  const status = current ? 'verified' : 'downloaded';
  const entry = current ?? (await download(run, file, dest, remote));
  run.manifest[file] = entry;
  await writeManifest(run.dir, run.manifest);
  return { file, status, size: entry.size, sha256: entry.sha256 };
}

/** Download to `.part`, verify, and only then give it the final name the service looks for. */
async function download(run: Run, file: string, dest: string, remote: RemoteFile): Promise<ManifestEntry> {
  await mkdir(path.dirname(dest), { recursive: true });
  const partPath = `${dest}.part`;
  await withRetries(
    () =>
      downloadToPart({
        partPath,
        expectedSize: remote.size,
        request: (offset) => open(run.options, file, offset),
        track: (start) => createProgress({ output: run.output, label: file, total: remote.size, start }),
      }),
    retryPolicy(run, file),
  );
  const verified = await verifyFile(partPath, file, remote).catch(async (error: unknown) => {
    // Bad bytes would only be resumed from and fail again: drop them.
    await rm(partPath, { force: true });
    throw error;
  });
  await rename(partPath, dest);
  const { mtimeMs } = await stat(dest);
  return { ...verified, etag: remote.etag, mtimeMs };
}

/**
 * The manifest entry when `dest` already holds the file the Hub describes, else undefined.
 * Trusts the manifest only while size and mtime on disk are unchanged; without a usable
 * record, hashes the file if the Hub gave a sha256 to compare with.
 */
async function currentEntry(dest: string, entry: ManifestEntry | undefined, remote: RemoteFile): Promise<ManifestEntry | undefined> {
  const stats = await stat(dest).catch(() => undefined);
  if (!stats || (remote.size !== undefined && stats.size !== remote.size)) return undefined;
  if (entry && entry.size === stats.size && entry.mtimeMs === stats.mtimeMs && sameVersion(entry, remote)) return entry;
  if (remote.sha256 === undefined) return undefined;
  const sha256 = await sha256File(dest);
  return sha256 === remote.sha256 ? { size: stats.size, sha256, etag: remote.etag, mtimeMs: stats.mtimeMs } : undefined;
}

function sameVersion(entry: ManifestEntry, remote: RemoteFile): boolean {
  if (remote.sha256 !== undefined) return entry.sha256 === remote.sha256;
  return remote.etag !== undefined && entry.etag === remote.etag;
}

function retryPolicy(run: Run, file: string): RetryPolicy {
  const retries = run.options.retries ?? 3;
  return {
    retries,
    delayMs: run.options.retryDelayMs ?? 1000,
    onRetry: (error, attempt, delayMs) =>
      run.output.write(`${file}: ${oneLine(error)}; retry ${attempt}/${retries} in ${(delayMs / 1000).toFixed(1)}s\n`),
  };
}
