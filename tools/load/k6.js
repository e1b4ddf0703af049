/**
 * The canonical stress test, for k6 (compose's `loadtest` profile and Jenkins):
 *   k6 run -e SCENARIO=seed -e BASE_URL=http://proxy:8080 tools/load/k6.js
 * Scenarios and thresholds come from scenarios.json beside this file, texts from ../lib/corpus.json,
 * generated from tools/load/scenarios.ts (k6 cannot import TypeScript), which `npm run stress`
 * runs from Node with the same schedule. SCENARIO picks one (default seed); the summary is
 * written as JSON to REPORT_DIR (default /reports) as k6-<scenario>.json.
 * The abuse group's two scenarios must come from two addresses, as nginx tells clients apart by
 * address: run them at once as two processes (`k6 run --local-ips 127.0.0.2 -e SCENARIO=abuse-greedy …`
 * and `--local-ips 127.0.0.3 -e SCENARIO=abuse-polite`), or as two containers of compose's k6 service.
 * Plain ES2015 on purpose: k6's JavaScript runtime is not Node's.
 */
import http from 'k6/http';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';

const plan = JSON.parse(open('./scenarios.json'));
const texts = JSON.parse(open('./' + plan.corpus.file)).texts;
const NAME = __ENV.SCENARIO || 'seed';
const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const REPORT_DIR = (__ENV.REPORT_DIR || '/reports').replace(/\/+$/, '');
const spec = plan.scenarios[NAME];
if (!spec) throw new Error('unknown SCENARIO "' + NAME + '"; scenarios.json has ' + Object.keys(plan.scenarios).join(', '));
/** The costliest request the default budget accepts, for scenarios that send it (abuse-greedy). */
const COSTLIEST = spec.body === 'costliest' ? JSON.stringify(JSON.parse(open('./' + plan.costliestRequest))) : null;

/** Answers that are neither 200 nor the expected refusals (429 rate limited, 503 shed), and no answer at all. */
const unexpectedErrors = new Counter('unexpected_errors');
/** Statuses reported one by one in the summary. */
const STATUSES = ['200', '400', '413', '429', '500', '502', '503', '504', '0'];

const seconds = (n) => n + 's';

/** Flat stages of a ramp (start rate equal to target): the steps the saturation point is read from. */
function flatStages() {
  if (spec.executor !== 'ramping-arrival-rate') return [];
  const flat = [];
  let previous = spec.startRate;
  spec.stages.forEach((stage, index) => {
    if (stage.target === previous) flat.push({ index: index, stage: stage });
    previous = stage.target;
  });
  return flat;
}

/** Requests the schedule starts: the integral of the rate over the scenario, as the Node driver counts them. */
function scheduledRequests() {
  if (spec.executor === 'constant-arrival-rate') {
    return Math.ceil((spec.rate * spec.durationSeconds) / spec.timeUnitSeconds - 1e-9);
  }
  let previous = spec.startRate;
  let total = 0;
  spec.stages.forEach((stage) => {
    total += ((previous + stage.target) / 2) * (stage.durationSeconds / spec.timeUnitSeconds);
    previous = stage.target;
  });
  return Math.ceil(total - 1e-9);
}

function k6Scenario() {
  const common = {
    executor: spec.executor,
    timeUnit: seconds(spec.timeUnitSeconds),
    preAllocatedVUs: Math.min(spec.maxInFlight, 20),
    maxVUs: spec.maxInFlight,
    gracefulStop: '30s',
  };
  if (spec.executor === 'constant-arrival-rate') {
    return Object.assign(common, { rate: spec.rate, duration: seconds(spec.durationSeconds) });
  }
  return Object.assign(common, {
    startRate: spec.startRate,
    stages: spec.stages.map((s) => ({ target: s.target, duration: seconds(s.durationSeconds) })),
  });
}

/** The scenario's own thresholds, in k6's terms; the same checks as tools/load/summary.ts' checkThresholds. */
function scenarioThresholds() {
  const t = spec.thresholds;
  const out = {};
  if (t.maxFailedRate !== undefined) out.http_req_failed = ['rate<=' + t.maxFailedRate];
  const durations = [];
  if (t.p95Ms !== undefined) durations.push('p(95)<' + t.p95Ms);
  if (t.p99Ms !== undefined) durations.push('p(99)<' + t.p99Ms);
  if (durations.length > 0) out.http_req_duration = durations;
  if (t.minCompletedRatio !== undefined) out.http_reqs = ['count>=' + Math.ceil(t.minCompletedRatio * scheduledRequests())];
  if (t.maxUnexpectedErrors !== undefined) out.unexpected_errors = ['count<=' + t.maxUnexpectedErrors];
  return out;
}

/**
 * k6 reports a tagged sub-metric only when a threshold names it; these always hold and are
 * here so the summary carries each status and each ramp step.
 */
function reportingThresholds() {
  const out = {};
  STATUSES.forEach((status) => {
    out['http_reqs{status:' + status + '}'] = ['count>=0'];
  });
  flatStages().forEach((flat) => {
    out['http_reqs{step:' + flat.index + '}'] = ['count>=0'];
    out['http_req_failed{step:' + flat.index + '}'] = ['rate>=0'];
    out['http_req_duration{step:' + flat.index + '}'] = ['p(95)>=0'];
  });
  return out;
}

const THRESHOLDS = scenarioThresholds();

export const options = {
  scenarios: { [NAME]: k6Scenario() },
  thresholds: Object.assign({}, THRESHOLDS, reportingThresholds()),
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  discardResponseBodies: true,
};

/** Stage index at `elapsedMs` into the scenario. */
function stageAt(elapsedMs) {
  if (spec.executor !== 'ramping-arrival-rate') return 0;
  let end = 0;
  for (let i = 0; i < spec.stages.length; i++) {
    end += spec.stages[i].durationSeconds * 1000;
    if (elapsedMs < end) return i;
  }
  return spec.stages.length - 1;
}

export default function () {
  const i = exec.scenario.iterationInTest;
  const step = stageAt(Date.now() - exec.scenario.startTime);
  const body = COSTLIEST || JSON.stringify({ text: texts[i % texts.length] });
  const response = http.post(BASE_URL + plan.endpoint, body, {
    headers: { 'Content-Type': 'application/json' },
    tags: { step: String(step) },
    timeout: '60s',
  });
  const s = response.status;
  unexpectedErrors.add(s === 200 || s === 429 || s === 503 ? 0 : 1);
}

function values(data, name) {
  const metric = data.metrics[name];
  return metric ? metric.values : {};
}

/** The run as the Node driver reports it, so both drivers' reports read alike. */
export function summarise(data) {
  const durationS = spec.executor === 'constant-arrival-rate'
    ? spec.durationSeconds
    : spec.stages.reduce((sum, s) => sum + s.durationSeconds, 0);
  const reqs = values(data, 'http_reqs').count || 0;
  const d = values(data, 'http_req_duration');
  const statuses = {};
  STATUSES.forEach((status) => {
    const count = values(data, 'http_reqs{status:' + status + '}').count || 0;
    if (count > 0) statuses[status] = count;
  });
  const thresholds = {};
  Object.keys(THRESHOLDS).forEach((name) => {
    const results = (data.metrics[name] && data.metrics[name].thresholds) || {};
    THRESHOLDS[name].forEach((expression) => {
      // A metric with no samples has no result; only unexpected_errors can be empty, and then it held.
      thresholds[name + ' ' + expression] = results[expression] ? results[expression].ok : name === 'unexpected_errors';
    });
  });
  const out = {
    scenario: NAME,
    base_url: BASE_URL,
    scheduled: scheduledRequests(),
    completed: reqs,
    dropped: values(data, 'dropped_iterations').count || 0,
    duration_s: durationS,
    achieved_rps: reqs / durationS,
    failed_rate: values(data, 'http_req_failed').rate || 0,
    unexpected_errors: values(data, 'unexpected_errors').count || 0,
    latency_ms: { p50: d.med, p90: d['p(90)'], p95: d['p(95)'], p99: d['p(99)'], max: d.max },
    statuses: statuses,
    thresholds: thresholds,
    ok: Object.keys(thresholds).every((k) => thresholds[k]),
  };
  const flat = flatStages();
  if (flat.length > 0) {
    const rule = spec.saturation;
    let saturation = 0;
    let stillUp = true;
    out.steps = flat.map((f) => {
      const scheduled = (f.stage.target / spec.timeUnitSeconds) * f.stage.durationSeconds;
      const completed = values(data, 'http_reqs{step:' + f.index + '}').count || 0;
      const failedRate = values(data, 'http_req_failed{step:' + f.index + '}').rate || 0;
      const p95 = values(data, 'http_req_duration{step:' + f.index + '}')['p(95)'];
      const keepsUp = completed >= rule.minCompletedRatio * scheduled && failedRate <= rule.maxFailedRate && p95 < rule.p95Ms;
      stillUp = stillUp && keepsUp;
      if (stillUp) saturation = f.stage.target / spec.timeUnitSeconds;
      return { stage: f.index, rps: f.stage.target / spec.timeUnitSeconds, completed: completed, failed_rate: failedRate, p95_ms: p95, keeps_up: keepsUp };
    });
    out.saturation_rps = saturation;
  }
  return out;
}

export function handleSummary(data) {
  const out = summarise(data);
  const l = out.latency_ms;
  const f = (x) => (typeof x === 'number' ? x.toFixed(1) : '-');
  const lines = [
    'scenario ' + NAME + ': ' + spec.description,
    '  requests   ' + out.scheduled + ' scheduled, ' + out.completed + ' answered, ' + out.dropped + ' dropped',
    '  rate       achieved ' + out.achieved_rps.toFixed(2) + '/s (' + (out.achieved_rps * 60).toFixed(1) + '/min)',
    '  latency    p50 ' + f(l.p50) + '  p90 ' + f(l.p90) + '  p95 ' + f(l.p95) + '  p99 ' + f(l.p99) + '  max ' + f(l.max) + ' ms',
    '  statuses   ' + Object.keys(out.statuses).map((k) => k + ': ' + out.statuses[k]).join(', '),
    '  errors     failed rate ' + (out.failed_rate * 100).toFixed(2) + '%, ' + out.unexpected_errors + ' unexpected',
  ];
  Object.keys(out.thresholds).forEach((k) => lines.push('  ' + (out.thresholds[k] ? 'ok   ' : 'FAIL ') + k));
  if (out.steps) lines.push('  saturation point: ' + out.saturation_rps + ' requests/s');
  lines.push(out.ok ? 'PASS' : 'FAIL', '');
  const files = { stdout: lines.join('\n') };
  files[REPORT_DIR + '/k6-' + NAME + '.json'] = JSON.stringify(out, null, 2);
  return files;
}
