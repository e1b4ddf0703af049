import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { presentedKey } from '../api/key-auth.ts';
import { hashKey, keysEnabled, KEY_PREFIX, KeyFileError, newKey, parseKeyFile, writeKeyFile } from './key-file.ts';
import { keyStore, type KeyStore } from './key-store.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'keys-unit-'));
const sha = hashKey('k');

describe('the key file', () => {
  it('makes distinct prefixed keys of 256 random bits', () => {
    const [a, b] = [newKey(), newKey()];
    expect(a.startsWith(KEY_PREFIX)).toBe(true);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(KEY_PREFIX.length), 'base64url')).toHaveLength(32);
  });

  it('says what is wrong with a bad file', () => {
    expect(() => parseKeyFile('{')).toThrow(KeyFileError);
    expect(() => parseKeyFile('[]')).toThrow(/expected \{"keys"/);
    expect(() => parseKeyFile(JSON.stringify({ keys: [{ name: 'a b', sha256: sha }] }))).toThrow(/keys\[0\]\.name/);
    expect(() => parseKeyFile(JSON.stringify({ keys: [{ name: 'a', sha256: 'abc' }] }))).toThrow(/sha256/);
    expect(() => parseKeyFile(JSON.stringify({ keys: [{ name: 'a', sha256: sha, rate: 3 }] }))).toThrow(/rate must be one of/);
    expect(() => parseKeyFile(JSON.stringify({ keys: [{ name: 'a', sha256: sha }, { name: 'a', sha256: sha }] }))).toThrow(/twice/);
  });

  it('is on for a named file, even one not yet created, and off for none or /dev/null', () => {
    expect(keysEnabled('')).toBe(false);
    expect(keysEnabled('/dev/null')).toBe(false);
    expect(keysEnabled(path.join(dir, 'not-yet.json'))).toBe(true);
  });
});

describe('the key store', () => {
  let store: KeyStore | undefined;
  afterEach(() => store?.close());

  it('follows the file, and keeps the last good keys when it turns invalid', async () => {
    const file = path.join(dir, 'keys.json');
    writeKeyFile(file, [{ name: 'a', sha256: sha, rate: 5 }]);
    const errors: string[] = [];
    store = keyStore(file, { onError: (message) => errors.push(message), intervalMs: 50 });
    expect(store.lookup('k')).toEqual({ name: 'a', sha256: sha, rate: 5 });
    expect(store.lookup('other')).toBeUndefined();
    writeFileSync(file, '{ not json at all');
    await expect.poll(() => errors.length, { timeout: 3000 }).toBeGreaterThan(0);
    expect(store.lookup('k')?.name).toBe('a');
    writeKeyFile(file, []);
    await expect.poll(() => store!.lookup('k'), { timeout: 3000 }).toBeUndefined();
  });
});

describe('the key a request presents', () => {
  it('is taken from Authorization: Bearer, X-API-Key, or ?key= on Perspective\'s routes only', () => {
    expect(presentedKey({ authorization: 'Bearer abc' }, '/api/v1/classify')).toBe('abc');
    expect(presentedKey({ apiKey: 'def' }, '/v1/moderations')).toBe('def');
    expect(presentedKey({}, '/v1alpha1/comments:analyze?key=ghi&x=1')).toBe('ghi');
    expect(presentedKey({}, '/api/v1/classify?key=ghi')).toBeUndefined();
    expect(presentedKey({ authorization: 'Basic abc' }, '/api/v1/model')).toBeUndefined();
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
