/**
 * @module throwaway-ca
 * A certificate authority made for one test run, and a server certificate it signs for
 * 127.0.0.1 and localhost, with openssl: what a test of HTTPS trusts, and nothing else does.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ThrowawayCa {
  dir: string;
  /** The CA's certificate: give it to clients (NODE_EXTRA_CA_CERTS, curl --cacert, ca:). */
  caCert: string;
  /** The server's certificate and key: TLS_CERT and TLS_KEY. */
  cert: string;
  key: string;
}

export function makeThrowawayCa(): ThrowawayCa {
  const dir = mkdtempSync(path.join(tmpdir(), 'throwaway-ca-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=toxicity-monitor throwaway test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-keyout', file('server.key'), '-out', file('server.csr'));
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2',
    '-extfile', file('server.ext'), '-out', file('server.pem'));
  return { dir, caCert: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

/**
 * The base64 SHA-256 of a certificate's public key: what Chromium's
 * --ignore-certificate-errors-spki-list takes to trust that one certificate (it has no flag to
 * add a CA, and a test must not touch the user's certificate store).
 */
export function spkiHash(cert: string): string {
  const publicKey = execFileSync('openssl', ['x509', '-pubkey', '-noout', '-in', cert]);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
  return createHash('sha256').update(der).digest('base64');
}
