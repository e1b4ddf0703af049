/**
 * @module key-store
 * The keys a replica accepts, kept equal to API_KEYS_FILE: the file is read every second and
 * loaded again when its text differs from the last read (unlike fs.watch, this follows a file
 * replaced by rename or by a bind mount), so `npm run keys -- add/revoke` takes effect within
 * seconds without a restart. A file that cannot be read or parsed keeps the last good set.
 * (fs.watchFile, polling mtime and size, took its first look at the file a moment after it was
 * loaded, asynchronously: a change in that moment became its starting point and was never seen.)
 */
import { hashKey, keysFromText, readKeyText, type KeyEntry } from './key-file.ts';

export interface KeyStore {
  /** The entry for a key presented by a client, or undefined for an unknown or revoked key. */
  lookup(key: string): KeyEntry | undefined;
  close(): void;
}

/** What one look at the file found: its text (undefined: no file yet), or why it could not be read. */
type Look = string | undefined | Error;

function look(file: string): Look {
  try {
    return readKeyText(file);
  } catch (error) {
    return error as Error;
  }
}

const sameLook = (a: Look, b: Look) => a === b || (a instanceof Error && b instanceof Error && a.message === b.message);

export function keyStore(file: string, options: { onError: (message: string) => void; onLoad?: (count: number) => void; intervalMs?: number }): KeyStore {
  let byHash = new Map<string, KeyEntry>();
  /** Loads the keys from what a look found: the text read once serves the comparison and the load. */
  const load = (found: Look) => {
    try {
      if (found instanceof Error) throw found;
      const entries = keysFromText(found);
      byHash = new Map(entries.map((entry) => [entry.sha256, entry]));
      options.onLoad?.(entries.length);
    } catch (error) {
      options.onError((error as Error).message);
    }
  };
  let seen = look(file);
  load(seen);
  const timer = setInterval(() => {
    const now = look(file);
    if (sameLook(now, seen)) return;
    seen = now;
    load(now);
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    lookup: (key) => byHash.get(hashKey(key)),
    close: () => clearInterval(timer),
  };
}
