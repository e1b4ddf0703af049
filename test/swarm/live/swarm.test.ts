/**
 * The stack on a real three-node Docker Swarm (a manager and two workers, each a dockerd in its
 * own network namespace): the page and the API through the edge, replicas spread over nodes,
 * Prometheus finding every replica, the edge following replicas as they come and go, a rolling
 * update under load (deploy/swarm/update.sh, the pipeline's swarm deploy) with no failed
 * request, and the loss of a worker under load: its engine killed with SIGKILL, the lost
 * replicas rescheduled on the survivors (time measured), the node back in the swarm.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../tools/lib/repo.ts';
import { waitFor } from '../../../tools/lib/wait.ts';
import { steadyLoadDuring, type LoadSample } from '../../../tools/reliability/steady-load.ts';
import { COMPOSE_ENV } from '../../compose/compose-cli.ts';
import { postJson } from '../../support/http.ts';
import type { Engine } from '../../../tools/swarm/lab/engine.ts';
import { labEngines } from '../../../tools/swarm/lab/lab.ts';
import { deployEnv, EDGE, edgeLog, IMAGE_PREFIX, edgeUpstream, prometheusQuery, runningTasks, servedBy, STACK, type Task } from './swarm-stack.ts';

const [manager, ...workers] = labEngines(3) as [Engine, Engine, Engine];
const body = (i: number) => JSON.stringify({ text: `swarm request ${i}: have a nice day` });
const addresses = (tasks: Task[]) => tasks.map((task) => task.address).sort();
const failures = (samples: LoadSample[]) => samples.filter((s) => s.status !== 200);

/** Load at `perSecond` until `action` is done; returns the action's result and the samples. */
async function underLoad<T>(perSecond: number, action: () => Promise<T>): Promise<{ result: T; samples: LoadSample[] }> {
  const started = Date.now();
  // Long enough for a request caught on a node that died to be retried elsewhere by nginx.
  const { result, samples } = await steadyLoadDuring({ url: EDGE, perSecond, durationMs: 900_000, body, timeoutMs: 90_000 }, action);
  const resent = samples.filter((s) => s.resent).length;
  if (resent > 0) console.log(`[swarm] ${resent} request(s) met a kept-alive connection the edge closed (its reload) and were sent again`);
  const failed = failures(samples);
  for (const s of failed) {
    console.log(
      `[swarm] failed request #${s.i} left at ${(s.atMs / 1000).toFixed(1)} s: ${s.status} ${s.errorCode ?? ''} after ${s.latencyMs.toFixed(0)} ms` +
        `${s.resent ? ' (sent twice: its first connection had been closed)' : ''} (the action took ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  if (failed.length > 0) {
    // What the edge saw of the same minutes: the requests it did not answer 200 at first try.
    const troubled = (await edgeLog(manager, new Date(started - 1000).toISOString())).filter((entry) => entry.status !== 200 || entry.upstream_status !== '200');
    for (const entry of troubled) console.log(`[swarm] edge: ${JSON.stringify(entry)}`);
  }
  return { result, samples };
}

/** Sends `count` requests and says when they started, for the edge's access log. */
async function burst(count: number): Promise<string> {
  const since = new Date(Date.now() - 1000).toISOString();
  for (let i = 0; i < count; i++) expect((await postJson(`${EDGE}/api/v1/classify`, { text: `burst ${i}` })).status).toBe(200);
  return since;
}

/** The edge lists exactly the running replicas, and requests reach every one of them. */
async function expectEdgeFollows(): Promise<void> {
  const tasks = await runningTasks(manager, 'functions');
  await waitFor('the edge upstream = the running replicas', () => edgeUpstream(manager), (up) => JSON.stringify(up) === JSON.stringify(addresses(tasks)), 30_000, 500);
  const since = await burst(8 * tasks.length);
  expect(await servedBy(manager, since)).toEqual(addresses(tasks));
}

describe('the stack on three nodes', () => {
  it('serves the page and classifies through the edge', async () => {
    const page = await fetch(`${EDGE}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"');
    const res = await postJson(`${EDGE}/api/v1/classify`, { texts: ['You are a stupid worthless bitch', 'Have a nice day'] });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { results: { scores: { toxic: number } }[] };
    expect(result.results[0]!.scores.toxic).toBeGreaterThan(result.results[1]!.scores.toxic);
    expect((await fetch(`${EDGE}/metrics`)).status).toBe(404);
  });

  it('runs the replicas on at least two nodes', async () => {
    const tasks = await runningTasks(manager, 'functions');
    console.log(`[swarm] replicas: ${tasks.map((t) => `${t.node} ${t.address}`).join(', ')}`);
    expect(tasks).toHaveLength(3);
    expect(tasks.every((task) => task.state === 'running')).toBe(true);
    expect(new Set(tasks.map((task) => task.node)).size).toBeGreaterThanOrEqual(2);
  });

  it('has Prometheus scrape every replica and every node', async () => {
    const tasks = await runningTasks(manager, 'functions');
    const up = async (job: string) => (await prometheusQuery(manager, `up{job="${job}"} == 1`)).map((s) => s.metric.instance!.split(':')[0]!).sort();
    await waitFor('Prometheus up for every replica', () => up('functions'), (found) => JSON.stringify(found) === JSON.stringify(addresses(tasks)), 90_000, 2000);
    await waitFor('node-exporter up on every node', () => up('node'), (found) => found.length === 3, 90_000, 2000);
  });
});

describe('the edge follows the replicas', () => {
  it('adds replicas that start and drops those that stop, on whichever node', async () => {
    await expectEdgeFollows();
    await manager.docker('service', 'scale', '--detach=false', `${STACK}_functions=5`);
    await expectEdgeFollows();
    expect(await edgeUpstream(manager)).toHaveLength(5);
    await manager.docker('service', 'scale', '--detach=false', `${STACK}_functions=3`);
    await expectEdgeFollows();
    expect(await edgeUpstream(manager)).toHaveLength(3);
  });
});

describe('rolling update', () => {
  it('moves every replica to a new image under load with no failed request', async () => {
    const tag = 'rolled';
    // The same image under a new tag, as a release pushes one: the service's image changes.
    await manager.docker('tag', `${IMAGE_PREFIX}/functions:${COMPOSE_ENV.IMAGE_TAG}`, `${IMAGE_PREFIX}/functions:${tag}`);
    await manager.docker('push', '--quiet', `${IMAGE_PREFIX}/functions:${tag}`);
    const before = await runningTasks(manager, 'functions');
    const { samples } = await underLoad(15, () =>
      promisify(execFile)(path.join(REPO_ROOT, 'deploy/swarm/update.sh'), ['functions'], { env: { ...manager.env, ...deployEnv(tag) }, timeout: 600_000 }),
    );
    const after = await runningTasks(manager, 'functions');
    console.log(`[swarm] rolling update: ${samples.length} requests, ${failures(samples).length} failed`);
    expect(after).toHaveLength(3);
    expect(after.every((task) => task.image.startsWith(`${IMAGE_PREFIX}/functions:${tag}`))).toBe(true);
    expect(after.map((t) => t.id).filter((id) => before.some((b) => b.id === id))).toEqual([]);
    expect(samples.length).toBeGreaterThan(100);
    expect(failures(samples)).toEqual([]);
    await expectEdgeFollows();
  });
});

describe('node loss', () => {
  it('keeps answering while a worker engine is killed, reschedules its replicas and lets it rejoin', async () => {
    // Scaling down and the rolling update leave replicas wherever the scheduler put them, so the
    // worker lost is the one holding the most replicas (a worker that holds none proves nothing).
    const tasks = await runningTasks(manager, 'functions');
    const onWorker = (worker: Engine) => tasks.filter((task) => task.node === worker.hostname);
    const lost = workers.reduce((most, worker) => (onWorker(worker).length > onWorker(most).length ? worker : most));
    const onLost = onWorker(lost);
    expect(onLost.length).toBeGreaterThan(0);
    const timings = { downMs: 0, rescheduledMs: 0, rejoinedMs: 0 };
    const { samples } = await underLoad(15, async () => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const killedAt = Date.now();
      await lost.crash();
      await waitFor('the manager marks the node down', async () => manager.docker('node', 'inspect', '-f', '{{.Status.State}}', lost.hostname), (s) => s === 'down', 120_000, 250);
      timings.downMs = Date.now() - killedAt;
      await waitFor(
        'three replicas running on the surviving nodes',
        () => runningTasks(manager, 'functions'),
        (tasks) => tasks.filter((t) => t.node !== lost.hostname && t.state === 'running').length === 3,
        180_000,
        250,
      );
      timings.rescheduledMs = Date.now() - killedAt;
      const restartedAt = Date.now();
      await lost.start();
      await waitFor('the node ready again', () => manager.docker('node', 'inspect', '-f', '{{.Status.State}}', lost.hostname), (s) => s === 'ready', 120_000, 250);
      timings.rejoinedMs = Date.now() - restartedAt;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    });
    const failed = failures(samples);
    console.log(
      `[swarm] node loss (kill -9 of ${lost.hostname}'s dockerd): node down after ${(timings.downMs / 1000).toFixed(1)} s, ` +
        `${onLost.length} replica(s) rescheduled and running on the survivors ${(timings.rescheduledMs / 1000).toFixed(1)} s after the kill; ` +
        `engine restarted, node ready ${(timings.rejoinedMs / 1000).toFixed(1)} s later; ${samples.length} requests, ${failed.length} failed ` +
        `(${((100 * failed.length) / samples.length).toFixed(2)} %)`,
    );
    expect(samples.length).toBeGreaterThan(200);
    expect(failed.length / samples.length).toBeLessThanOrEqual(0.001);
    expect((await manager.docker('node', 'ls', '--format', '{{.Status}}')).split('\n')).toEqual(['Ready', 'Ready', 'Ready']);
    await expectEdgeFollows();
  });
});
