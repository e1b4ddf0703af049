/**
 * 2,000 generated bad (and some good) requests through nginx to two replicas (seed fixed, so
 * a failure replays with `npm run fuzz -- --count 2000`): every answer right for its request,
 * no 5xx but a shedding 503 with Retry-After, every process still up with the same pid, and
 * each replica's resting memory back within 10% of where it was after the warm-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FUZZ, runFuzz, warmupFor } from '../../tools/reliability/fuzz/run.ts';
import { formatReport } from '../../tools/reliability/fuzz/summary.ts';
import type { Stack } from '../../tools/stack/stack.ts';
import { startReliabilityStack } from './reliability-stack.ts';

const COUNT = 2000;

let stack: Stack;
beforeAll(async () => {
  // One client fuzzing at speed would otherwise meet the per-client limit (its 429s are checked in no-text-in-logs).
  stack = await startReliabilityStack('fuzz', { monitoring: false, rateLimit: '1000r/s', rateBurst: 1000 });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('fuzzing through nginx', () => {
  it(`answers ${COUNT} bad requests correctly, with every process up`, async () => {
    const report = await runFuzz({ ...DEFAULT_FUZZ, url: stack.url, stack, count: COUNT, seed: 1, warmupCount: warmupFor(COUNT) });
    console.log(formatReport(report));
    expect(report.violations).toEqual([]);
    expect(report.processes).toEqual({ checked: true, problems: [] });
    expect(report.memory.checked).toBe(true);
    expect(report.memory.problems).toEqual([]);
    expect(Object.values(report.byStatus).reduce((a, b) => a + b, 0)).toBe(COUNT);
    // Bounded: the requests themselves, warm-up and memory settling aside.
    expect(report.durationMs).toBeLessThan(90_000);
  }, 240_000);
});
