/**
 * nginx in front of two real replicas (offline model): load balancing, failover, internal
 * endpoints hidden, its own /healthz, security headers, rate limiting and the body limit, all
 * as JSON.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForOk } from '../../tools/lib/wait.ts';
import type { Stack } from '../../tools/stack/stack.ts';
import { startTestStack } from '../../tools/stack/test-stack.ts';
import { postJson } from '../support/http.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack({ monitoring: false, rateLimit: '50r/s', rateBurst: 50 });
});
afterAll(async () => {
  await stack?.stop();
});

const classify = (text: string, requestId?: string) =>
  postJson(`${stack.url}/api/v1/classify`, { text }, requestId ? { 'x-request-id': requestId } : {});

interface AccessLine {
  request_id: string;
  path: string;
  status: number;
  upstream_addr: string;
}
function accessLog(): AccessLine[] {
  return readFileSync(path.join(stack.logDir, 'nginx-access.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AccessLine);
}

/** Sends requests from `workers` loops for `ms`, at most `perSecond` in all; returns statuses. */
async function steadyLoad(ms: number, workers: number, perSecond: number, onTick?: (elapsed: number) => void): Promise<number[]> {
  const statuses: number[] = [];
  const end = Date.now() + ms;
  const gap = (1000 * workers) / perSecond;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (Date.now() < end) {
        const started = Date.now();
        const res = await classify(`steady load message ${w} ${statuses.length}`);
        await res.arrayBuffer();
        statuses.push(res.status);
        onTick?.(ms - (end - Date.now()));
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, gap - (Date.now() - started))));
      }
    }),
  );
  return statuses;
}

describe('the proxy in front of two replicas', () => {
  it('spreads requests over both replicas and passes the request id through', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await classify('hello there friend', `spread-${i}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe(`spread-${i}`);
      await res.arrayBuffer();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const upstreams = new Set(accessLog().filter((l) => l.request_id.startsWith('spread-')).map((l) => l.upstream_addr));
    expect(upstreams).toEqual(new Set(stack.replicas.map((r) => `127.0.0.1:${r.port}`)));
  });

  it('makes up a request id when the client sends none, and rejects a malformed one', async () => {
    const res = await classify('hi');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const bad = await classify('hi', 'bad id with spaces');
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('does not serve /metrics or /readyz of the replicas', async () => {
    for (const internal of ['/metrics', '/readyz', '/api/../metrics', '/%6detrics']) {
      const res = await fetch(`${stack.url}${internal}`);
      expect(res.status, internal).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    const text = await (await fetch(`${stack.url}/api/metrics`)).text();
    expect(text).not.toContain('# HELP');
  });

  it('answers /healthz itself, saying it checks nginx only, and still 200 with every replica down', async () => {
    const up = await fetch(`${stack.url}/healthz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: 'ok', checks: 'nginx only' });

    await Promise.all(stack.replicas.map((r) => r.process.stop()));
    try {
      const down = await fetch(`${stack.url}/healthz`);
      expect(down.status).toBe(200);
      expect(await down.json()).toEqual({ status: 'ok', checks: 'nginx only' });
      // What /healthz does not check: the API has no replica to answer.
      expect((await classify('anyone there?')).status).toBe(503);
    } finally {
      stack.replicas.forEach((r) => r.process.start());
      await Promise.all(stack.replicas.map((r) => waitForOk(`${r.url}/readyz`, 60_000)));
    }
  });

  it('sends security and caching headers with the page and its assets', async () => {
    const page = await fetch(`${stack.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-encoding')).toBe('gzip');
    const html = await page.text();
    const asset = html.match(/\/assets\/[^"]+\.js/)![0];
    const js = await fetch(`${stack.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toMatch(/max-age=31536000/);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('answers an oversized body with a JSON 413', async () => {
    const res = await postJson(`${stack.url}/api/v1/classify`, { text: 'a'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('keeps answering when a replica is stopped mid-run: no failed client request', async () => {
    const victim = stack.replicas[0]!;
    let stopped: Promise<void> | undefined;
    const statuses = await steadyLoad(4000, 4, 30, (elapsed) => {
      if (elapsed > 1500 && !stopped) stopped = victim.process.stop();
    });
    await stopped;
    expect(statuses.length).toBeGreaterThan(60);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    victim.process.start();
  });

  it('rate-limits a client over its rate with a JSON 429 and Retry-After', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const answers = await Promise.all(Array.from({ length: 150 }, () => classify('burst')));
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.filter((r) => r.status !== 429 && r.status !== 200)).toEqual([]);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(((await limited[0]!.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });
});
