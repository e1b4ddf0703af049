/**
 * @module keys-cli
 * `npm run keys -- add NAME [--rate N] | revoke NAME | list`, on the file API_KEYS_FILE names
 * (or --file PATH). `add` prints the new key once and stores only its SHA-256; the replicas
 * pick up the change within seconds (functions/src/keys/key-store.ts).
 */
import { parseArgs } from 'node:util';
import { hashKey, KEY_RATES, NAME_RULE, newKey, readKeyFile, validName, validRate, writeKeyFile, type KeyEntry } from '../../functions/src/keys/key-file.ts';

const USAGE = `usage: npm run keys -- add NAME [--rate N] | revoke NAME | list   [--file PATH]
  the file: --file, or API_KEYS_FILE; rates (requests/s, burst twice that): ${KEY_RATES.join(', ')}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

export function runKeys(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): void {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { file: { type: 'string' }, rate: { type: 'string' } },
    allowPositionals: true,
  });
  const file = values.file ?? env.API_KEYS_FILE;
  if (!file) fail('no key file: pass --file PATH or set API_KEYS_FILE');
  const [command, name] = positionals;
  const keys = readKeyFile(file);

  if (command === 'list' && name === undefined) {
    if (keys.length === 0) out('no keys');
    for (const key of keys) out(`${key.name}\t${key.rate === undefined ? 'no per-key limit' : `${key.rate} r/s`}`);
    return;
  }
  if (name === undefined || positionals.length > 2) fail('name one key');
  if (command === 'add') {
    if (!validName(name)) fail(`"${name}" is not a key name: ${NAME_RULE}`);
    if (keys.some((key) => key.name === name)) fail(`a key named "${name}" exists; revoke it first`);
    const rate = values.rate === undefined ? undefined : Number(values.rate);
    if (rate !== undefined && !validRate(rate)) fail(`--rate must be one of ${KEY_RATES.join(', ')}`);
    const key = newKey();
    const entry: KeyEntry = rate === undefined ? { name, sha256: hashKey(key) } : { name, sha256: hashKey(key), rate };
    writeKeyFile(file, [...keys, entry]);
    out(key);
    process.stderr.write(`key "${name}" added to ${file}; it is shown only now, store it safely\n`);
    return;
  }
  if (command === 'revoke') {
    if (!keys.some((key) => key.name === name)) fail(`no key named "${name}"`);
    writeKeyFile(file, keys.filter((key) => key.name !== name));
    process.stderr.write(`key "${name}" revoked; the replicas refuse it within seconds\n`);
    return;
  }
  fail(`unknown command "${command ?? ''}"`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    runKeys(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    fail((error as Error).message);
  }
}
