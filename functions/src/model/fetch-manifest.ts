/**
 * @module fetch-manifest
 * `.fetch-manifest.json`, which `npm run model:fetch` (model/fetch/) writes beside the model
 * files it verified: per file, its size, sha256, the server's validator, its mtime when written
 * and the Hub revision it came from. The fetcher reads it to skip hashing on a second run; the
 * replica reads it to report its weights' sha256 and revision without hashing them at start.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ManifestEntry {
  size: number;
  sha256: string;
  /** The server's validator at download time; the only change signal for non-LFS files. */
  etag?: string;
  mtimeMs: number;
  /** `<hub repo>@<commit>` the file was verified against, when the Hub named the commit. */
  revision?: string;
}

export type Manifest = Record<string, ManifestEntry>;

export const MANIFEST_FILE = '.fetch-manifest.json';

/** A missing or unreadable manifest is an empty one: files are then re-checked, not trusted. */
export async function readManifest(dir: string): Promise<Manifest> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Manifest) : {};
  } catch {
    return {};
  }
}
