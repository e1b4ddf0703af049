/**
 * @module tls-client
 * Clients for checking nginx's TLS from a test: one HTTP/2 request, and an openssl handshake
 * at a chosen protocol version, each trusting only the test's throwaway CA.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface H2Response {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
  /** The protocol ALPN chose ('h2'), false without one. */
  alpn: string | false;
  /** 'TLSv1.3', 'TLSv1.2', … */
  tls: string | null;
}

/** One request over HTTP/2 (node:http2 speaks nothing else) to `origin` (https://host:port). */
export function h2Request(origin: string, caCert: string, path: string, method = 'GET', body?: string, headers: Record<string, string> = {}): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(origin, { ca: readFileSync(caCert) });
    session.on('error', reject);
    const req = session.request({ ':path': path, ':method': method, ...headers });
    let text = '';
    let head: http2.IncomingHttpHeaders = {};
    req.on('response', (h) => (head = h));
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      resolve({ status: Number(head[':status']), headers: head, body: text, alpn: session.alpnProtocol ?? false, tls: (session.socket as TLSSocket).getProtocol() });
      session.close();
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Whether openssl completes a verified handshake with `hostPort` at `version` ('tls1_2',
 * 'tls1_1', 'tls1'). SECLEVEL=0: this openssl would refuse TLS 1.0 and 1.1 itself; the question
 * is whether the server does.
 */
export async function handshakes(hostPort: string, version: string, caCert: string): Promise<boolean> {
  const child = run('openssl', ['s_client', '-connect', hostPort, `-${version}`, '-cipher', 'DEFAULT@SECLEVEL=0', '-CAfile', caCert], { timeout: 10_000 });
  child.child.stdin?.end();
  try {
    const { stdout } = await child;
    return /Verify return code: 0/.test(stdout) && !/Cipher is \(NONE\)/.test(stdout);
  } catch {
    return false;
  }
}
