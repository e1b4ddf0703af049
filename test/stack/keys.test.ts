/**
 * API keys at the edge (API_KEYS_FILE set): nginx asks a replica about the key before each API
 * request, answers 401 in the dialect's format without one, applies the key's rate limit, and
 * follows `npm run keys` without a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectService, Unauthorized } from '../../cli/score/service-scorer.ts';
import { runKeys } from '../../tools/keys/cli.ts';
import type { Stack } from '../../tools/stack/stack.ts';
import { startTestStack } from '../../tools/stack/test-stack.ts';
import { postJson } from '../support/http.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'keys-test-'));
const keyFile = path.join(dir, 'api-keys.json');

/** Adds a key with `npm run keys -- add`'s code and returns the key it printed. */
function addKey(name: string, rate?: number): string {
  const printed: string[] = [];
  runKeys(['add', name, '--file', keyFile, ...(rate ? ['--rate', String(rate)] : [])], {}, (line) => printed.push(line));
  return printed[0]!;
}

let stack: Stack;
let fast: string;
let slow: string;
beforeAll(async () => {
  fast = addKey('fast');
  slow = addKey('slow', 1);
  stack = await startTestStack({ monitoring: false, rateLimit: '200r/s', rateBurst: 200, apiKeysFile: keyFile });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const native = (headers: Record<string, string> = {}) => postJson(`${stack.url}/api/v1/classify`, { text: 'hello there' }, headers);
const openai = (headers: Record<string, string> = {}) => postJson(`${stack.url}/v1/moderations`, { input: 'hello there' }, headers);
const perspective = (query = '', headers: Record<string, string> = {}) =>
  postJson(`${stack.url}/v1alpha1/comments:analyze${query}`, { comment: { text: 'hello there' }, requestedAttributes: { TOXICITY: {} } }, headers);

/** The sum of one counter over every replica's /metrics. */
async function counter(name: string, labels: string): Promise<number> {
  let sum = 0;
  for (const replica of stack.replicas) {
    const text = await (await fetch(`${replica.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    sum += line ? Number(line.split(' ').at(-1)) : 0;
  }
  return sum;
}

async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describe('API keys at the edge', () => {
  it('answers a request without a key 401 in each dialect\'s own error format', async () => {
    const [a, b, c] = await Promise.all([native(), openai(), perspective()]);
    expect([a.status, b.status, c.status]).toEqual([401, 401, 401]);
    expect(a.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await a.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/API key is required/) } });
    expect(await b.json()).toMatchObject({ error: { type: 'invalid_request_error', code: null, message: expect.stringMatching(/API key is required/) } });
    expect(await c.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', message: expect.stringMatching(/\?key=KEY/) } });
  });

  it('answers a wrong key 401 saying it is not valid, in each dialect', async () => {
    const wrong = 'tm_this-is-not-a-key';
    const [a, b, c] = await Promise.all([native({ 'x-api-key': wrong }), openai({ authorization: `Bearer ${wrong}` }), perspective(`?key=${wrong}`)]);
    expect(await a.json()).toMatchObject({ error: { code: 'unauthorized', message: 'the API key is not valid (unknown or revoked)' } });
    expect(b.status).toBe(401);
    expect(await b.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    expect(c.status).toBe(401);
    expect(await c.json()).toMatchObject({ error: { status: 'UNAUTHENTICATED', message: 'the API key is not valid (unknown or revoked)' } });
  });

  it('serves a good key given as X-API-Key, Authorization: Bearer, or ?key= on Perspective\'s routes', async () => {
    const [a, b, c, d] = await Promise.all([
      native({ 'x-api-key': fast }),
      native({ authorization: `Bearer ${fast}` }),
      openai({ authorization: `Bearer ${fast}` }),
      perspective(`?key=${encodeURIComponent(fast)}`),
    ]);
    expect([a.status, b.status, c.status, d.status]).toEqual([200, 200, 200, 200]);
  });

  it('lets the command-line scorer in with the key from TOXICITY_MONITOR_API_KEY, and says which variable to set without it', async () => {
    const options = { url: stack.url, batchSize: 32, concurrency: 2, giveUpMs: 5000 };
    await expect(connectService(options)).rejects.toThrow(/answered 401 .*give an API key in TOXICITY_MONITOR_API_KEY/);
    await expect(connectService({ ...options, apiKey: 'tm_wrong' })).rejects.toBeInstanceOf(Unauthorized);
    const scorer = await connectService({ ...options, apiKey: fast });
    expect(await scorer.classify(['you idiot', 'have a nice day'], 0.5)).toMatchObject({ kind: 'scored' });
  });

  it('spreads keyed requests sent one after another over both replicas (the key checks turn a round-robin of their own)', async () => {
    const classified = async () =>
      Promise.all(
        stack.replicas.map(async (replica) => {
          const text = await (await fetch(`${replica.url}/metrics`)).text();
          const line = text.split('\n').find((l) => l.startsWith('toxicity_texts_classified_total{dialect="native"}'));
          return line ? Number(line.split(' ').at(-1)) : 0;
        }),
      );
    const before = await classified();
    for (let i = 0; i < 20; i++) expect((await native({ 'x-api-key': fast })).status).toBe(200);
    const after = await classified();
    const served = after.map((count, i) => count - before[i]!);
    // One shared rotation sent every check to one replica and every request to the other.
    expect(served.reduce((a, b) => a + b, 0)).toBe(20);
    expect(Math.min(...served)).toBeGreaterThanOrEqual(5);
  });

  it('refuses ?key= on the native API, which takes no query string', async () => {
    const res = await postJson(`${stack.url}/api/v1/classify?key=${fast}`, { text: 'hi' });
    expect(res.status).toBe(400);
  });

  it('keeps the page and nginx\'s /healthz open, and /internal/auth unreachable from outside', async () => {
    expect((await fetch(`${stack.url}/`)).status).toBe(200);
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.url}/internal/auth`, { headers: { 'x-api-key': fast } })).status).toBe(404);
  });

  it('refuses a key over its rate 429 with Retry-After in its dialect while another key keeps working, and counts both per key name', async () => {
    const limitedBefore = await counter('toxicity_api_key_rate_limited_total', 'key="slow"');
    const burst = await Promise.all(Array.from({ length: 8 }, () => openai({ authorization: `Bearer ${slow}` })));
    const refused = burst.filter((res) => res.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    expect(await refused[0]!.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded', message: expect.stringMatching(/API key/) } });
    const other = await Promise.all(Array.from({ length: 8 }, () => native({ 'x-api-key': fast })));
    expect(other.map((res) => res.status)).toEqual(Array(8).fill(200));
    expect(await counter('toxicity_api_key_rate_limited_total', 'key="slow"')).toBe(limitedBefore + refused.length);
    expect(await counter('toxicity_api_key_requests_total', 'key="fast"')).toBeGreaterThanOrEqual(8);
    expect(await counter('toxicity_api_key_unauthorized_total', 'reason="missing"')).toBeGreaterThanOrEqual(3);
  });

  it('refuses a revoked key and accepts a new one within seconds, without a restart or a failed request in between', async () => {
    const later = addKey('later');
    expect(await eventually(async () => (await native({ 'x-api-key': later })).status === 200, 5000)).toBe(true);
    const statuses: number[] = [];
    let stop = false;
    const load = (async () => {
      // Paced well under the stack's per-client limit (200/s), which a tight loop can outrun.
      while (!stop) {
        statuses.push((await native({ 'x-api-key': fast })).status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    runKeys(['revoke', 'later', '--file', keyFile], {}, () => {});
    expect(await eventually(async () => (await native({ 'x-api-key': later })).status === 401, 5000)).toBe(true);
    stop = true;
    await load;
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  // Last: it stops the replicas.
  it('answers 503 unavailable in the dialect\'s format when no replica can check the key', async () => {
    await Promise.all(stack.replicas.map((replica) => replica.process.stop()));
    const [a, c] = await Promise.all([native({ 'x-api-key': fast }), perspective(`?key=${encodeURIComponent(fast)}`)]);
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('2');
    expect(await a.json()).toMatchObject({ error: { code: 'unavailable' } });
    expect(c.status).toBe(503);
    expect(await c.json()).toMatchObject({ error: { status: 'UNAVAILABLE' } });
  });
});
