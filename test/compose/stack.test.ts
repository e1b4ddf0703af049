/**
 * The compose stack, built here from the project's Dockerfiles: API through the proxy on
 * 127.0.0.1:8080, Prometheus scraping every replica, hardened containers, and a rolling
 * redeploy under load with zero failed requests.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { instantQuery } from '../../tools/observability/prometheus-api.ts';
import { steadyLoadDuring } from '../../tools/reliability/steady-load.ts';
import { postJson } from '../support/http.ts';
import { COMPOSE_ENV, containerIds, docker } from './compose-cli.ts';
import { PUBLIC_URL } from './global-setup.ts';

const PROMETHEUS = 'http://127.0.0.1:9090';

/** An instant query's sample values, as numbers. */
const values = async (expr: string): Promise<number[]> => (await instantQuery(PROMETHEUS, expr)).map((s) => Number(s.value[1]));

describe('API through the compose proxy', () => {
  it('classifies with the bundled offline model and keeps internals private', async () => {
    const res = await postJson(`${PUBLIC_URL}/api/v1/classify`, { texts: ['You are a stupid worthless bitch', 'Have a nice day'] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { model: { offline: boolean }; results: Array<{ scores: { toxic: number } }> };
    expect(body.model.offline).toBe(true);
    expect(body.results[0]!.scores.toxic).toBeGreaterThan(body.results[1]!.scores.toxic + 0.3);
    expect((await fetch(`${PUBLIC_URL}/metrics`)).status).toBe(404);
    const tooLarge = await postJson(`${PUBLIC_URL}/api/v1/classify`, { text: 'a'.repeat(1_100_000) });
    expect(tooLarge.status).toBe(413);
    const page = await fetch(`${PUBLIC_URL}/`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('Prometheus in compose', () => {
  it('scrapes every function replica and finds it up', async () => {
    const replicas = (await containerIds('functions')).length;
    await expect
      .poll(async () => (await values('up{job="functions"}')).filter((up) => up === 1).length, { timeout: 90_000, interval: 2000 })
      .toBe(replicas);
  });

  // The image runs Node 24, the native stack Node 20: the V8 flag and the idle collection
  // (functions/src/memory/idle-gc.ts) must work in both.
  it("shows each replica's young generation capped at 4 MB and its idle collection made", async () => {
    for (let i = 0; i < 8; i++) expect((await postJson(`${PUBLIC_URL}/api/v1/classify`, { text: `message number ${i}` })).status).toBe(200);
    await expect
      .poll(async () => (await values('toxicity_idle_gc_total{job="functions"} > 0')).length, { timeout: 60_000, interval: 2000 })
      .toBeGreaterThan(0);
    const newSpace = await values('nodejs_heap_space_size_total_bytes{job="functions", space="new"}');
    expect(newSpace.length).toBe((await containerIds('functions')).length);
    for (const bytes of newSpace) expect(bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});

describe('container hardening', () => {
  it('runs every service non-root, read-only, without new privileges or capabilities', async () => {
    for (const service of ['functions', 'proxy', 'prometheus', 'alertmanager', 'node-exporter']) {
      for (const id of await containerIds(service)) {
        const host = JSON.parse(await docker(['inspect', '-f', '{{json .HostConfig}}', id])) as {
          ReadonlyRootfs: boolean;
          SecurityOpt: string[] | null;
          CapDrop: string[] | null;
        };
        expect(host.ReadonlyRootfs, service).toBe(true);
        expect(host.SecurityOpt, service).toContain('no-new-privileges:true');
        expect(host.CapDrop, service).toContain('ALL');
        const uid = await docker(['exec', id, 'sh', '-c', 'id -u']);
        expect(uid, service).not.toBe('0');
      }
    }
  });
});

describe('rolling redeploy', () => {
  it('replaces every replica under load with zero failed requests', async () => {
    const before = await containerIds('functions');
    // 10 requests a second, well under the proxy's per-client rate limit, until the redeploy is
    // done. The load sends a request again on a new connection when the kept-alive one it went
    // out on was closed unanswered: the redeploy reloads nginx, which closes idle connections.
    const { samples } = await steadyLoadDuring(
      { url: PUBLIC_URL, perSecond: 10, durationMs: 600_000, body: (i) => JSON.stringify({ text: `rolling redeploy request ${i}` }) },
      () =>
        promisify(execFile)(path.join(REPO_ROOT, 'deploy/compose/rolling-redeploy.sh'), [], {
          cwd: REPO_ROOT,
          env: { ...process.env, ...COMPOSE_ENV },
          timeout: 600_000,
        }),
    );
    const after = await containerIds('functions');
    // A failure is recorded with its error code, to tell nginx's 503 (unavailable) from a replica's.
    const failed = samples.filter((s) => s.status !== 200).map((s) => `#${s.i}: ${s.status} ${s.errorCode ?? ''}`);
    console.log(`[compose] rolling redeploy: ${samples.length} requests, ${failed.length} failed, ${samples.filter((s) => s.resent).length} sent again`);
    expect(after).toHaveLength(before.length);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(samples.length).toBeGreaterThan(50);
    expect(failed).toEqual([]);
  }, 900_000);
});
