/**
 * The two stress drivers run the same scenarios: scenarios.json and corpus.json are current
 * with tools/load/scenarios.ts and the CSV, and k6.js (loaded here with stand-ins for k6's modules,
 * since k6 cannot run on this machine) schedules, sends and judges exactly what the Node driver does.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { buildCorpus, CORPUS_FILE, loadCorpus, requestBody } from '../../tools/lib/corpus.ts';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { arrivals } from '../../tools/load/arrivals.ts';
import type { LoadResult, Sample } from '../../tools/load/load.ts';
import { DEFAULTS } from '../../functions/src/config.ts';
import { costliestRequest } from '../../tools/lib/heavy-requests.ts';
import { requestBodies } from '../../tools/load/drive.ts';
import { LOAD_DIR, PLAN, SCENARIO_NAMES, type Scenario } from '../../tools/load/scenarios.ts';
import { rampSteps, saturationRps } from '../../tools/load/summary.ts';

const k6 = vi.hoisted(() => ({
  posts: [] as { url: string; body: string; params: { tags: Record<string, string> } }[],
  iteration: 0,
  startTime: 0,
}));

vi.mock('k6/http', () => ({
  default: {
    post: (url: string, body: string, params: { tags: Record<string, string> }) => {
      k6.posts.push({ url, body, params });
      return { status: 200 };
    },
  },
}));
vi.mock('k6/execution', () => ({
  default: {
    scenario: {
      get iterationInTest() {
        return k6.iteration;
      },
      get startTime() {
        return k6.startTime;
      },
    },
  },
}));
vi.mock('k6/metrics', () => ({ Counter: class { add() {} } }));

interface K6Module {
  options: { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, string[]> };
  default(): void;
  summarise(data: { metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }> }): {
    saturation_rps?: number;
    ok: boolean;
    thresholds: Record<string, boolean>;
  };
  handleSummary(data: unknown): Record<string, string>;
}

const K6_SCRIPT = path.join(LOAD_DIR, 'k6.js');
const BASE_URL = 'http://proxy:8080';

/** Loads k6.js afresh as k6 would with `-e SCENARIO=name`. */
async function loadK6(name: string): Promise<K6Module> {
  vi.resetModules();
  Object.assign(globalThis, {
    __ENV: { SCENARIO: name, BASE_URL: `${BASE_URL}/`, REPORT_DIR: '/reports' },
    open: (file: string) => readFileSync(path.resolve(LOAD_DIR, file), 'utf8'),
  });
  // Through a variable: the script has no type declarations, and needs none beyond K6Module.
  const script = K6_SCRIPT;
  return (await import(script)) as K6Module;
}

const seconds = (value: unknown) => {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(String(value));
  if (!match) throw new Error(`not a k6 duration in seconds: ${String(value)}`);
  return Number(match[1]);
};

/** Reads a k6 scenario back into our terms, so its schedule can be compared with the Node driver's. */
function fromK6(k6Scenario: Record<string, unknown>): Scenario {
  const common = { description: '', timeUnitSeconds: seconds(k6Scenario.timeUnit), maxInFlight: Number(k6Scenario.maxVUs), thresholds: {} };
  if (k6Scenario.executor === 'constant-arrival-rate') {
    return { ...common, executor: 'constant-arrival-rate', rate: Number(k6Scenario.rate), durationSeconds: seconds(k6Scenario.duration) };
  }
  const stages = k6Scenario.stages as { target: number; duration: string }[];
  return {
    ...common,
    executor: 'ramping-arrival-rate',
    startRate: Number(k6Scenario.startRate),
    stages: stages.map((s) => ({ target: s.target, durationSeconds: seconds(s.duration) })),
    saturation: { minCompletedRatio: 1, maxFailedRate: 0, p95Ms: 0 },
  };
}

describe('stress scenarios', () => {
  beforeEach(() => {
    k6.posts.length = 0;
  });
  afterEach(() => {
    vi.resetModules();
  });

  it('scenarios.json, corpus.json and costliest-request.json are current (npm run stress:export rewrites them)', () => {
    expect(JSON.parse(readFileSync(path.join(LOAD_DIR, 'scenarios.json'), 'utf8'))).toEqual(PLAN);
    expect(JSON.parse(readFileSync(path.join(LOAD_DIR, PLAN.corpus.file), 'utf8'))).toEqual(buildCorpus());
    expect(JSON.parse(readFileSync(path.join(LOAD_DIR, PLAN.costliestRequest), 'utf8'))).toEqual(costliestRequest(DEFAULTS.maxRequestTokens));
  });

  it('the abuse group runs a greedy and a polite scenario from two addresses, against the deployed rate limit', () => {
    const { abuse } = PLAN.groups;
    expect(Object.keys(abuse!.parts).sort()).toEqual(['abuse-greedy', 'abuse-polite']);
    expect(new Set(Object.values(abuse!.parts)).size).toBe(2);
    expect(abuse!.deployedRateLimit).toBe(true);
    expect(PLAN.scenarios['abuse-greedy']!.body).toBe('costliest');
    expect(PLAN.scenarios['abuse-polite']!.thresholds).toMatchObject({ maxFailedRate: 0.01, p99Ms: 1000 });
  });

  it("compose's k6 service mounts k6.js, scenarios.json and the corpus k6.js opens from them", () => {
    const compose = parse(readFileSync(path.join(REPO_ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, { command: string[]; volumes: string[] }> };
    const { command, volumes } = compose.services.k6!;
    const mounts = volumes.map((volume) => volume.split(':')).map(([host, inside]) => ({ host: path.resolve(REPO_ROOT, host!), inside: inside! }));
    const onHost = (file: string) => {
      const mount = mounts.find(({ inside }) => file.startsWith(`${inside}/`));
      return mount && path.join(mount.host, path.posix.relative(mount.inside, file));
    };
    const script = command.at(-1)!;
    expect(onHost(script)).toBe(path.join(LOAD_DIR, 'k6.js'));
    expect(onHost(path.posix.join(path.posix.dirname(script), 'scenarios.json'))).toBe(path.join(LOAD_DIR, 'scenarios.json'));
    expect(onHost(path.posix.join(path.posix.dirname(script), PLAN.corpus.file))).toBe(CORPUS_FILE);
  });

  it('defines seed, ramp and a smoke run of at most 60 s', () => {
    const { seed, smoke, ramp } = PLAN.scenarios;
    for (const constant of [seed, smoke]) {
      expect(constant?.executor).toBe('constant-arrival-rate');
      if (constant?.executor !== 'constant-arrival-rate') return;
      expect(constant.rate / constant.timeUnitSeconds).toBeCloseTo(100 / 60);
      expect(constant.thresholds).toMatchObject({ maxFailedRate: 0, p95Ms: 200 });
    }
    if (seed?.executor === 'constant-arrival-rate') expect(seed.durationSeconds).toBeGreaterThanOrEqual(120);
    if (smoke?.executor === 'constant-arrival-rate') expect(smoke.durationSeconds).toBeLessThanOrEqual(60);
    expect(ramp?.executor).toBe('ramping-arrival-rate');
  });

  it('k6.js is valid JavaScript', () => {
    const check = spawnSync(process.execPath, ['--check', K6_SCRIPT], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it.each(SCENARIO_NAMES)('k6.js schedules %s exactly as the Node driver does', async (name) => {
    const spec = PLAN.scenarios[name]!;
    const { options } = await loadK6(name);
    expect(Object.keys(options.scenarios)).toEqual([name]);
    const k6Scenario = options.scenarios[name]!;
    expect(k6Scenario.executor).toBe(spec.executor);
    expect(k6Scenario.maxVUs).toBe(spec.maxInFlight);
    const fromScript = arrivals(fromK6(k6Scenario)).map((a) => a.atMs);
    expect(fromScript).toEqual(arrivals(spec).map((a) => a.atMs));
  });

  it.each(SCENARIO_NAMES)('k6.js holds %s to the Node driver’s thresholds', async (name) => {
    const spec = PLAN.scenarios[name]!;
    const { options } = await loadK6(name);
    const t = spec.thresholds;
    const expected: Record<string, string[]> = {};
    if (t.maxFailedRate !== undefined) expected.http_req_failed = [`rate<=${t.maxFailedRate}`];
    const durations = [...(t.p95Ms !== undefined ? [`p(95)<${t.p95Ms}`] : []), ...(t.p99Ms !== undefined ? [`p(99)<${t.p99Ms}`] : [])];
    if (durations.length > 0) expected.http_req_duration = durations;
    if (t.minCompletedRatio !== undefined) expected.http_reqs = [`count>=${Math.ceil(t.minCompletedRatio * arrivals(spec).length)}`];
    if (t.maxUnexpectedErrors !== undefined) expected.unexpected_errors = [`count<=${t.maxUnexpectedErrors}`];
    const own = Object.fromEntries(Object.entries(options.thresholds).filter(([key]) => !key.includes('{')));
    expect(own).toEqual(expected);
    // Tagged ones only make k6 report statuses and steps; they must never fail a run.
    for (const [key, expressions] of Object.entries(options.thresholds)) {
      if (key.includes('{')) expect(expressions.every((e) => e.endsWith('>=0'))).toBe(true);
    }
  });

  it('k6.js sends request i the Node driver’s body, to BASE_URL', async () => {
    const k6Module = await loadK6('seed');
    const texts = loadCorpus();
    for (const i of [0, 1, 2, texts.length, texts.length + 7]) {
      k6.iteration = i;
      k6Module.default();
    }
    expect(k6.posts.map((p) => p.url)).toEqual(Array(5).fill(`${BASE_URL}${PLAN.endpoint}`));
    expect(k6.posts.map((p) => p.body)).toEqual([0, 1, 2, texts.length, texts.length + 7].map((i) => requestBody(texts, i)));
  });

  it('k6.js sends abuse-greedy the costliest accepted request, as the Node driver does', async () => {
    const k6Module = await loadK6('abuse-greedy');
    k6.iteration = 3;
    k6Module.default();
    expect(k6.posts[0]!.body).toBe(requestBodies(PLAN.scenarios['abuse-greedy']!, loadCorpus())(3));
    expect(JSON.parse(k6.posts[0]!.body)).toEqual(costliestRequest(DEFAULTS.maxRequestTokens));
  });

  it('k6.js tags ramp requests with the stage the Node driver puts them in', async () => {
    const k6Module = await loadK6('ramp');
    const spec = PLAN.scenarios.ramp!;
    const schedule = arrivals(spec).filter((_, i) => i % 37 === 0);
    // A small clock keeps the subtraction exact at stage boundaries.
    const now = 1_000_000;
    vi.spyOn(Date, 'now').mockReturnValue(now);
    for (const arrival of schedule) {
      k6.startTime = now - arrival.atMs;
      k6Module.default();
    }
    vi.restoreAllMocks();
    expect(k6.posts.map((p) => Number(p.params.tags.step))).toEqual(schedule.map((a) => a.stage));
  });

  it('k6.js finds the same saturation point as the Node driver from the same measurements', async () => {
    const spec = PLAN.scenarios.ramp!;
    if (spec.executor !== 'ramping-arrival-rate') throw new Error('ramp is not a ramp');
    // A made-up server that keeps up to 40 requests/s, slows down to 80, and sheds beyond.
    const samples: Sample[] = arrivals(spec).map((a, i) => {
      const rps = spec.stages[a.stage]!.target;
      const slow = rps > 40;
      const shed = rps > 80 && i % 3 === 0;
      return { atMs: a.atMs, lateMs: 0, latencyMs: slow ? 1500 : 20, status: shed ? 503 : 200, stage: a.stage };
    });
    const result: LoadResult = { samples, dropped: 0, droppedByStage: {}, scheduled: samples.length, durationMs: 0 };
    const steps = rampSteps(spec, result);
    const metrics: Parameters<K6Module['summarise']>[0]['metrics'] = {};
    for (const step of steps) {
      metrics[`http_reqs{step:${step.stage}}`] = { values: { count: step.summary.completed } };
      metrics[`http_req_failed{step:${step.stage}}`] = { values: { rate: step.summary.failedRate } };
      metrics[`http_req_duration{step:${step.stage}}`] = { values: { 'p(95)': step.summary.latencyMs.p95 } };
    }
    metrics.unexpected_errors = { values: { count: 0 }, thresholds: { 'count<=0': { ok: true } } };
    const k6Module = await loadK6('ramp');
    const fromK6 = k6Module.summarise({ metrics });
    expect(saturationRps(steps)).toBe(32);
    expect(fromK6.saturation_rps).toBe(32);
    expect(fromK6.ok).toBe(true);
  });

  it('k6.js writes its summary as JSON to the reports folder', async () => {
    const k6Module = await loadK6('smoke');
    const files = k6Module.handleSummary({
      metrics: {
        http_reqs: { values: { count: 75 }, thresholds: { 'count>=72': { ok: true } } },
        http_req_failed: { values: { rate: 0 }, thresholds: { 'rate<=0': { ok: true } } },
        http_req_duration: { values: { med: 5, 'p(90)': 9, 'p(95)': 12, 'p(99)': 30, max: 40 }, thresholds: { 'p(95)<200': { ok: true } } },
        'http_reqs{status:200}': { values: { count: 75 } },
      },
    });
    const report = JSON.parse(files['/reports/k6-smoke.json']!) as Record<string, unknown>;
    expect(report).toMatchObject({ scenario: 'smoke', completed: 75, statuses: { 200: 75 }, ok: true });
    expect(files.stdout).toContain('PASS');
  });
});
