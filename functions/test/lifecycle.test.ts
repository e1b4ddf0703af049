/**
 * Start-up, readiness, ORT_THREADS and SIGTERM drain, with the real offline model, in replicas
 * run as the image runs them.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { Lifecycle } from '../src/lifecycle.ts';
import { createMetrics } from '../src/metrics/metrics.ts';
import { prepareModel } from '../src/service.ts';
import { startFunction } from '../../tools/stack/function-process.ts';
import { imageNodeMajor } from '../../tools/stack/image-node.ts';

describe('readiness', () => {
  it('/readyz is 503 with Retry-After until the model is loaded and warmed up, then 200', async () => {
    const lifecycle = new Lifecycle();
    const app = createApp({ lifecycle, metrics: createMetrics({ defaultMetrics: false }), maxBodyBytes: 1 << 20 });
    const before = await app.request('/readyz');
    expect(before.status).toBe(503);
    expect(before.headers.get('retry-after')).toBe('2');
    expect(((await before.json()) as { error: { code: string } }).error.code).toBe('not_ready');
    expect((await app.request('/healthz')).status).toBe(200);
    const early = await app.request('/api/v1/classify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"hi"}',
    });
    expect(early.status).toBe(503);

    lifecycle.markReady(await prepareModel(readConfig({})));
    expect((await app.request('/readyz')).status).toBe(200);

    lifecycle.startDraining();
    expect((await app.request('/readyz')).status).toBe(503);
    expect((await app.request('/healthz')).status).toBe(200);
  });
});

function threadCount(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).length;
}

describe('ORT_THREADS', () => {
  it('sets the size of ONNX Runtime’s intra-op thread pool', async () => {
    const counts: number[] = [];
    for (const [i, threads] of ['1', '4'].entries()) {
      const fn = await startFunction({ port: 18182 + i, env: { ORT_THREADS: threads } });
      counts.push(threadCount(fn.child.pid!));
      await fn.stop();
    }
    // The pool owns threads - 1 workers (the calling thread is the first), so 4 adds 3.
    expect(counts[1]! - counts[0]!).toBe(3);
  });
});

describe('start-up failures are loud', () => {
  it('exits 2 with a message naming a bad variable', async () => {
    await expect(startFunction({ port: 18184, env: { MODEL_DTYPE: 'fp16' }, readyTimeoutMs: 5000 })).rejects.toThrow(
      /exit code 2\)[\s\S]*MODEL_DTYPE must be q8 or fp32/,
    );
  });

  it('exits 2 naming the missing files when MODEL_DIR names a folder without the model, instead of serving the stand-in', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-model-'));
    try {
      await expect(startFunction({ port: 18184, env: { MODEL_DIR: empty }, readyTimeoutMs: 5000 })).rejects.toThrow(
        /exit code 2\)[\s\S]*"model not found".*unitary\/toxic-bert\/config\.json.*missing/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('exits 2 when IDLE_GC_MS is on but node was started without --expose-gc', async () => {
    await expect(startFunction({ port: 18184, v8Flags: [], env: { IDLE_GC_MS: '5000' }, readyTimeoutMs: 5000 })).rejects.toThrow(
      /exit code 2\)[\s\S]*IDLE_GC_MS needs V8's gc\(\): start node with --expose-gc/,
    );
  });
});

describe('the replicas the tests start', () => {
  it('run on the Node major of the function image', async () => {
    const fn = await startFunction({ port: 18184 });
    await fn.stop();
    const listening = fn.output().split('\n').find((line) => line.includes('"msg":"listening"'));
    expect(JSON.parse(listening!).node).toMatch(new RegExp(`^v${imageNodeMajor()}\\.`));
  });
});

describe('SIGTERM', () => {
  it('answers every request in flight, refuses new connections, and exits 0', async () => {
    // Load shedding would refuse some of these heavy requests; this test is about the drain.
    // A generous drain bound: this machine is shared, and the point is that nothing is cut off.
    const fn = await startFunction({ port: 18185, env: { MAX_QUEUE_DELAY_MS: '600000', DRAIN_TIMEOUT_MS: '60000' } });
    const body = JSON.stringify({
      texts: Array.from({ length: 8 }, (_, i) => `Sentence ${i} is here. You are an idiot! `.repeat(80)),
      spans: true,
    });
    const send = () =>
      fetch(`${fn.url}/api/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const inFlight = Array.from({ length: 6 }, send);
    // Signal only once the replica has received all six (the 7th in flight is this scrape).
    await expect
      .poll(async () => (await (await fetch(`${fn.url}/metrics`)).text()).match(/^toxicity_http_requests_in_flight (\d+)/m)?.[1], {
        timeout: 10_000,
        interval: 5,
      })
      .toBe('7');
    fn.child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight.map(async (p) => (await p).status));
    expect(statuses).toEqual(Array(6).fill(200));
    expect(await fn.exited).toBe(0);
    await expect(fetch(`${fn.url}/healthz`)).rejects.toThrow();
    expect(fn.output()).toContain('"msg":"draining"');
  });
});
