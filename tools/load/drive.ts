/**
 * @module drive
 * Runs one named scenario from tools/load/scenarios.ts against a base URL with the Node driver
 * and checks its thresholds: what `npm run stress` and the smoke test share.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requestBody } from '../lib/corpus.ts';
import { arrivals } from './arrivals.ts';
import { runArrivals } from './load.ts';
import { LOAD_DIR, PLAN, type Scenario, type ScenarioGroup } from './scenarios.ts';
import { checkThresholds, rampSteps, saturationRps, summariseResult, type StepSummary, type Summary, type ThresholdResult } from './summary.ts';

export interface ScenarioRun {
  name: string;
  scenario: Scenario;
  summary: Summary;
  checks: ThresholdResult[];
  /** Every threshold held. */
  ok: boolean;
  /** Ramps only. */
  steps?: StepSummary[];
  saturationRps?: number;
}

export function scenarioNamed(name: string): Scenario {
  const scenario = PLAN.scenarios[name];
  if (!scenario) throw new Error(`no scenario "${name}"; there are ${Object.keys(PLAN.scenarios).join(', ')}`);
  return scenario;
}

export function groupNamed(name: string): ScenarioGroup | undefined {
  return PLAN.groups[name];
}

/** Request i's body for the scenario: a tweet, or the costliest accepted request k6 sends too. */
export function requestBodies(scenario: Scenario, texts: readonly string[]): (i: number) => string {
  if (scenario.body !== 'costliest') return (i) => requestBody(texts, i);
  const costliest = JSON.stringify(JSON.parse(readFileSync(path.join(LOAD_DIR, PLAN.costliestRequest), 'utf8')));
  return () => costliest;
}

/**
 * @example
 * const run = await runScenario('smoke', 'http://127.0.0.1:18080', loadCorpus());
 * if (!run.ok) console.log(run.checks.filter((c) => !c.ok));
 */
export async function runScenario(name: string, baseUrl: string, texts: readonly string[], localAddress?: string): Promise<ScenarioRun> {
  const scenario = scenarioNamed(name);
  const target = { url: new URL(PLAN.endpoint, baseUrl).href, body: requestBodies(scenario, texts), localAddress, timeoutMs: 60_000 };
  const result = await runArrivals(target, arrivals(scenario), scenario.maxInFlight);
  const summary = summariseResult(result);
  const checks = checkThresholds(summary, scenario.thresholds);
  const run: ScenarioRun = { name, scenario, summary, checks, ok: checks.every((c) => c.ok) };
  if (scenario.executor === 'ramping-arrival-rate') {
    run.steps = rampSteps(scenario, result);
    run.saturationRps = saturationRps(run.steps);
  }
  return run;
}

/** Every part of a group at once, each from its own address. */
export function runGroup(group: ScenarioGroup, baseUrl: string, texts: readonly string[]): Promise<ScenarioRun[]> {
  return Promise.all(Object.entries(group.parts).map(([name, address]) => runScenario(name, baseUrl, texts, address)));
}
