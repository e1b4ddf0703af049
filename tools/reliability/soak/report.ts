/**
 * @module soak-report
 * Turns a soak's raw record (every request, an RSS sample per replica every few seconds) into
 * minutes: requests, errors, p50/p99 latency and mean RSS per replica in each, then the
 * verdict: RSS growth from the first measured minute to the last, latency drift, errors.
 */
import { mean, percentile } from '../../lib/statistics.ts';
import type { LoadSample } from '../steady-load.ts';

export interface RssSample {
  atMs: number;
  /** Bytes, one per replica. */
  rss: number[];
  /** V8 heap in use, bytes, one per replica (from its /metrics), when it could be read. */
  heapUsed?: number[];
}

export interface Minute {
  minute: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean RSS per replica over the minute, bytes. */
  rss: number[];
  /** Mean V8 heap in use per replica over the minute, bytes (NaN when not sampled). */
  heapUsed: number[];
}

export interface SoakReport {
  minutes: Minute[];
  replicas: string[];
  requests: number;
  errors: number;
  /** Error codes (or statuses) of failed requests, warm-up included. */
  errorKinds: Record<string, number>;
  /** Per replica: last measured minute's mean RSS over the first's, minus 1; null without RSS samples. */
  rssGrowth: Array<number | null>;
  /** The same for the V8 heap in use: flat while RSS grows means no leak in JavaScript objects. */
  heapGrowth: Array<number | null>;
  latency: { firstP50Ms: number; lastP50Ms: number; firstP99Ms: number; lastP99Ms: number };
  /** Growth allowed before the soak fails, as a fraction. */
  maxRssGrowth: number;
  ok: boolean;
}


/**
 * @example
 * const report = soakReport(samples, rss, { warmupMs: 60_000, replicas: ['function-1'], maxRssGrowth: 0.05 });
 */
export function soakReport(samples: readonly LoadSample[], rss: readonly RssSample[], o: { warmupMs: number; replicas: string[]; maxRssGrowth: number }): SoakReport {
  const measured = samples.filter((s) => s.atMs >= o.warmupMs);
  const lastMinute = Math.floor((Math.max(o.warmupMs, ...measured.map((s) => s.atMs)) - o.warmupMs) / 60_000);
  const minutes: Minute[] = [];
  for (let minute = 0; minute <= lastMinute && measured.length > 0; minute++) {
    const from = o.warmupMs + minute * 60_000;
    const inMinute = measured.filter((s) => s.atMs >= from && s.atMs < from + 60_000);
    if (inMinute.length === 0) continue;
    const ok = inMinute.filter((s) => s.status === 200).map((s) => s.latencyMs);
    const rssInMinute = rss.filter((r) => r.atMs >= from && r.atMs < from + 60_000);
    minutes.push({
      minute,
      requests: inMinute.length,
      errors: inMinute.length - ok.length,
      p50Ms: percentile(ok, 50),
      p99Ms: percentile(ok, 99),
      rss: o.replicas.map((_, i) => (rssInMinute.length > 0 ? mean(rssInMinute.map((r) => r.rss[i]!)) : Number.NaN)),
      heapUsed: o.replicas.map((_, i) => {
        const heap = rssInMinute.flatMap((r) => (r.heapUsed ? [r.heapUsed[i]!] : []));
        return heap.length > 0 ? mean(heap) : Number.NaN;
      }),
    });
  }
  const failed = samples.filter((s) => s.status !== 200);
  const errorKinds: Record<string, number> = {};
  for (const s of failed) {
    const kind = s.errorCode ?? String(s.status);
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  }
  const first = minutes[0];
  const last = minutes.at(-1);
  const growth = (of: (m: Minute) => number) => (first && last && Number.isFinite(of(first)) && Number.isFinite(of(last)) ? of(last) / of(first) - 1 : null);
  const rssGrowth = o.replicas.map((_, i) => growth((m) => m.rss[i]!));
  const heapGrowth = o.replicas.map((_, i) => growth((m) => m.heapUsed[i]!));
  return {
    minutes,
    replicas: o.replicas,
    requests: samples.length,
    errors: failed.length,
    errorKinds,
    rssGrowth,
    heapGrowth,
    latency: { firstP50Ms: first?.p50Ms ?? Number.NaN, lastP50Ms: last?.p50Ms ?? Number.NaN, firstP99Ms: first?.p99Ms ?? Number.NaN, lastP99Ms: last?.p99Ms ?? Number.NaN },
    maxRssGrowth: o.maxRssGrowth,
    ok: failed.length === 0 && minutes.length > 0 && rssGrowth.every((g) => g === null || g < o.maxRssGrowth),
  };
}

const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

export function formatSoak(report: SoakReport, header: string): string {
  const lines = [
    header,
    `minute  requests  errors   p50 ms   p99 ms   ${report.replicas.map((r) => `${r} RSS / V8 heap MiB`.padStart(30)).join(' ')}`,
  ];
  const both = (rss: number, heap: number) => `${Number.isFinite(rss) ? mib(rss) : '-'} / ${Number.isFinite(heap) ? mib(heap) : '-'}`.padStart(30);
  for (const m of report.minutes) {
    lines.push(
      `${String(m.minute + 1).padStart(6)}  ${String(m.requests).padStart(8)}  ${String(m.errors).padStart(6)}  ${m.p50Ms.toFixed(1).padStart(7)}  ${m.p99Ms.toFixed(1).padStart(7)}   ${m.rss.map((b, i) => both(b, m.heapUsed[i]!)).join(' ')}`,
    );
  }
  const l = report.latency;
  lines.push(
    `requests: ${report.requests}, errors: ${report.errors}${report.errors > 0 ? ` (${Object.entries(report.errorKinds).map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`,
    `RSS growth, first to last minute: ${report.replicas.map((r, i) => `${r} ${report.rssGrowth[i] === null ? 'not measured (--url)' : pct(report.rssGrowth[i]!)}`).join(', ')} (fails at ${pct(report.maxRssGrowth)})`,
    `V8 heap in use, first to last minute: ${report.replicas.map((r, i) => `${r} ${report.heapGrowth[i] === null ? 'not measured' : pct(report.heapGrowth[i]!)}`).join(', ')}`,
    `latency drift, first to last minute: p50 ${l.firstP50Ms.toFixed(1)} → ${l.lastP50Ms.toFixed(1)} ms (x${(l.lastP50Ms / l.firstP50Ms).toFixed(2)}), p99 ${l.firstP99Ms.toFixed(1)} → ${l.lastP99Ms.toFixed(1)} ms (x${(l.lastP99Ms / l.firstP99Ms).toFixed(2)})`,
    report.ok ? 'PASS' : 'FAIL',
  );
  return lines.join('\n');
}
