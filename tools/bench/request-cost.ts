/**
 * @module request-cost
 * The benchmark's phases about what one request, or one client, may cost the service:
 * - the costliest request the budget accepts, alone on an idle replica, and how the replica's
 *   other clients fare while it runs;
 * - how fast a request over the budget is refused;
 * - one client sending the costliest requests as fast as nginx lets it, while other clients
 *   send tweets at 100 requests per minute (each from its own loopback address, as nginx and
 *   the replicas tell clients apart);
 * - long texts mixed into tweets at half of saturation.
 */
import { LIMITS } from '../../functions/src/api/schemas.ts';
import { costliestRequest, longText, overBudgetRequest } from '../lib/heavy-requests.ts';
import { percentile } from '../lib/statistics.ts';
import { constantArrivals } from '../load/arrivals.ts';
import { runArrivals, type LoadResult, type Target } from '../load/load.ts';

export interface RequestCostFigures {
  /** The costliest accepted request alone on an idle replica. */
  worst_request_ms: number;
  worst_request_tokens: number;
  /** Another client's tweets to the same replica while it ran. */
  others_during_worst: Outcomes;
  /** p99 of refusing a request over the budget (413 over_budget), through nginx. */
  over_budget_refusal_ms: number;
  over_budget_refused: number;
  over_budget_sent: number;
  abuse: { greedy: Outcomes; others: Outcomes };
  /** Share of the other clients' requests answered 200 while one client was at its limit. */
  abuse_others_success: number;
  abuse_others_p99_ms: number;
  long_texts: Outcomes;
  tweets_at_half: Outcomes;
  long_text_success_at_half: number;
}

export interface Outcomes {
  sent: number;
  ok: number;
  p99_ms: number | undefined;
  statuses: Record<string, number>;
}

function outcomes(result: LoadResult): Outcomes {
  const statuses: Record<string, number> = {};
  for (const s of result.samples) {
    const key = s.status === 200 ? '200' : `${s.status} ${s.errorCode ?? ''}`.trim();
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const ok = result.samples.filter((s) => s.status === 200);
  return {
    sent: result.samples.length + result.dropped,
    ok: ok.length,
    p99_ms: ok.length > 0 ? percentile(ok.map((s) => s.latencyMs), 99) : undefined,
    statuses,
  };
}

const success = (o: Outcomes) => (o.sent > 0 ? o.ok / o.sent : 0);
const classifyUrl = (base: string) => `${base}/api/v1/classify`;

/** Tweets from `client`, `perSecond` for `seconds`. */
function tweets(url: string, texts: readonly string[], perSecond: number, seconds: number, extra: Partial<Target> = {}) {
  const target: Target = { url, body: (i) => JSON.stringify({ text: texts[i % texts.length] }), timeoutMs: 30_000, ...extra };
  return runArrivals(target, constantArrivals(perSecond, seconds), 256);
}

/**
 * Sends the costliest accepted request straight to an idle replica and times it; meanwhile a
 * second client (the X-Client-Id header nginx would set) sends tweets to the same replica.
 */
export async function measureWorstRequest(replicaUrl: string, budget: number, texts: readonly string[]) {
  const body = JSON.stringify(costliestRequest(budget));
  const worst = runArrivals({ url: classifyUrl(replicaUrl), body: () => body, timeoutMs: 120_000, headers: { 'x-client-id': 'greedy' } }, [{ atMs: 0, stage: 0 }], 1);
  const others = await tweets(classifyUrl(replicaUrl), texts, 5, 4, { headers: { 'x-client-id': 'polite' } });
  const run = await worst;
  const sample = run.samples[0]!;
  if (sample.status !== 200) throw new Error(`the costliest accepted request was answered ${sample.status} ${sample.errorCode ?? ''}`);
  return { worst_request_ms: sample.latencyMs, worst_request_tokens: costliestRequest(budget).texts.length * 512, others_during_worst: outcomes(others) };
}

/** Over-budget requests one after another through nginx: each must be a fast 413. */
export async function measureRefusals(baseUrl: string, count: number) {
  const body = JSON.stringify(overBudgetRequest());
  const result = await runArrivals({ url: classifyUrl(baseUrl), body: () => body, timeoutMs: 30_000 }, constantArrivals(10, count / 10), 4);
  const refused = result.samples.filter((s) => s.status === 413 && s.errorCode === 'over_budget');
  return {
    over_budget_refusal_ms: percentile(result.samples.map((s) => s.latencyMs), 99),
    over_budget_refused: refused.length,
    over_budget_sent: count,
  };
}

/**
 * One client (127.0.0.2) sends the costliest accepted request at `greedyPerSecond` (nginx's
 * per-client limit) for `seconds`; five others (127.0.0.3–7) send 100 tweets a minute between them.
 */
export async function measureAbuse(baseUrl: string, budget: number, texts: readonly string[], greedyPerSecond: number, seconds: number) {
  const body = JSON.stringify(costliestRequest(budget));
  const greedy = runArrivals(
    { url: classifyUrl(baseUrl), body: () => body, timeoutMs: 60_000, localAddress: '127.0.0.2' },
    constantArrivals(greedyPerSecond, seconds),
    1024,
  );
  const others = await Promise.all(
    [3, 4, 5, 6, 7].map((host, i) =>
      tweets(classifyUrl(baseUrl), texts.slice(i * 50), 100 / 60 / 5, seconds, { localAddress: `127.0.0.${host}` }),
    ),
  );
  const merged: LoadResult = { ...others[0]!, samples: others.flatMap((r) => r.samples), dropped: others.reduce((s, r) => s + r.dropped, 0) };
  const polite = outcomes(merged);
  return { abuse: { greedy: outcomes(await greedy), others: polite }, abuse_others_success: success(polite), abuse_others_p99_ms: polite.p99_ms ?? Infinity };
}

/**
 * Tweets at `tweetsPerSecond` (half of saturation) with a text of ~5,000 tokens (as many as the
 * API's character limit holds, about 4,800) every `longEverySeconds`.
 */
export async function measureLongTexts(baseUrl: string, texts: readonly string[], tweetsPerSecond: number, longEverySeconds: number, seconds: number) {
  const long = runArrivals(
    { url: classifyUrl(baseUrl), body: (i) => JSON.stringify({ text: longText(5000, i + 1, LIMITS.maxChars) }), timeoutMs: 60_000 },
    constantArrivals(1 / longEverySeconds, seconds),
    64,
  );
  const short = await tweets(classifyUrl(baseUrl), texts, tweetsPerSecond, seconds);
  const longOutcomes = outcomes(await long);
  return { long_texts: longOutcomes, tweets_at_half: outcomes(short), long_text_success_at_half: success(longOutcomes) };
}
