/**
 * @module smoke-check
 * The post-deploy smoke check: the deployed proxy answers `/healthz`, and
 * `POST /api/v1/classify` scores a text on every label. Retried for a while, because the deploy
 * has just recreated the proxy. `smoke.ts` is its command line (`npm run smoke`).
 *
 * @example
 * await smokeCheck({ url: 'https://toxicity.example.com', attempts: 5 });
 */

import { LABELS } from '../../functions/src/model/labels.ts';

export { LABELS };

export interface SmokeOptions {
  /** Base URL of the deployed proxy, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Rounds of checks before giving up. */
  attempts: number;
  /** Pause between rounds. */
  intervalMs: number;
  /** Bound on each request. */
  requestTimeoutMs: number;
  log: (line: string) => void;
}

const DEFAULTS: Omit<SmokeOptions, 'url'> = {
  attempts: 10,
  intervalMs: 3000,
  requestTimeoutMs: 10_000,
  log: (line) => console.log(line),
};

/** Resolves when a round of checks passes; rejects with the last round's failures otherwise. */
export async function smokeCheck(config: Partial<SmokeOptions> & Pick<SmokeOptions, 'url'>): Promise<void> {
  const options: SmokeOptions = { ...DEFAULTS, ...config };
  const base = new URL(options.url);
  let failures: string[] = [];
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    failures = await checkOnce(base, options.requestTimeoutMs);
    if (failures.length === 0) {
      options.log(`smoke check passed against ${base.origin} (attempt ${attempt})`);
      return;
    }
    options.log(`smoke check attempt ${attempt}/${options.attempts}: ${failures.join('; ')}`);
    if (attempt < options.attempts) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  throw new Error(`smoke check failed against ${base.origin}: ${failures.join('; ')}`);
}

async function checkOnce(base: URL, timeoutMs: number): Promise<string[]> {
  const failures: string[] = [];
  try {
    const health = await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(timeoutMs) });
    await health.body?.cancel();
    if (health.status !== 200) failures.push(`GET /healthz answered ${health.status}`);
  } catch (error) {
    failures.push(`GET /healthz: ${reason(error)}`);
  }
  try {
    const response = await fetch(new URL('/api/v1/classify', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Thank you for the quick and helpful answer.' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (response.status !== 200) failures.push(`POST /api/v1/classify answered ${response.status}: ${text.slice(0, 200)}`);
    else failures.push(...classifyProblems(text));
  } catch (error) {
    failures.push(`POST /api/v1/classify: ${reason(error)}`);
  }
  return failures;
}

/** What is wrong with a classify response body (nothing when it holds one result with every label scored). */
export function classifyProblems(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return ['POST /api/v1/classify answered with something other than JSON'];
  }
  const results = (parsed as { results?: unknown }).results;
  const first: unknown = Array.isArray(results) ? results[0] : undefined;
  if (Array.isArray(results) && results.length === 1 && typeof first === 'object' && first !== null) {
    const scores = (first as { scores?: Record<string, unknown> }).scores ?? {};
    const bad = LABELS.filter((label) => {
      const score = scores[label];
      return typeof score !== 'number' || !(score >= 0 && score <= 1);
    });
    return bad.length === 0 ? [] : [`POST /api/v1/classify: no score in [0, 1] for ${bad.join(', ')}`];
  }
  return ['POST /api/v1/classify: the response holds no single result'];
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
