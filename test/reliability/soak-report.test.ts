/**
 * The soak's arithmetic: minutes after the warm-up, RSS growth from the first to the last,
 * latency drift, and the verdict (any error, or 5% RSS growth, fails).
 */
import { describe, expect, it } from 'vitest';
import { soakReport } from '../../tools/reliability/soak/report.ts';
import type { LoadSample } from '../../tools/reliability/steady-load.ts';

const MB = 1024 * 1024;
/** 10 requests/s for `seconds`, latency growing with time. */
const samples = (seconds: number, status = (_i: number) => 200): LoadSample[] =>
  Array.from({ length: seconds * 10 }, (_, i) => ({ i, atMs: i * 100, latencyMs: 5 + i / 1000, status: status(i) }));
const rss = (seconds: number, at: (ms: number) => number) =>
  Array.from({ length: seconds / 5 }, (_, k) => ({ atMs: k * 5000, rss: [at(k * 5000), 100 * MB] }));

describe('the soak report', () => {
  it('measures from the first minute after the warm-up to the last', () => {
    const report = soakReport(samples(180), rss(180, (ms) => (ms < 60_000 ? 150 * MB : 100 * MB + ms * 2)), { warmupMs: 60_000, replicas: ['a', 'b'], maxRssGrowth: 0.05 });
    expect(report.minutes.map((m) => m.requests)).toEqual([600, 600]);
    expect(report.rssGrowth[1]).toBe(0);
    expect(report.rssGrowth[0]).toBeCloseTo(((100 * MB + 147_500 * 2) / (100 * MB + 87_500 * 2)) - 1, 6);
    expect(report.latency.lastP50Ms).toBeGreaterThan(report.latency.firstP50Ms);
    expect(report.ok).toBe(true);
  });

  it('fails on 5% RSS growth, and on any failed request, warm-up included', () => {
    const growing = soakReport(samples(180), rss(180, (ms) => (ms < 120_000 ? 100 * MB : 106 * MB)), { warmupMs: 60_000, replicas: ['a', 'b'], maxRssGrowth: 0.05 });
    expect(growing.rssGrowth[0]).toBeCloseTo(0.06, 6);
    expect(growing.ok).toBe(false);
    const failing = soakReport(samples(180, (i) => (i === 3 ? 503 : 200)), rss(180, () => 100 * MB), { warmupMs: 60_000, replicas: ['a', 'b'], maxRssGrowth: 0.05 });
    expect(failing.errors).toBe(1);
    expect(failing.ok).toBe(false);
  });
});
