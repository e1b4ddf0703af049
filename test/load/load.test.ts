/**
 * The Node driver's building blocks: the schedule follows k6's arrival-rate semantics, the
 * driver is an open model (requests leave on time even when answers are slow, and beyond the
 * in-flight cap they are dropped and counted, never queued), and the summary reads percentiles
 * and thresholds as k6 does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../../tools/lib/statistics.ts';
import { arrivals, constantArrivals } from '../../tools/load/arrivals.ts';
import { runArrivals } from '../../tools/load/load.ts';
import { checkThresholds, summarise } from '../../tools/load/summary.ts';

describe('arrivals', () => {
  it('spaces a constant rate evenly from time 0', () => {
    const schedule = arrivals({
      executor: 'constant-arrival-rate', description: '', rate: 100, timeUnitSeconds: 60, durationSeconds: 60, maxInFlight: 1, thresholds: {},
    });
    expect(schedule).toHaveLength(100);
    expect(schedule[0]!.atMs).toBe(0);
    expect(schedule[1]!.atMs).toBeCloseTo(600, 0);
    expect(schedule.at(-1)!.atMs).toBeCloseTo(59_400, 0);
  });

  it('ramps linearly between stage targets, as k6 does', () => {
    const schedule = arrivals({
      executor: 'ramping-arrival-rate', description: '', startRate: 0, timeUnitSeconds: 1, maxInFlight: 1, thresholds: {},
      stages: [{ target: 10, durationSeconds: 10 }, { target: 10, durationSeconds: 5 }],
      saturation: { minCompletedRatio: 1, maxFailedRate: 0, p95Ms: 1 },
    });
    // ∫ of 0→10/s over 10 s is 50 requests, then 50 more at 10/s.
    expect(schedule.filter((a) => a.stage === 0)).toHaveLength(50);
    expect(schedule.filter((a) => a.stage === 1)).toHaveLength(50);
    // Under a rising rate, gaps shrink.
    expect(schedule[2]!.atMs - schedule[1]!.atMs).toBeGreaterThan(schedule[49]!.atMs - schedule[48]!.atMs);
  });
});

describe('runArrivals against a slow server', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => setTimeout(() => res.end('{}'), 400));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends on schedule whatever the answers take, and drops beyond the in-flight cap', async () => {
    const started = performance.now();
    // 40 requests/s for 1 s against 400 ms answers: up to 16 in flight, capped at 10.
    const result = await runArrivals({ url, body: () => '{}' }, constantArrivals(40, 1), 10);
    expect(result.scheduled).toBe(40);
    expect(result.samples.length + result.dropped).toBe(40);
    expect(result.dropped).toBeGreaterThan(0);
    expect(result.samples.every((s) => s.status === 200)).toBe(true);
    // Closed-loop clients would have needed 40 × 400 ms / 10 = 1.6 s at least, plus the last answer.
    expect(performance.now() - started).toBeLessThan(1_000 + 400 + 300);
    expect(Math.max(...result.samples.map((s) => s.lateMs))).toBeLessThan(250);
  });
});

describe('summary', () => {
  it('interpolates percentiles between closest ranks', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(25);
    expect(percentile([10, 20, 30, 40], 100)).toBe(40);
    expect(percentile([5], 99)).toBe(5);
  });

  it('checks the thresholds with k6 meanings (≥ 400 or no answer fails; 429 and 503 are expected refusals)', () => {
    const sample = (status: number, latencyMs: number) => ({ atMs: 0, lateMs: 0, latencyMs, status, stage: 0 });
    const summary = summarise([sample(200, 10), sample(200, 20), sample(503, 1), sample(0, 30_000)], 5, 1, 1000);
    expect(summary.failedRate).toBe(0.5);
    expect(summary.unexpectedErrors).toBe(1);
    expect(summary.statuses).toEqual({ '200': 2, '503': 1, '0': 1 });
    const checks = checkThresholds(summary, { maxFailedRate: 0, p95Ms: 200, minCompletedRatio: 0.8, maxUnexpectedErrors: 0 });
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['failed requests (rate)', false],
      ['p95 latency (ms)', false],
      ['answered requests', true],
      ['unexpected errors', false],
    ]);
  });
});
