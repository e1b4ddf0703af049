/**
 * Start-up, readiness, ORT_THREADS and SIGTERM drain, with the real offline model, in replicas
 * run as the image runs them.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
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

/**
 * A classify request whose body is held back after its first bytes: the replica has it in
 * flight (its headers are read) until `finish` sends the rest, on a connection of its own.
 */
function heldRequest(url: string): { finish(): Promise<{ status: number; connection?: string }>; closed: Promise<string> } {
  const body = JSON.stringify({ text: 'Held back until the drain has begun. You are an idiot!' });
  const request = http.request(`${url}/api/v1/classify`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
  });
  // A request cut by the drain never answers: `closed` reports that, not an unhandled rejection.
  answered.catch(() => {});
  const closed = new Promise<string>((resolve) => {
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.on('close', () => resolve('closed'));
  });
  request.write(body.slice(0, 10));
  return {
    async finish() {
      request.end(body.slice(10));
      const response = await answered;
      response.resume();
      return { status: response.statusCode!, connection: response.headers.connection };
    },
    closed,
  };
}

/** Resolves with the error code of a new TCP connection to `port` (or 'connected'). */
function connectTo(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const inFlight = async (url: string) =>
  (await (await fetch(`${url}/metrics`)).text()).match(/^toxicity_http_requests_in_flight (\d+)/m)?.[1];

describe('SIGTERM', () => {
  it('refuses a connection made during the drain, answers every request in flight, and exits 0', async () => {
    const fn = await startFunction({ port: 18185 });
    const held = [heldRequest(fn.url), heldRequest(fn.url), heldRequest(fn.url)];
    // The three are in flight once the replica has read their headers (the 4th is this scrape).
    await expect.poll(() => inFlight(fn.url), { timeout: 10_000, interval: 5 }).toBe('4');
    fn.child.kill('SIGTERM');
    await expect.poll(() => fn.output(), { timeout: 10_000, interval: 5 }).toContain('"msg":"draining"');

    // The held requests keep the process draining: a refusal now is the drain's, not an exit's.
    expect(await connectTo(18185)).toBe('ECONNREFUSED');
    expect(fn.child.exitCode).toBeNull();

    const answers = await Promise.all(held.map((request) => request.finish()));
    expect(answers).toEqual(Array(3).fill({ status: 200, connection: 'close' }));
    expect(await fn.exited).toBe(0);
    expect(fn.output()).toContain('"msg":"drained, exiting"');
  });

  it('cuts a request still running when DRAIN_TIMEOUT_MS has passed, and exits 0 then', async () => {
    const DRAIN_MS = 1000;
    const fn = await startFunction({ port: 18185, env: { DRAIN_TIMEOUT_MS: String(DRAIN_MS) } });
    const held = heldRequest(fn.url);
    await expect.poll(() => inFlight(fn.url), { timeout: 10_000, interval: 5 }).toBe('2');
    const signalled = performance.now();
    fn.child.kill('SIGTERM');

    expect(await fn.exited).toBe(0);
    const drainedMs = performance.now() - signalled;
    expect(await held.closed).toMatch(/^(ECONNRESET|closed)$/);
    expect(fn.output()).toContain('"msg":"drain timeout reached, closing remaining connections"');
    // Not before the bound (the request was still held), and not long after it.
    expect(drainedMs).toBeGreaterThanOrEqual(DRAIN_MS);
    expect(drainedMs, `exited ${drainedMs.toFixed(0)} ms after SIGTERM`).toBeLessThan(DRAIN_MS + 5000);
  });
});
