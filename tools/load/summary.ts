/**
 * @module summary
 * Turns a run's samples into what both drivers report: achieved rate, latency percentiles,
 * answers by status, the scenario's thresholds checked (with k6's meanings: a request fails
 * when its status is ≥ 400 or no answer came), and for a ramp, each step and the saturation
 * point.
 */
import { percentile } from '../lib/statistics.ts';
import type { LoadResult, Sample } from './load.ts';
import type { RampingScenario, Scenario, Thresholds } from './scenarios.ts';

export interface Latency {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface Summary {
  scheduled: number;
  completed: number;
  dropped: number;
  durationS: number;
  offeredRps: number;
  /** Answers of any status per second over the schedule. */
  achievedRps: number;
  /** 200 answers per second. */
  okRps: number;
  failed: number;
  failedRate: number;
  /** Answers by "status" or "status code" (e.g. "503 overloaded"); no answer is "0 <error>". */
  statuses: Record<string, number>;
  /** See Thresholds.maxUnexpectedErrors. */
  unexpectedErrors: number;
  latencyMs: Latency;
  /** Of 200 answers only. */
  okLatencyMs: Latency | undefined;
  /** Of 429 and 503 answers only: how fast shedding is. */
  shedLatencyMs: Latency | undefined;
  /** p99 of how late the generator sent requests: large values mean the client, not the server, fell behind. */
  lateP99Ms: number;
}

export interface ThresholdResult {
  name: string;
  limit: string;
  value: number;
  ok: boolean;
}

function latency(values: readonly number[]): Latency {
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: percentile(values, 100),
  };
}

export const isFailed = (s: Sample) => s.status === 0 || s.status >= 400;
const isUnexpected = (s: Sample) => s.status !== 200 && s.status !== 429 && s.status !== 503;

export function summarise(samples: readonly Sample[], scheduled: number, dropped: number, durationMs: number): Summary {
  const durationS = durationMs / 1000;
  const statuses: Record<string, number> = {};
  for (const s of samples) {
    const key = s.status === 200 ? '200' : `${s.status} ${s.errorCode ?? ''}`.trim();
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const ok = samples.filter((s) => s.status === 200);
  const shed = samples.filter((s) => s.status === 503 || s.status === 429);
  const failed = samples.filter(isFailed).length;
  return {
    scheduled,
    completed: samples.length,
    dropped,
    durationS,
    offeredRps: scheduled / durationS,
    achievedRps: samples.length / durationS,
    okRps: ok.length / durationS,
    failed,
    // As k6's http_req_failed: over the requests sent. Dropped ones show in `completed`.
    failedRate: samples.length === 0 ? 0 : failed / samples.length,
    statuses,
    unexpectedErrors: samples.filter(isUnexpected).length,
    latencyMs: latency(samples.map((s) => s.latencyMs)),
    okLatencyMs: ok.length > 0 ? latency(ok.map((s) => s.latencyMs)) : undefined,
    shedLatencyMs: shed.length > 0 ? latency(shed.map((s) => s.latencyMs)) : undefined,
    lateP99Ms: samples.length > 0 ? percentile(samples.map((s) => s.lateMs), 99) : 0,
  };
}

export function summariseResult(result: LoadResult): Summary {
  return summarise(result.samples, result.scheduled, result.dropped, result.durationMs);
}

/** The same checks k6 makes from the thresholds k6.js derives from these fields. */
export function checkThresholds(summary: Summary, thresholds: Thresholds): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  if (thresholds.maxFailedRate !== undefined) {
    const limit = thresholds.maxFailedRate;
    results.push({ name: 'failed requests (rate)', limit: `<= ${limit}`, value: summary.failedRate, ok: summary.failedRate <= limit });
  }
  if (thresholds.p95Ms !== undefined) {
    const value = summary.latencyMs.p95;
    results.push({ name: 'p95 latency (ms)', limit: `< ${thresholds.p95Ms}`, value, ok: value < thresholds.p95Ms });
  }
  if (thresholds.p99Ms !== undefined) {
    const value = summary.latencyMs.p99;
    results.push({ name: 'p99 latency (ms)', limit: `< ${thresholds.p99Ms}`, value, ok: value < thresholds.p99Ms });
  }
  if (thresholds.minCompletedRatio !== undefined) {
    const needed = Math.ceil(thresholds.minCompletedRatio * summary.scheduled);
    results.push({ name: 'answered requests', limit: `>= ${needed}`, value: summary.completed, ok: summary.completed >= needed });
  }
  if (thresholds.maxUnexpectedErrors !== undefined) {
    const limit = thresholds.maxUnexpectedErrors;
    results.push({ name: 'unexpected errors', limit: `<= ${limit}`, value: summary.unexpectedErrors, ok: summary.unexpectedErrors <= limit });
  }
  return results;
}

export interface StepSummary {
  stage: number;
  /** Offered rate of the flat stage, requests per second. */
  rps: number;
  summary: Summary;
  keepsUp: boolean;
}

/** Each flat stage ("hold") of a ramp on its own, and whether the stack kept up there. */
export function rampSteps(scenario: RampingScenario, result: LoadResult): StepSummary[] {
  const steps: StepSummary[] = [];
  let previous = scenario.startRate;
  scenario.stages.forEach((stage, index) => {
    const flat = stage.target === previous;
    previous = stage.target;
    if (!flat) return;
    const samples = result.samples.filter((s) => s.stage === index);
    const dropped = result.droppedByStage[index] ?? 0;
    const summary = summarise(samples, samples.length + dropped, dropped, stage.durationSeconds * 1000);
    const rule = scenario.saturation;
    const keepsUp =
      summary.completed >= rule.minCompletedRatio * summary.scheduled &&
      summary.failedRate <= rule.maxFailedRate &&
      summary.latencyMs.p95 < rule.p95Ms;
    steps.push({ stage: index, rps: stage.target / scenario.timeUnitSeconds, summary, keepsUp });
  });
  return steps;
}

/** The highest flat rate the stack kept up with, before the first step it did not (0 if none). */
export function saturationRps(steps: readonly StepSummary[]): number {
  let best = 0;
  for (const step of steps) {
    if (!step.keepsUp) break;
    best = step.rps;
  }
  return best;
}

const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(1));

export function formatSummary(name: string, scenario: Scenario, summary: Summary, checks: readonly ThresholdResult[]): string {
  const l = summary.latencyMs;
  const lines = [
    `scenario ${name}: ${scenario.description}`,
    `  requests   ${summary.scheduled} scheduled, ${summary.completed} answered, ${summary.dropped} dropped (client at its in-flight cap)`,
    `  rate       offered ${summary.offeredRps.toFixed(2)}/s (${(summary.offeredRps * 60).toFixed(1)}/min), ` +
      `achieved ${summary.achievedRps.toFixed(2)}/s (${(summary.achievedRps * 60).toFixed(1)}/min), 200s ${summary.okRps.toFixed(2)}/s`,
    `  latency    p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  max ${ms(l.max)} ms`,
    `  statuses   ${Object.entries(summary.statuses).map(([status, count]) => `${status}: ${count}`).join(', ') || 'none'}`,
    `  errors     ${summary.failed} failed (${(summary.failedRate * 100).toFixed(2)}%), ${summary.unexpectedErrors} unexpected`,
    `  client     p99 send lateness ${ms(summary.lateP99Ms)} ms`,
    ...checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} ${c.limit}: ${Number.isInteger(c.value) ? c.value : c.value.toFixed(3)}`),
  ];
  return lines.join('\n');
}

export function formatSteps(steps: readonly StepSummary[], saturation: number): string {
  const lines = ['  step  offered/s  achieved/s  200s/s   p50 ms   p95 ms   p99 ms  failed  keeps up'];
  steps.forEach(({ rps, summary: s, keepsUp }, i) => {
    lines.push(
      `  ${String(i + 1).padStart(4)}` +
        `${rps.toFixed(1).padStart(11)}${s.achievedRps.toFixed(1).padStart(12)}${s.okRps.toFixed(1).padStart(8)}` +
        `${ms(s.latencyMs.p50).padStart(9)}${ms(s.latencyMs.p95).padStart(9)}${ms(s.latencyMs.p99).padStart(9)}` +
        `${String(s.failed + s.dropped).padStart(8)}  ${keepsUp ? 'yes' : 'no'}`,
    );
  });
  lines.push(
    steps.every((step) => step.keepsUp)
      ? `  saturation point: not reached, kept up at every step up to ${saturation} requests/s`
      : `  saturation point: ${saturation} requests/s (highest step kept up before the first that was not)`,
  );
  return lines.join('\n');
}
