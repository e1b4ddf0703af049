/**
 * TLS at nginx (TLS_CERT and TLS_KEY given), with a throwaway CA the clients here trust: HTTPS
 * with HTTP/2, TLS 1.2 and 1.3 only, HSTS, and HTTP redirected to HTTPS; API keys work over it.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeys } from '../../tools/keys/cli.ts';
import { makeThrowawayCa, type ThrowawayCa } from '../../tools/lib/throwaway-ca.ts';
import type { Stack } from '../../tools/stack/stack.ts';
import { startTestStack } from '../../tools/stack/test-stack.ts';
import { h2Request, handshakes } from '../support/tls-client.ts';

const run = promisify(execFile);
let ca: ThrowawayCa;
let stack: Stack;
let key: string;

beforeAll(async () => {
  ca = makeThrowawayCa();
  const keyFile = `${ca.dir}/api-keys.json`;
  runKeys(['add', 'tls-client', '--file', keyFile], {}, (line) => (key = line));
  stack = await startTestStack({ monitoring: false, tls: { cert: ca.cert, key: ca.key }, apiKeysFile: keyFile });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(ca.dir, { recursive: true, force: true });
});

const h2 = (path: string, method?: string, body?: string, headers?: Record<string, string>) => h2Request(stack.url, ca.caCert, path, method, body, headers);

describe('TLS at nginx', () => {
  it('serves the page over HTTP/2 with TLS 1.3 and HSTS', async () => {
    const res = await h2('/');
    expect(res.status).toBe(200);
    expect(res.alpn).toBe('h2');
    expect(res.tls).toBe('TLSv1.3');
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000');
  });

  it('serves the API over HTTP/2 with a key, and curl negotiates HTTP/2 too', async () => {
    const res = await h2('/api/v1/classify', 'POST', JSON.stringify({ text: 'hello' }), { 'content-type': 'application/json', 'x-api-key': key });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).results).toHaveLength(1);
    const { stdout } = await run('curl', ['-sS', '--cacert', ca.caCert, '--http2', '-o', '/dev/null', '-w', '%{http_version} %{http_code}', `${stack.url}/api/v1/model`]);
    expect(stdout).toBe('2 401');
  });

  it('redirects HTTP to HTTPS with 308, keeping the path, and still answers /healthz over HTTP', async () => {
    const res = await fetch(`${stack.httpUrl}/api/v1/model`, { redirect: 'manual' });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe(`${stack.url}/api/v1/model`);
    expect((await fetch(`${stack.httpUrl}/healthz`)).status).toBe(200);
  });

  it('accepts TLS 1.2 and refuses TLS 1.1 and 1.0', async () => {
    const handshake = (version: string) => handshakes(stack.url.replace('https://', ''), version, ca.caCert);
    expect(await handshake('tls1_2')).toBe(true);
    expect(await handshake('tls1_1')).toBe(false);
    expect(await handshake('tls1')).toBe(false);
  });
});
