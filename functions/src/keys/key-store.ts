/**
 * @module key-store
 * The keys a replica accepts, kept equal to API_KEYS_FILE: the file is polled every second
 * (fs.watchFile compares mtime and size, and unlike fs.watch it follows a file replaced by
 * rename or by a bind mount), so `npm run keys -- add/revoke` takes effect within seconds
 * without a restart. A file that cannot be read or parsed keeps the last good set.
 */
import { unwatchFile, watchFile } from 'node:fs';
import { hashKey, readKeyFile, type KeyEntry } from './key-file.ts';

export interface KeyStore {
  /** The entry for a key presented by a client, or undefined for an unknown or revoked key. */
  lookup(key: string): KeyEntry | undefined;
  close(): void;
}

export function keyStore(file: string, options: { onError: (message: string) => void; onLoad?: (count: number) => void; intervalMs?: number }): KeyStore {
  let byHash = new Map<string, KeyEntry>();
  const load = () => {
    try {
      const entries = readKeyFile(file);
      byHash = new Map(entries.map((entry) => [entry.sha256, entry]));
      options.onLoad?.(entries.length);
    } catch (error) {
      options.onError((error as Error).message);
    }
  };
  load();
  watchFile(file, { interval: options.intervalMs ?? 1000, persistent: false }, load);
  return {
    lookup: (key) => byHash.get(hashKey(key)),
    close: () => unwatchFile(file, load),
  };
}
