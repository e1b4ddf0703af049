/**
 * The compose proxy and replicas with API keys and TLS on, as "Expose it safely" in the README
 * starts them: the key file and a certificate from a throwaway CA mounted as files. A project of
 * its own beside the main one (other ports, one replica), made from the images the global setup
 * built, and removed afterwards.
 */
import { execFile } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeys } from '../../tools/keys/cli.ts';
import { makeThrowawayCa, type ThrowawayCa } from '../../tools/lib/throwaway-ca.ts';
import { waitFor } from '../../tools/lib/wait.ts';
import { h2Request, handshakes } from '../support/tls-client.ts';
import { compose, COMPOSE_ENV, containerIds, docker } from './compose-cli.ts';

const run = promisify(execFile);
const HTTP_PORT = 28080;
const TLS_PORT = 28443;
const HTTPS_URL = `https://127.0.0.1:${TLS_PORT}`;
const HTTP_URL = `http://127.0.0.1:${HTTP_PORT}`;

let ca: ThrowawayCa;
let env: Record<string, string>;
const keys: Record<string, string> = {};

function addKey(file: string, name: string, rate?: number): void {
  runKeys(['add', name, '--file', file, ...(rate ? ['--rate', String(rate)] : [])], {}, (line) => (keys[name] = line));
}

const h2 = (path: string, method?: string, body?: string, headers?: Record<string, string>) => h2Request(HTTPS_URL, ca.caCert, path, method, body, headers);

const classify = (headers: Record<string, string> = {}) =>
  h2('/api/v1/classify', 'POST', JSON.stringify({ text: 'hello there' }), { 'content-type': 'application/json', ...headers });

beforeAll(async () => {
  ca = makeThrowawayCa();
  const keyFile = path.join(ca.dir, 'api-keys.json');
  addKey(keyFile, 'partner');
  addKey(keyFile, 'metered', 1);
  // The containers run as unprivileged users of their own, not as the owner of these files.
  for (const file of [keyFile, ca.cert, ca.key]) chmodSync(file, 0o644);
  env = {
    COMPOSE_PROJECT_NAME: `${COMPOSE_ENV.COMPOSE_PROJECT_NAME}-edge`,
    PROXY_PORT: String(HTTP_PORT),
    PROXY_TLS_PORT: String(TLS_PORT),
    API_KEYS_FILE: keyFile,
    TLS_CERT: ca.cert,
    TLS_KEY: ca.key,
  };
  await compose(['up', '-d', '--no-build', '--scale', 'functions=1', 'functions', 'proxy'], undefined, env);
  // Up when nginx answers over TLS and a replica has checked the (missing) key.
  await waitFor('the proxy over HTTPS', async () => (await classify().catch(() => ({ status: 0 }))).status, (status) => status === 401, 180_000);
});

afterAll(async () => {
  if (env) await compose(['down', '-v', '--remove-orphans'], undefined, env);
  if (ca) rmSync(ca.dir, { recursive: true, force: true });
});

describe('compose with API keys and TLS on', () => {
  it('serves HTTPS over HTTP/2 with TLS 1.3 and HSTS, the API only with a key', async () => {
    const open = await h2('/');
    expect(open.alpn).toBe('h2');
    expect(open.tls).toBe('TLSv1.3');
    expect(open.status).toBe(200);
    expect(open.headers['strict-transport-security']).toBe('max-age=63072000');

    const without = await classify();
    expect(without.status).toBe(401);
    expect(JSON.parse(without.body)).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await classify({ 'x-api-key': 'tm_not-a-key-this-service-made' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatch(/not valid/);
    const good = await classify({ authorization: `Bearer ${keys.partner}` });
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body).results).toHaveLength(1);
  });

  it('redirects plain HTTP to the published HTTPS port with 308, keeping the path', async () => {
    const res = await fetch(`${HTTP_URL}/api/v1/model`, { redirect: 'manual' });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe(`${HTTPS_URL}/api/v1/model`);
  });

  it('completes a TLS 1.2 handshake and refuses TLS 1.1', async () => {
    expect(await handshakes(`127.0.0.1:${TLS_PORT}`, 'tls1_2', ca.caCert)).toBe(true);
    expect(await handshakes(`127.0.0.1:${TLS_PORT}`, 'tls1_1', ca.caCert)).toBe(false);
  });

  it('limits one key to its rate with 429 while another key keeps working', async () => {
    const burst = await Promise.all(Array.from({ length: 8 }, () => classify({ 'x-api-key': keys.metered! })));
    const refused = burst.filter((res) => res.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused[0]!.headers['retry-after']).toBe('1');
    const other = await Promise.all(Array.from({ length: 8 }, () => classify({ 'x-api-key': keys.partner! })));
    expect(other.map((res) => res.status)).toEqual(Array(8).fill(200));
  });

  it('follows a revoked key in the mounted file without a restart, and no key reaches a container log', async () => {
    const [replica] = await containerIds('functions', env);
    const startedAt = await docker(['inspect', '-f', '{{.State.StartedAt}}', replica!]);
    runKeys(['revoke', 'partner', '--file', env.API_KEYS_FILE!], {}, () => {});
    await waitFor('the revocation', async () => (await classify({ 'x-api-key': keys.partner! })).status, (status) => status === 401, 10_000);
    expect(await docker(['inspect', '-f', '{{.State.StartedAt}}', replica!])).toBe(startedAt);

    let logs = '';
    for (const service of ['functions', 'proxy']) {
      for (const id of await containerIds(service, env)) {
        const { stdout, stderr } = await run('docker', ['logs', id], { maxBuffer: 16 << 20 });
        logs += stdout + stderr;
      }
    }
    // Not vacuous: the proxy logged these requests, with the key's name as the client.
    expect(logs).toContain('"client":"key:partner"');
    for (const key of Object.values(keys)) expect(logs).not.toContain(key);
  });
});
