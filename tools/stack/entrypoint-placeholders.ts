/**
 * @module entrypoint-placeholders
 * The proxy template's MAIN_LISTEN, HTTP_REDIRECT_SERVER and API_AUTH for the native stack,
 * worked out by the very scripts the proxy image's entrypoint sources (proxy/16-tls.envsh,
 * proxy/15-api-auth.envsh), so TLS and the key check are defined once and the native stack's
 * tests run the image's own switches.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../lib/repo.ts';

const SCRIPTS = ['proxy/16-tls.envsh', 'proxy/15-api-auth.envsh'];
const NAMES = ['MAIN_LISTEN', 'HTTP_REDIRECT_SERVER', 'API_AUTH'] as const;

export interface EntrypointEnv {
  /** Address (or port) nginx serves HTTP on. */
  LISTEN_PORT: string;
  /** With TLS_KEY, HTTPS with HTTP/2 on TLS_PORT, reached by clients on TLS_PUBLIC_PORT. */
  TLS_CERT?: string;
  TLS_KEY?: string;
  TLS_PORT?: string;
  TLS_PUBLIC_PORT?: string;
  /** Keys on unless empty or a character device (compose's /dev/null). */
  API_KEYS_FILE?: string;
}

export function entrypointPlaceholders(env: EntrypointEnv): Record<(typeof NAMES)[number], string> {
  const source = SCRIPTS.map((script) => `. '${path.join(REPO_ROOT, script)}'`).join('; ');
  const print = `printf '%s\\0' ${NAMES.map((name) => `"$${name}"`).join(' ')}`;
  const out = execFileSync('sh', ['-c', `${source}; ${print}`], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    // The scripts say what they switched on; the stack's own output need not repeat it.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const values = out.split('\0');
  return Object.fromEntries(NAMES.map((name, i) => [name, values[i]!])) as Record<(typeof NAMES)[number], string>;
}
