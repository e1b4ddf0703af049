/**
 * Faults under a steady load through nginx (20 requests/s of tweets, ~10 s per scenario) on
 * the native stack with two replicas and the monitoring, scraped and evaluated every second
 * with the repository's alert rules (every `for` divided by 20):
 * - kill -9 of a replica: no request fails (nginx retries elsewhere), the supervisor restarts
 *   it under a new pid, and it serves again once ready;
 * - SIGTERM of a replica: it drains, no request fails, and it comes back;
 * - every replica stopped: nginx answers each request with the JSON 503 and Retry-After,
 *   AllFunctionsDown fires, and when the replicas return, requests succeed again.
 * Latencies are printed for the record, not asserted: timings on a shared machine belong in
 * the benchmarks (`npm run bench`).
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../../tools/lib/statistics.ts';
import { waitForOk } from '../../tools/lib/wait.ts';
import { alerts, instantQuery } from '../../tools/observability/prometheus-api.ts';
import { steadyLoad, type LoadSample } from '../../tools/reliability/steady-load.ts';
import type { Replica, Stack } from '../../tools/stack/stack.ts';
import { writeFastRules } from '../observability/fast-rules.ts';
import { loadTweets, startReliabilityStack, waitFor, type AccessLine } from './reliability-stack.ts';

let stack: Stack;
let rulesDir: string;
const tweets = loadTweets();

beforeAll(async () => {
  rulesDir = writeFastRules(20);
  stack = await startReliabilityStack('faults', {
    replicas: 2,
    scrapeInterval: '1s',
    evaluationInterval: '1s',
    rulesDir,
    // Well above the load, so a 429 could only mean a bug here.
    rateLimit: '200r/s',
    rateBurst: 200,
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  if (rulesDir) rmSync(rulesDir, { recursive: true, force: true });
});

const load = (durationMs: number) =>
  steadyLoad({ url: stack.url, perSecond: 20, durationMs, body: (i) => JSON.stringify({ text: tweets[i % tweets.length] }), timeoutMs: 15_000 });

const p99 = (samples: LoadSample[]) => percentile(samples.map((s) => s.latencyMs), 99).toFixed(1);
const max = (samples: LoadSample[]) => Math.max(...samples.map((s) => s.latencyMs)).toFixed(1);
const failures = (samples: LoadSample[]) => samples.filter((s) => s.status !== 200).map((s) => `#${s.i} ${s.status} ${s.errorCode ?? ''}`);

function accessLog(): AccessLine[] {
  return readFileSync(path.join(stack.logDir, 'nginx-access.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AccessLine);
}

/** Sends tagged requests until the access log shows one answered 200 by `replica`. */
async function servedBy(replica: Replica, tag: string): Promise<void> {
  const address = `127.0.0.1:${replica.port}`;
  await waitFor(
    `${replica.process.name} serving through nginx again`,
    async () => {
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${stack.url}/api/v1/classify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': `${tag}-${Date.now()}-${i}` },
          body: JSON.stringify({ text: 'are you back?' }),
        });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      // upstream_addr lists every replica tried ("a, b"); the last one gave the answer.
      return accessLog().some((l) => l.request_id.startsWith(tag) && l.upstream_addr.split(', ').at(-1) === address && l.upstream_status.split(', ').at(-1) === '200');
    },
    (served) => served,
    20_000,
    500,
  );
}

/** Answers `replica` gave through nginx so far, by the access log. */
const answeredBy = (replica: Replica) => accessLog().filter((l) => l.upstream_addr.split(', ').at(-1) === `127.0.0.1:${replica.port}`).length;

/**
 * 10 s of load, with the signal sent to `victim` once it has answered 20 of the load's requests
 * (so the load flows through it when the signal comes); every one of the ~200 must succeed.
 */
async function signalUnderLoad(victim: Replica, signal: NodeJS.Signals): Promise<{ samples: LoadSample[]; signalledAt: number }> {
  const before = answeredBy(victim);
  const running = load(10_000);
  await waitFor(`${victim.process.name} answering the load`, () => answeredBy(victim) - before, (n) => n >= 20, 8000, 50);
  const signalledAt = Date.now();
  victim.process.signal(signal);
  const samples = await running;
  expect(samples.length).toBeGreaterThanOrEqual(195);
  expect(failures(samples)).toEqual([]);
  return { samples, signalledAt };
}

describe('faults under a steady load', () => {
  it('kill -9 of a replica: no failed request; the supervisor restarts it and it serves again', async () => {
    const victim = stack.replicas[0]!;
    const pid = victim.process.pid;
    const restarts = victim.process.restarts;
    const { samples, signalledAt: killedAt } = await signalUnderLoad(victim, 'SIGKILL');

    await waitFor('restart', () => ({ restarts: victim.process.restarts, pid: victim.process.pid }), (p) => p.restarts === restarts + 1 && p.pid !== pid, 10_000);
    await waitForOk(`${victim.url}/readyz`, 60_000);
    const readyMs = Date.now() - killedAt;
    await servedBy(victim, 'after-kill');
    console.log(`kill -9: ${samples.length} requests, 0 failed, p99 ${p99(samples)} ms, max ${max(samples)} ms; pid ${pid} → ${victim.process.pid}, ready again ${readyMs} ms after the kill, serving through nginx ${Date.now() - killedAt} ms after`);
  }, 90_000);

  it('SIGTERM of a replica: it drains with no failed request and comes back', async () => {
    const victim = stack.replicas[1]!;
    const pid = victim.process.pid;
    const { samples, signalledAt: termAt } = await signalUnderLoad(victim, 'SIGTERM');

    expect(readFileSync(path.join(stack.logDir, `${victim.process.name}.log`), 'utf8')).toMatch(/exited \(code 0, signal null\)/);
    await waitFor('restart after drain', () => victim.process.pid, (p) => p !== undefined && p !== pid, 10_000);
    await waitForOk(`${victim.url}/readyz`, 60_000);
    await servedBy(victim, 'after-term');
    console.log(`SIGTERM: ${samples.length} requests, 0 failed, p99 ${p99(samples)} ms, max ${max(samples)} ms; drained, exited 0 and served through nginx again ${Date.now() - termAt} ms after the signal`);
  }, 90_000);

  it('every replica down: nginx answers every request with a JSON 503 and Retry-After, AllFunctionsDown fires, and service returns with them', async () => {
    // Prometheus must have seen the replicas up before it can see them go down.
    await waitFor('replicas scraped as up', () => instantQuery(stack.prometheusUrl, 'up{job="functions"} == 1'), (up) => up.length === 2, 15_000);
    await Promise.all(stack.replicas.map((r) => r.process.stop()));
    const downAt = Date.now();

    const samples = await load(5000);
    expect(samples.length).toBeGreaterThanOrEqual(95);
    expect(samples.filter((s) => s.status !== 503 || s.errorCode !== 'unavailable' || !s.retryAfter)).toEqual([]);
    // How fast nginx refuses is printed below, not asserted: a timing on a shared machine is a benchmark's.
    const p99Down = percentile(samples.map((s) => s.latencyMs), 99);

    const fired = await waitFor(
      'AllFunctionsDown firing',
      async () => (await alerts(stack.prometheusUrl)).filter((a) => a.labels.alertname === 'AllFunctionsDown'),
      (found) => found.some((a) => a.state === 'firing'),
      30_000,
      500,
    );
    expect(fired[0]!.labels.severity).toBe('critical');
    const firingMs = Date.now() - downAt;

    const restartAt = Date.now();
    stack.replicas.forEach((r) => r.process.start());
    await Promise.all(stack.replicas.map((r) => waitForOk(`${r.url}/readyz`, 60_000)));
    await waitFor('first 200 through nginx', async () => (await fetch(`${stack.url}/api/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hello again"}' })).status, (s) => s === 200, 15_000);
    const servingMs = Date.now() - restartAt;
    const after = await load(5000);
    expect(failures(after)).toEqual([]);
    await waitFor('AllFunctionsDown resolved', () => alerts(stack.prometheusUrl), (a) => !a.some((x) => x.labels.alertname === 'AllFunctionsDown'), 30_000, 500);
    console.log(
      `all down: ${samples.length} requests answered 503 unavailable with Retry-After, p99 ${p99Down.toFixed(1)} ms; AllFunctionsDown (for: 3 s here) firing ${firingMs} ms after the stop; ` +
        `first 200 ${servingMs} ms after the restart, then ${after.length} requests, 0 failed; alert resolved ${Date.now() - restartAt} ms after the restart`,
    );
  }, 120_000);
});
