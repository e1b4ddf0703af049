/**
 * @module fetch/manifest
 * `.fetch-manifest.json` beside the model files remembers what was verified, so a second run
 * compares a HEAD answer with the record instead of hashing 440 MB again. The file's size and
 * mtime are recorded too: a file changed on disk no longer matches and is checked again. The
 * format and its reader live with the replica (functions/src/model/fetch-manifest.ts), which
 * reads the weights' sha256 and revision from it; writing is the fetcher's alone.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../../functions/src/model/fetch-manifest.ts';

export { MANIFEST_FILE, readManifest, type Manifest, type ManifestEntry } from '../../functions/src/model/fetch-manifest.ts';

/** Written to a temporary name first, so an interrupted run never leaves half a manifest. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const target = path.join(dir, MANIFEST_FILE);
  await writeFile(`${target}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${target}.tmp`, target);
}
