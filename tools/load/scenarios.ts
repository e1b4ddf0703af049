/**
 * @module scenarios
 * The one definition of the stress scenarios: arrival rates, durations, thresholds and how
 * texts are drawn from the corpus. Both drivers run them: tools/load/k6.js (the canonical k6 test,
 * which cannot import TypeScript, reads the generated tools/load/scenarios.json) and
 * `npm run stress` (tools/load/run.ts). Change them here, then run `npm run stress:export`;
 * test/load/scenarios.test.ts fails while the JSON and this file disagree.
 *
 * Rates follow k6's arrival-rate executors exactly (`rate` per `timeUnitSeconds`; a ramping
 * stage moves linearly from the previous target to its own), so one schedule means the same
 * thing to both drivers.
 */
import path from 'node:path';
import { CORPUS_SIZE, CORPUS_SOURCE } from '../lib/corpus.ts';
import { REPO_ROOT } from '../lib/repo.ts';

/** Where k6.js and the scenarios.json it reads are. */
export const LOAD_DIR = path.join(REPO_ROOT, 'tools/load');

export interface Thresholds {
  /** Largest share of requests that may fail (status ≥ 400 or no response); 0: none may. */
  maxFailedRate?: number;
  /** p95 of every request's duration must stay below this. */
  p95Ms?: number;
  /** p99 of every request's duration must stay below this. */
  p99Ms?: number;
  /** Requests that got an answer must be at least this share of those scheduled. */
  minCompletedRatio?: number;
  /**
   * Answers other than 200, 429 (rate limited) and 503 (shed), plus connection errors and
   * timeouts: what "nothing crashed" allows under overload.
   */
  maxUnexpectedErrors?: number;
}

export interface Stage {
  /** Rate (per timeUnitSeconds) reached at the end of the stage. */
  target: number;
  durationSeconds: number;
}

interface ScenarioBase {
  description: string;
  timeUnitSeconds: number;
  /** Requests in flight at most (k6: maxVUs); a request due while all are busy is dropped and counted. */
  maxInFlight: number;
  thresholds: Thresholds;
  /** What each request sends: a tweet of the corpus (the default), or the costliest request the default budget accepts. */
  body?: 'tweet' | 'costliest';
}

export interface ConstantScenario extends ScenarioBase {
  executor: 'constant-arrival-rate';
  rate: number;
  durationSeconds: number;
}

export interface RampingScenario extends ScenarioBase {
  executor: 'ramping-arrival-rate';
  startRate: number;
  stages: Stage[];
  /** Which flat stages ("holds") count as keeping up; the highest such rate is the saturation point. */
  saturation: { minCompletedRatio: number; maxFailedRate: number; p95Ms: number };
}

export type Scenario = ConstantScenario | RampingScenario;

export interface CorpusSpec {
  /** Relative to k6.js, which opens it (tools/lib/corpus.json); written by `npm run stress:export`. */
  file: string;
  /** Where the texts come from, relative to the repository root. */
  source: string;
  /** The first `count` non-empty tweets of `source`, in file order. */
  count: number;
  /** Request i (0-based, over the whole run) sends text i mod count, alone: {"text": ...}. */
  sampling: 'round-robin';
}

/**
 * Scenarios that run together, each from its own client address: nginx and the replicas tell
 * clients apart by address. The Node driver sends each part from its loopback address; with
 * k6, run each part as its own process (`--local-ips`) or container.
 */
export interface ScenarioGroup {
  description: string;
  /** Scenario name → source address. */
  parts: Record<string, string>;
  /** Run against nginx's per-client rate limit as deployed, not the lifted one of the load stack. */
  deployedRateLimit: boolean;
}

export interface StressPlan {
  endpoint: string;
  corpus: CorpusSpec;
  /** The costliest accepted request (`body: 'costliest'`), relative to k6.js; written by `npm run stress:export`. */
  costliestRequest: string;
  scenarios: Record<string, Scenario>;
  groups: Record<string, ScenarioGroup>;
}

/** The seed requirement: 100 requests per minute, nothing fails, p95 under 200 ms. */
const SEED_THRESHOLDS: Thresholds = { maxFailedRate: 0, p95Ms: 200, minCompletedRatio: 0.95 };

/** Flat steps with short ramps between them, so each step's latency and errors stand on their own. */
function staircase(rates: readonly number[], rampSeconds: number, holdSeconds: number): Stage[] {
  return rates.flatMap((target, i) => [
    ...(i === 0 ? [] : [{ target, durationSeconds: rampSeconds }]),
    { target, durationSeconds: holdSeconds },
  ]);
}

export const PLAN: StressPlan = {
  endpoint: '/api/v1/classify',
  corpus: { file: '../lib/corpus.json', source: CORPUS_SOURCE, count: CORPUS_SIZE, sampling: 'round-robin' },
  costliestRequest: 'costliest-request.json',
  scenarios: {
    seed: {
      description: 'the seed requirement: 100 requests per minute for 2 minutes, 0 failed, p95 < 200 ms',
      executor: 'constant-arrival-rate',
      rate: 100,
      timeUnitSeconds: 60,
      durationSeconds: 120,
      maxInFlight: 50,
      thresholds: SEED_THRESHOLDS,
    },
    smoke: {
      description: 'the seed rate for 45 s, short enough for npm test: proves 100 requests per minute with 0 errors',
      executor: 'constant-arrival-rate',
      rate: 100,
      timeUnitSeconds: 60,
      durationSeconds: 45,
      maxInFlight: 50,
      thresholds: SEED_THRESHOLDS,
    },
    ramp: {
      description: 'doubling steps from 2 to 512 requests/s, 10 s each: finds the saturation point; overload may shed (503) but nothing may crash',
      executor: 'ramping-arrival-rate',
      startRate: 2,
      timeUnitSeconds: 1,
      stages: staircase([2, 4, 8, 16, 32, 64, 128, 256, 512], 2, 10),
      maxInFlight: 512,
      thresholds: { maxUnexpectedErrors: 0 },
      saturation: { minCompletedRatio: 0.95, maxFailedRate: 0.01, p95Ms: 1000 },
    },
    'abuse-greedy': {
      description: 'one client sends the costliest request the budget accepts, 20 a second (nginx\'s default per-client limit), for 60 s: refused as it must be (429/503), never an error',
      executor: 'constant-arrival-rate',
      rate: 20,
      timeUnitSeconds: 1,
      durationSeconds: 60,
      maxInFlight: 1200,
      body: 'costliest',
      thresholds: { maxUnexpectedErrors: 0 },
    },
    'abuse-polite': {
      description: 'other clients at 100 tweets a minute beside abuse-greedy: at least 99% answered, p99 under 1 s',
      executor: 'constant-arrival-rate',
      rate: 100,
      timeUnitSeconds: 60,
      durationSeconds: 60,
      maxInFlight: 50,
      thresholds: { maxFailedRate: 0.01, p99Ms: 1000, minCompletedRatio: 0.95 },
    },
  },
  groups: {
    abuse: {
      description: 'abuse-greedy and abuse-polite at once, from two addresses: one greedy client cannot take the others\' capacity',
      parts: { 'abuse-greedy': '127.0.0.2', 'abuse-polite': '127.0.0.3' },
      deployedRateLimit: true,
    },
  },
};

export const SCENARIO_NAMES = Object.keys(PLAN.scenarios);
export const GROUP_NAMES = Object.keys(PLAN.groups);

/** Total scheduled time of a scenario. */
export function durationSeconds(scenario: Scenario): number {
  return scenario.executor === 'constant-arrival-rate'
    ? scenario.durationSeconds
    : scenario.stages.reduce((sum, stage) => sum + stage.durationSeconds, 0);
}
