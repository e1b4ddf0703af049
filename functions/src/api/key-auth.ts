/**
 * @module key-auth
 * The routes nginx asks about API keys (never reachable from outside: nginx refuses /internal/).
 *
 * GET /internal/auth, nginx's auth_request before every API request when API_KEYS_FILE is set:
 * 204 with X-Key-Name and X-Key-Rate for a known key, else 401 with X-Key-Problem (missing or
 * unknown), which nginx turns into the calling dialect's 401. The key may come as
 * `Authorization: Bearer`, `X-API-Key`, or, on Perspective's routes, `?key=` in the original
 * URI nginx passes as X-Original-URI.
 *
 * GET /internal/rate-limited: nginx's answer for a request with a key that limit_req refused;
 * counted here per key name, and rendered in the dialect of the original path.
 */
import type { Context } from 'hono';
import type { KeyStore } from '../keys/key-store.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { ApiError } from './errors.ts';

export type KeyProblem = 'missing' | 'unknown';

const PERSPECTIVE_ROUTE = /^\/v1alpha1\/comments:(analyze|suggestscore)$/;

/** The key a request presents, by the first of the three ways it uses. */
export function presentedKey(headers: { authorization?: string; apiKey?: string }, originalUri: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  if (headers.apiKey) return headers.apiKey.trim();
  const [path, query = ''] = originalUri.split('?', 2);
  if (PERSPECTIVE_ROUTE.test(path!)) return new URLSearchParams(query).get('key') || undefined;
  return undefined;
}

export function authHandler(keys: KeyStore, metrics: Metrics) {
  return (c: Context) => {
    const key = presentedKey(
      { authorization: c.req.header('authorization'), apiKey: c.req.header('x-api-key') },
      c.req.header('x-original-uri') ?? '',
    );
    const entry = key === undefined ? undefined : keys.lookup(key);
    if (!entry) {
      const problem: KeyProblem = key === undefined ? 'missing' : 'unknown';
      metrics.keyUnauthorized.inc({ reason: problem });
      return c.body(null, 401, { 'X-Key-Problem': problem });
    }
    metrics.keyRequests.inc({ key: entry.name });
    // nginx maps the rate to its limit_req zone; 0: no per-key limit.
    return c.body(null, 204, { 'X-Key-Name': entry.name, 'X-Key-Rate': String(entry.rate ?? 0) });
  };
}

export function keyRateLimitedHandler(metrics: Metrics, render: (error: ApiError, path: string) => Response) {
  return (c: Context) => {
    const name = c.req.header('x-key-name');
    if (name) metrics.keyRateLimited.inc({ key: name });
    const path = (c.req.header('x-original-uri') ?? '').split('?', 1)[0]!;
    return render(new ApiError(429, 'rate_limited', 'too many requests with this API key; slow down and retry', [], 1), path);
  };
}
