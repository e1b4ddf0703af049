/**
 * The submitted text never reaches a log. Requests carry unique markers wherever a client puts
 * text: `text`, `texts`, invalid JSON, bodies that trigger every kind of error (too long, too
 * large, wrong type, wrong method, unknown method, bad UTF-8, cut off mid-body), query strings
 * (on the API and on the page), the drop-in dialects (Perspective's `comment.text`, OpenAI's
 * `input`) with the API keys their clients send (`?key=`, `Authorization: Bearer`, `X-API-Key`),
 * and bursts over the rate limit. Then every file in the
 * stack's log folder (nginx access and error logs, each replica's log, Prometheus,
 * Alertmanager, node-exporter) is scanned: no marker may appear. The scan is shown not to be
 * vacuous: the same logs do record the requests (their ids) and nginx's errors about them.
 * Then again with API keys on: real keys (accepted, revoked, over their rate) and wrong ones,
 * sent in all three ways, appear in no log and not in the replicas' /metrics.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../tools/stack/stack.ts';
import { runKeys } from '../../tools/keys/cli.ts';
import { sleep, startReliabilityStack } from './reliability-stack.ts';

let stack: Stack;
beforeAll(async () => {
  // The production rate limit (20 r/s, burst 40), so a burst meets it.
  stack = await startReliabilityStack('privacy', { replicas: 2, monitoring: true, rateLimit: '20r/s', rateBurst: 40 });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const markers: string[] = [];
/** A fresh marker: nothing else in any log could contain it by chance. */
function marker(): string {
  const m = `zqmark${randomBytes(8).toString('hex')}`;
  markers.push(m);
  return m;
}

let requestNumber = 0;
async function send(
  pathAndQuery: string,
  init: { method?: string; body?: string | Uint8Array<ArrayBuffer>; contentType?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'x-request-id': `privacy-${requestNumber++}`, ...init.headers };
  if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  const res = await fetch(`${stack.url}${pathAndQuery}`, { method: init.method ?? 'POST', headers, body: init.body });
  await res.arrayBuffer();
  // Paced under the rate limit: these requests are about what reaches the logs, not about 429s.
  await sleep(80);
  return res;
}

/** Writes raw bytes on a socket (what fetch will not send) and waits for the close. */
function raw(bytes: Uint8Array, hangUpAfterMs?: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(stack.options.proxyPort, '127.0.0.1', () => {
      socket.write(bytes);
      if (hangUpAfterMs !== undefined) setTimeout(() => socket.destroy(), hangUpAfterMs);
    });
    socket.on('data', () => undefined);
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
    socket.setTimeout(5000, () => socket.destroy());
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Every log file of a stopped stack, by its name in the log folder. */
function readLogs(logDir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(logDir).map((f) => [path.relative(logDir, f), readFileSync(f, 'latin1')]));
}

/** "file: marker" for each marker found in one of the texts. */
function leaksIn(texts: Record<string, string>): string[] {
  return Object.entries(texts).flatMap(([file, text]) => markers.filter((m) => text.includes(m)).map((m) => `${file}: ${m}`));
}

describe('no submitted text in any log', () => {
  it('sends text wherever a client may put it, then finds none of it in the logs', async () => {
    const statuses: Record<string, number> = {};
    const note = (what: string, res: Response) => (statuses[what] = res.status);

    note('text', await send('/api/v1/classify', { body: JSON.stringify({ text: `you are ${marker()} today`, spans: true }) }));
    note('texts', await send('/api/v1/classify', { body: JSON.stringify({ texts: [marker(), `and ${marker()}`], threshold: 0.2 }) }));
    note('long text', await send('/api/v1/classify', { body: JSON.stringify({ text: `${'word '.repeat(3000)}${marker()}` }) }));
    note('truncated JSON', await send('/api/v1/classify', { body: `{"text": "${marker()}` }));
    note('unquoted JSON', await send('/api/v1/classify', { body: `{"text": ${marker()}}` }));
    note('bad UTF-8', await send('/api/v1/classify', { body: new Uint8Array([...Buffer.from(`{"text":"${marker()}`), 0xc0, 0xaf, ...Buffer.from('"}')]) }));
    note('over the character limit', await send('/api/v1/classify', { body: JSON.stringify({ text: `${marker()}${'a'.repeat(20_001)}` }) }));
    note('wrong type', await send('/api/v1/classify', { body: JSON.stringify({ text: [marker()], threshold: marker() }) }));
    note('unknown field', await send('/api/v1/classify', { body: JSON.stringify({ [marker()]: marker() }) }));
    note('not JSON content type', await send('/api/v1/classify', { body: `text=${marker()}`, contentType: 'application/x-www-form-urlencoded' }));
    note('over the body limit', await send('/api/v1/classify', { body: JSON.stringify({ text: `${marker()}${'b'.repeat(1_100_000)}` }) }));
    note('wrong method', await send('/api/v1/classify', { method: 'PUT', body: JSON.stringify({ text: marker() }) }));
    note('unknown method', await send('/api/v1/classify', { method: 'FUZZ', body: JSON.stringify({ text: marker() }) }));
    note('API query string', await send(`/api/v1/model?text=${marker()}`, { method: 'GET', contentType: null }));
    note('classify query string', await send(`/api/v1/classify?text=${marker()}`, { body: JSON.stringify({ text: marker() }) }));
    note('query string, over the body limit', await send(`/api/v1/classify?text=${marker()}`, { body: 'c'.repeat(1_200_000) }));
    note('page query string', await send(`/?q=${marker()}`, { method: 'GET', contentType: null }));
    note('missing asset query string', await send(`/assets/nope.js?q=${marker()}`, { method: 'GET', contentType: null }));
    note('page POST with a query string', await send(`/?q=${marker()}`, { body: 'd'.repeat(1_200_000) }));

    // The drop-in dialects, with keys where their clients put them: a key is as secret as a text.
    const analyze = (query: string, body: unknown) => send(`/v1alpha1/comments:analyze?${query}`, { body: JSON.stringify(body) });
    note('Perspective analyze', await analyze(`key=${marker()}&alt=json`, { comment: { text: `you ${marker()}` }, requestedAttributes: { TOXICITY: {} }, spanAnnotations: true }));
    note('Perspective empty comment', await analyze(`key=${marker()}`, { comment: { text: '' }, requestedAttributes: { TOXICITY: {} }, clientToken: marker() }));
    note('Perspective unknown attribute', await analyze(`key=${marker()}`, { comment: { text: marker() }, requestedAttributes: { [marker()]: {} } }));
    note('Perspective bad JSON', await send(`/v1alpha1/comments:analyze?key=${marker()}`, { body: `{"comment": {"text": "${marker()}` }));
    note('Perspective over the body limit', await send(`/v1alpha1/comments:suggestscore?key=${marker()}`, { body: JSON.stringify({ comment: { text: `${marker()}${'e'.repeat(1_100_000)}` } }) }));
    note('Perspective suggestscore', await send(`/v1alpha1/comments:suggestscore?key=${marker()}`, {
      body: JSON.stringify({ comment: { text: marker() }, attributeScores: { TOXICITY: { summaryScore: { value: 1 } } }, clientToken: marker(), communityId: marker() }),
    }));
    const bearer = () => ({ authorization: `Bearer sk-${marker()}` });
    note('OpenAI moderation', await send('/v1/moderations', { body: JSON.stringify({ model: 'omni-moderation-latest', input: [marker(), `so ${marker()}`] }), headers: bearer() }));
    note('OpenAI bad input', await send('/v1/moderations', { body: JSON.stringify({ input: [{ type: 'text', text: marker() }, { type: 'image_url', image_url: { url: marker() } }] }), headers: bearer() }));
    note('OpenAI unknown argument', await send('/v1/moderations', { body: JSON.stringify({ input: 'hi', [marker()]: marker() }), headers: { 'x-api-key': marker() } }));
    note('OpenAI query string', await send(`/v1/moderations?key=${marker()}`, { body: JSON.stringify({ input: marker() }), headers: bearer() }));
    note('native with a key header', await send('/api/v1/classify', { body: JSON.stringify({ text: marker() }), headers: { 'x-api-key': marker(), ...bearer() } }));

    // Cut off mid-body, and a body nginx refuses while reading it (invalid chunked encoding).
    const cut = JSON.stringify({ text: `${marker()} and more` });
    await raw(Buffer.from(`POST /api/v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${cut.length + 50}\r\n\r\n${cut}`), 300);
    await raw(Buffer.from(`POST /api/v1/classify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${marker()}\r\n0\r\n\r\n`));
    await raw(Buffer.from(`POST /api/v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"tex\r\nzz\r\n${marker()}\r\n0\r\n\r\n`));

    expect(statuses).toEqual({
      text: 200,
      texts: 200,
      'long text': 200,
      'truncated JSON': 400,
      'unquoted JSON': 400,
      'bad UTF-8': 400,
      'over the character limit': 400,
      'wrong type': 400,
      'unknown field': 400,
      'not JSON content type': 415,
      'over the body limit': 413,
      'wrong method': 405,
      'unknown method': 400,
      'API query string': 400,
      'classify query string': 400,
      'query string, over the body limit': 400,
      'page query string': 200,
      'missing asset query string': 404,
      'page POST with a query string': 405,
      'Perspective analyze': 200,
      'Perspective empty comment': 400,
      'Perspective unknown attribute': 400,
      'Perspective bad JSON': 400,
      'Perspective over the body limit': 413,
      'Perspective suggestscore': 200,
      'OpenAI moderation': 200,
      'OpenAI bad input': 400,
      'OpenAI unknown argument': 400,
      'OpenAI query string': 400,
      'native with a key header': 200,
    });

    // Over the rate limit: the 429s are JSON with Retry-After, and nginx logs them (without text).
    await sleep(2500);
    const burst = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const res = await fetch(`${stack.url}/api/v1/classify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': `burst-${i}` },
          body: JSON.stringify({ text: marker() }),
        });
        return { status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'), body: await res.text() };
      }),
    );
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // The same over the limit on Perspective's routes, whose request lines carry ?key=.
    await sleep(2500);
    const keyed = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const res = await fetch(`${stack.url}/v1alpha1/comments:analyze?key=${marker()}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': `keyed-burst-${i}` },
          body: JSON.stringify({ comment: { text: marker() }, requestedAttributes: { TOXICITY: {} } }),
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(keyed.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(burst.filter((r) => r.status !== 200 && r.status !== 429)).toEqual([]);
    for (const r of limited) {
      expect(r.retryAfter).toBe('1');
      expect(r.type).toMatch(/^application\/json/);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'rate_limited', details: [] } });
    }

    // Stopping flushes every log; then read them all.
    await stack.stop();
    const logs = readLogs(stack.logDir);
    expect(Object.keys(logs)).toEqual(expect.arrayContaining(['nginx-access.log', 'nginx-error.log', 'function-1.log', 'function-2.log', 'prometheus.log', 'alertmanager.log']));
    // Not vacuous: the logs saw these requests and nginx's complaints about them.
    expect(logs['nginx-access.log']).toContain('"request_id":"privacy-0"');
    expect(logs['nginx-access.log']).toContain('"request_id":"burst-');
    expect(logs['nginx-access.log']).toContain('"path":"/v1alpha1/comments:analyze"');
    expect(logs['nginx-access.log']).toContain('"request_id":"keyed-burst-');
    expect(logs['nginx-error.log']).toMatch(/limiting requests/);
    expect(logs['nginx-error.log']).toMatch(/client intended to send too large body/);

    expect(markers.length).toBeGreaterThan(400);
    expect(leaksIn(logs)).toEqual([]);
  }, 120_000);
});

describe('no API key in any log or metric, with keys on', () => {
  it('sends good, revoked, wrong and over-the-rate keys in all three ways, then finds none of them in the logs or /metrics', async () => {
    const keyDir = mkdtempSync(path.join(tmpdir(), 'privacy-keys-'));
    const keyFile = path.join(keyDir, 'api-keys.json');
    const addKey = (name: string, rate?: number) => {
      const printed: string[] = [];
      runKeys(['add', name, '--file', keyFile, ...(rate ? ['--rate', String(rate)] : [])], {}, (line) => printed.push(line));
      markers.push(printed[0]!);
      return printed[0]!;
    };
    const partner = addKey('partner', 2);
    const gone = addKey('gone');
    const keyed = await startReliabilityStack('privacy-keys', { replicas: 2, monitoring: false, rateLimit: '100r/s', rateBurst: 100, apiKeysFile: keyFile });
    try {
      const post = async (pathAndQuery: string, body: unknown, headers: Record<string, string> = {}) => {
        const res = await fetch(`${keyed.url}${pathAndQuery}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
        await res.arrayBuffer();
        return res.status;
      };
      const analyze = (query: string, headers: Record<string, string> = {}) =>
        post(`/v1alpha1/comments:analyze${query}`, { comment: { text: marker() }, requestedAttributes: { TOXICITY: {} } }, headers);
      const classify = (headers: Record<string, string>) => post('/api/v1/classify', { text: marker() }, headers);
      const moderate = (headers: Record<string, string>) => post('/v1/moderations', { input: marker() }, headers);

      const good: number[] = [];
      good.push(await classify({ 'x-api-key': partner }), await moderate({ authorization: `Bearer ${partner}` }));
      await sleep(1100);
      good.push(await analyze(`?key=${encodeURIComponent(partner)}`), await analyze(`?alt=json&key=${encodeURIComponent(gone)}`));
      expect(good).toEqual([200, 200, 200, 200]);

      runKeys(['revoke', 'gone', '--file', keyFile], {}, () => undefined);
      // Each replica polls the file every second, on its own clock.
      await sleep(2500);
      const refused = [
        await analyze(`?key=${encodeURIComponent(gone)}`),
        await moderate({ authorization: `Bearer ${gone}` }),
        await classify({ 'x-api-key': `tm_${marker()}` }),
        await moderate({ authorization: `Bearer sk-${marker()}` }),
        await analyze(`?key=${marker()}`),
        await classify({}),
      ];
      expect(refused).toEqual([401, 401, 401, 401, 401, 401]);

      // Over the partner key's rate (2 r/s, burst 4) on each route: nginx logs the refusals.
      await sleep(2500);
      const over = await Promise.all([
        ...Array.from({ length: 8 }, () => analyze(`?key=${encodeURIComponent(partner)}`)),
        ...Array.from({ length: 8 }, () => classify({ authorization: `Bearer ${partner}` })),
      ]);
      expect(over.filter((status) => status === 429).length).toBeGreaterThan(4);

      const metrics = Object.fromEntries(
        await Promise.all(keyed.replicas.map(async (r) => [`function-${r.index + 1} /metrics`, await (await fetch(`${r.url}/metrics`)).text()] as const)),
      );
      // Not vacuous: the replicas count per key name, and nginx logged the key's rate limit.
      expect(Object.values(metrics).join('\n')).toContain('toxicity_api_key_requests_total{key="partner"}');
      await keyed.stop();
      const logs = readLogs(keyed.logDir);
      expect(logs['nginx-access.log']).toContain('"status":401');
      // The replicas queue fairly by the key's name (X-Client-Id), which the access log records.
      expect(logs['nginx-access.log']).toContain('"path":"/api/v1/classify","status":200,"client":"key:partner"');
      expect(logs['nginx-access.log']).toContain('"path":"/api/v1/classify","status":401,"client":"127.0.0.1"');
      expect(logs['nginx-error.log']).toMatch(/limiting requests.*zone "key_r2"/);
      expect(leaksIn({ ...logs, ...metrics })).toEqual([]);
    } finally {
      await keyed.stop();
      rmSync(keyDir, { recursive: true, force: true });
    }
  }, 120_000);
});
