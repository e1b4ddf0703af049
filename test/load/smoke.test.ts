/**
 * The short stress run in npm test: the smoke scenario of tools/load/scenarios.ts (the seed rate,
 * 100 requests per minute, open model) through nginx and two replicas with the offline model,
 * under the proxy's default per-client rate limit, with no errors and the rate kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../tools/lib/corpus.ts';
import { runScenario } from '../../tools/load/drive.ts';
import { durationSeconds, PLAN } from '../../tools/load/scenarios.ts';
import type { Stack } from '../../tools/stack/stack.ts';
import { startTestStack } from '../../tools/stack/test-stack.ts';

const smoke = PLAN.scenarios.smoke!;

let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack({ monitoring: false });
});
afterAll(async () => {
  await stack?.stop();
});

describe('stress: smoke scenario through nginx', () => {
  it(
    'serves 100 requests per minute with 0 errors and p95 under 200 ms',
    async () => {
      expect(durationSeconds(smoke)).toBeLessThanOrEqual(60);
      const run = await runScenario('smoke', stack.url, loadCorpus());
      const report = JSON.stringify({ summary: run.summary, checks: run.checks });
      expect(run.summary.statuses, report).toEqual({ '200': run.summary.scheduled });
      expect(run.summary.failed + run.summary.dropped, report).toBe(0);
      // The rate held over the window: at least 95% of 100 per minute answered.
      expect(run.summary.achievedRps * 60, report).toBeGreaterThanOrEqual(0.95 * 100);
      expect(run.checks.filter((c) => !c.ok), report).toEqual([]);
      expect(stack.replicas.map((r) => r.process.restarts)).toEqual([0, 0]);
    },
    (durationSeconds(smoke) + 30) * 1000,
  );
});
