/**
 * @module key-file
 * The API key file (API_KEYS_FILE): JSON naming each key, the SHA-256 of the key (never the
 * key itself) and an optional rate limit. `npm run keys` writes it; the replicas read it.
 *
 *   {"keys": [{"name": "partner-a", "sha256": "<64 hex>", "rate": 10}]}
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';

/**
 * The requests per second a key may be given: nginx has one limit_req zone per rate
 * (proxy/templates/default.conf.template), each with a burst of twice its rate.
 */
export const KEY_RATES = [1, 2, 5, 10, 20, 50, 100] as const;
export type KeyRate = (typeof KEY_RATES)[number];

export interface KeyEntry {
  /** Shown in metrics and `npm run keys -- list`; never secret. */
  name: string;
  /** SHA-256 of the key, lowercase hex. */
  sha256: string;
  /** Requests per second for the key as a whole; none: only the per-client limit applies. */
  rate?: KeyRate;
}

export class KeyFileError extends Error {}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HEX = /^[0-9a-f]{64}$/;

/** Keys start with this, so a leaked one is recognisable (secret scanners, logs). */
export const KEY_PREFIX = 'tm_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** 32 random bytes: guessing is hopeless, so an unsalted SHA-256 is enough to store. */
export function newKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** What NAME allows, for messages. */
export const NAME_RULE = '1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit';

export function validName(name: string): boolean {
  return NAME.test(name);
}

export function validRate(rate: number): rate is KeyRate {
  return (KEY_RATES as readonly number[]).includes(rate);
}

/**
 * Keys are on when API_KEYS_FILE names a file, even one not yet created (then every key is
 * refused: failing closed), except a character device: compose mounts /dev/null there when
 * no key file is given, so a fresh `docker compose up` stays open.
 */
export function keysEnabled(file: string): boolean {
  if (!file) return false;
  try {
    return !statSync(file).isCharacterDevice();
  } catch {
    return true;
  }
}

/** The entries of a key file's text; throws KeyFileError saying what is wrong. */
export function parseKeyFile(text: string): KeyEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new KeyFileError(`not JSON: ${(error as Error).message}`);
  }
  const keys = (data as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new KeyFileError('expected {"keys": [...]}');
  const names = new Set<string>();
  return keys.map((entry: unknown, i): KeyEntry => {
    const { name, sha256, rate } = (entry ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !validName(name)) throw new KeyFileError(`keys[${i}].name must be ${NAME_RULE}`);
    if (names.has(name)) throw new KeyFileError(`keys[${i}].name "${name}" appears twice`);
    names.add(name);
    if (typeof sha256 !== 'string' || !HEX.test(sha256)) throw new KeyFileError(`keys[${i}].sha256 must be 64 lowercase hex digits`);
    if (rate !== undefined && (typeof rate !== 'number' || !validRate(rate))) {
      throw new KeyFileError(`keys[${i}].rate must be one of ${KEY_RATES.join(', ')}`);
    }
    return rate === undefined ? { name, sha256 } : { name, sha256, rate };
  });
}

/** The key file's text, or undefined when there is none yet. */
export function readKeyText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeyFileError((error as Error).message);
  }
}

/** A missing file is an empty one: `npm run keys -- add` creates it. */
export const keysFromText = (text: string | undefined): KeyEntry[] => (text === undefined ? [] : parseKeyFile(text));

export const readKeyFile = (file: string): KeyEntry[] => keysFromText(readKeyText(file));

/**
 * Written in place, not renamed over: a file bind-mounted into containers (compose) stays the
 * same inode, so they see the change. A replica that reads it half-written keeps its last good
 * keys and reads it again at the next poll, when its size has changed. Readable by all (0644):
 * the replicas' user in the image is not the operator's, and the file holds no key, only hashes
 * of 256-bit random ones.
 */
export function writeKeyFile(file: string, keys: readonly KeyEntry[]): void {
  writeFileSync(file, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o644 });
}
