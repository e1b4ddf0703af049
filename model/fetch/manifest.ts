/**
 * @module fetch/manifest
 * `.fetch-manifest.json` beside the model files remembers what was verified, so a second run
 * compares a HEAD answer with the record instead of hashing 440 MB again. The file's size and
 * mtime are recorded too: a file changed on disk no longer matches and is checked again.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ManifestEntry {
  size: number;
  sha256: string;
  /** The server's validator at download time; the only change signal for non-LFS files. */
  etag?: string;
  mtimeMs: number;
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

/** Written to a temporary name first, so an interrupted run never leaves half a manifest. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const target = path.join(dir, MANIFEST_FILE);
  await writeFile(`${target}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${target}.tmp`, target);
}
