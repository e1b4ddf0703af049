/**
 * @module key-store
 * The keys a replica accepts, kept equal to API_KEYS_FILE: the file is read every second and
 * loaded again when its text differs from the last read (unlike fs.watch, this follows a file
 * replaced by rename or by a bind mount), so `npm run keys -- add/revoke` takes effect within
 * seconds without a restart. A file that cannot be read or parsed keeps the last good set.
 * (fs.watchFile, polling mtime and size, took its first look at the file a moment after it was
 * loaded, asynchronously: a change in that moment became its starting point and was never seen.)
 */
import { readFileSync } from 'node:fs';
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
  /** The file's text, or why it could not be read: what the last load saw. */
  const snapshot = () => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      return `unreadable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    }
  };
  let seen = snapshot();
  load();
  const timer = setInterval(() => {
    const now = snapshot();
    if (now === seen) return;
    seen = now;
    load();
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    lookup: (key) => byHash.get(hashKey(key)),
    close: () => clearInterval(timer),
  };
}
