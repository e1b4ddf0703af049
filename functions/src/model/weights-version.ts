/**
 * @module weights-version
 * Which weights a replica runs, in a form a result can cite: the SHA-256 of the ONNX file and,
 * when `npm run model:fetch` recorded it, the Hub revision it came from.
 *
 * Hashing is kept off the start-up path two ways. The fetcher already hashed the file and wrote
 * the digest to its manifest with the file's size and mtime; while those still match the file
 * on disk, that digest is used and nothing is read. Otherwise (the offline stand-in, the bench
 * stand-in, a folder copied without its mtimes) the file is hashed as a stream while the model
 * loads (loader.ts runs both at once): the reads happen on libuv's thread pool and the digest in
 * 1 MiB steps between other work, and loading the network takes longer than hashing it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readManifest } from './fetch-manifest.ts';

export interface WeightsVersion {
  /** SHA-256 of the ONNX weights file, lowercase hex. */
  sha256: string;
  /** `<hub repo>@<commit>` from model:fetch's manifest; null when nothing recorded one. */
  revision: string | null;
  /** Where the digest came from: the fetch manifest, or hashing the file at start. */
  source: 'manifest' | 'hashed';
}

/** Large reads: at 64 KiB the per-chunk overhead costs about half again as long. */
const READ_CHUNK = 1 << 20;

/**
 * @example
 * await sha256File('model/offline/unitary/toxic-bert/onnx/model_quantized.onnx') // → '3f1c…' (64 hex digits)
 */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The recorded mtime, or the same truncated to whole seconds: image layers may be stored in tar
 * formats that keep only seconds, and the model folder of an image is copied between stages.
 */
function sameModificationTime(recordedMs: number, actualMs: number): boolean {
  return actualMs === recordedMs || actualMs === Math.floor(recordedMs / 1000) * 1000;
}

/**
 * The version of `weightsFile` (relative to `modelFolder`, as the manifest names it).
 * @example
 * await readWeightsVersion('/models/unitary/toxic-bert', 'onnx/model_quantized.onnx')
 * // → { sha256: '…', revision: 'Xenova/toxic-bert@0c5f…', source: 'manifest' }
 */
export async function readWeightsVersion(modelFolder: string, weightsFile: string): Promise<WeightsVersion> {
  const file = path.join(modelFolder, weightsFile);
  const [manifest, stats] = await Promise.all([readManifest(modelFolder), stat(file)]);
  const entry = manifest[weightsFile];
  if (entry && entry.size === stats.size && sameModificationTime(entry.mtimeMs, stats.mtimeMs) && /^[0-9a-f]{64}$/.test(entry.sha256)) {
    return { sha256: entry.sha256, revision: entry.revision ?? null, source: 'manifest' };
  }
  // A revision recorded for other bytes than these would be a false citation.
  return { sha256: await sha256File(file), revision: null, source: 'hashed' };
}
