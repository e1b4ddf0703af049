/**
 * The real app with the real offline model through the real transformers.js pipeline and
 * ONNX Runtime, in one process started the way `npm start` starts it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/api/openapi.ts';
import { startFunction, type FunctionProcess } from '../../tools/stack/function-process.ts';
import { expectDocumented } from '../../test/support/openapi-conformance.ts';

let fn: FunctionProcess;
const MAX_BODY_BYTES = 1024 * 1024;

beforeAll(async () => {
  fn = await startFunction({ port: 18181 });
});
afterAll(async () => {
  await fn?.stop();
});

/**
 * Every answer from a path the OpenAPI document describes is checked against it: a status it
 * lists, and a body matching its schema.
 */
async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${fn.url}${path}`, init);
  const method = init.method ?? 'GET';
  const documented = (openApiDocument.paths?.[path] as Record<string, unknown> | undefined)?.[method.toLowerCase()];
  return documented ? expectDocumented(res, path, method) : res;
}

function post(body: BodyInit, contentType = 'application/json'): Promise<Response> {
  return api('/api/v1/classify', { method: 'POST', headers: { 'content-type': contentType }, body });
}

async function classify(body: unknown) {
  const res = await post(JSON.stringify(body));
  expect(res.status).toBe(200);
  return (await res.json()) as {
    model: { id: string; dtype: string; offline: boolean; sha256: string };
    threshold: number;
    results: Array<{
      scores: Record<string, number>;
      flagged: boolean;
      labels: string[];
      tokens: number;
      windows: number;
      spans?: Array<{ begin: number; end: number; scores: Record<string, number> }>;
    }>;
    took_ms: number;
  };
}

/** The offline stand-in's q8 weights, hashed here independently of the service's own hashing. */
const OFFLINE_Q8_SHA256 = createHash('sha256')
  .update(readFileSync(new URL('../../model/offline/unitary/toxic-bert/onnx/model_quantized.onnx', import.meta.url)))
  .digest('hex');

const TOXIC = 'You are a stupid worthless bitch, shut up';
const CLEAN = 'Thank you for the lovely dinner, see you next week';
const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];

describe('classify with the offline model', () => {
  it('scores a toxic text above a clean one, with all six labels as probabilities', async () => {
    const body = await classify({ texts: [TOXIC, CLEAN] });
    expect(body.model).toEqual({ id: 'unitary/toxic-bert', dtype: 'q8', offline: true, sha256: OFFLINE_Q8_SHA256 });
    const [toxic, clean] = body.results;
    for (const result of body.results) {
      expect(Object.keys(result.scores)).toEqual(LABELS);
      for (const score of Object.values(result.scores)) expect(score).toBeGreaterThanOrEqual(0), expect(score).toBeLessThanOrEqual(1);
    }
    expect(toxic!.scores.toxic).toBeGreaterThan(0.5);
    expect(clean!.scores.toxic).toBeLessThan(0.5);
    expect(toxic!.scores.toxic).toBeGreaterThan(clean!.scores.toxic! + 0.3);
    expect(toxic!.flagged).toBe(true);
    expect(toxic!.labels).toContain('toxic');
    expect(clean!.flagged).toBe(false);
    expect(body.took_ms).toBeGreaterThan(0);
  });

  it('keeps the order of a batch and gives each text the score it gets alone', async () => {
    const texts = [CLEAN, TOXIC, 'what a nice day', 'shut up you ugly hoe', CLEAN];
    const batch = await classify({ texts });
    const alone = await Promise.all(texts.map((text) => classify({ text })));
    batch.results.forEach((result, i) => {
      for (const label of LABELS) expect(result.scores[label]).toBeCloseTo(alone[i]!.results[0]!.scores[label]!, 3);
    });
    expect(batch.results[0]!.scores).toEqual(batch.results[4]!.scores);
  });

  it('applies the requested threshold', async () => {
    const strict = await classify({ text: TOXIC, threshold: 1 });
    expect(strict.threshold).toBe(1);
    expect(strict.results[0]!.flagged).toBe(false);
    const lax = await classify({ text: CLEAN, threshold: 0 });
    expect(lax.results[0]!.labels).toEqual(LABELS);
  });

  it('scores a text over 512 tokens in windows and finds toxicity at its end', async () => {
    const text = `${'We met at the library and talked about the weather. '.repeat(80)}${TOXIC}.`;
    const { results } = await classify({ text });
    expect(results[0]!.tokens).toBeGreaterThan(512);
    expect(results[0]!.windows).toBeGreaterThan(1);
    expect(results[0]!.scores.toxic).toBeGreaterThan(0.5);
  });

  it('returns sentence spans with offsets into the text when asked', async () => {
    const text = `${CLEAN}. ${TOXIC}!`;
    const { results } = await classify({ text, spans: true });
    const spans = results[0]!.spans!;
    expect(spans.map((s) => text.slice(s.begin, s.end))).toEqual([`${CLEAN}.`, `${TOXIC}!`]);
    expect(spans[1]!.scores.toxic).toBeGreaterThan(spans[0]!.scores.toxic!);
  });
});

describe('what one request may cost', () => {
  it('accepts a 20,000-character English text with sentence spans, as the page sends it', async () => {
    const text = readFileSync('/usr/share/common-licenses/GPL-3', 'utf8').replace(/\s+/g, ' ').slice(0, 20_000);
    const { results } = await classify({ text, spans: true });
    expect(results[0]!.spans!.length).toBeGreaterThan(100);
  });

  it('refuses a request over the budget with 413 over_budget naming the budget and the estimate', async () => {
    const texts = Array.from({ length: 32 }, (_, i) => `Paragraph ${i}. ${'We talked about the weather again. '.repeat(550)}`);
    const res = await post(JSON.stringify({ texts, spans: true }));
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; message: string; details: Array<{ field: string; message: string }> } };
    expect(body.error.code).toBe('over_budget');
    expect(body.error.message).toMatch(/would cost at least \d+ tokens of model work; the budget per request is 12288/);
    expect(body.error.details[0]!.field).toBe('texts');
    // The connection stays usable: the body was read.
    expect(res.headers.get('connection')).not.toBe('close');
  });

  it('shows the phases of a request in a Server-Timing header', async () => {
    const res = await post(JSON.stringify({ text: CLEAN }));
    const timing = res.headers.get('server-timing')!;
    for (const phase of ['tokenize', 'queue', 'inference', 'total']) expect(timing).toMatch(new RegExp(`(^|,)${phase};dur=[\\d.]+`));
  });
});

describe('bad input gets its status and the JSON error shape', () => {
  const cases: Array<[string, () => Promise<Response>, number, string]> = [
    ['empty text', () => post('{"text":""}'), 400, 'invalid_request'],
    ['only whitespace', () => post('{"text":"   \\n "}'), 400, 'invalid_request'],
    ['20,001 chars', () => post(JSON.stringify({ text: 'a'.repeat(20_001) })), 400, 'invalid_request'],
    ['a number instead of a string', () => post('{"text":42}'), 400, 'invalid_request'],
    ['texts with 33 items', () => post(JSON.stringify({ texts: Array(33).fill('hi') })), 400, 'invalid_request'],
    ['both text and texts', () => post('{"text":"a","texts":["b"]}'), 400, 'invalid_request'],
    ['not JSON', () => post('{"text": "unterminated'), 400, 'invalid_json'],
    ['an empty body', () => post(''), 400, 'invalid_json'],
    ['wrong content type', () => post('{"text":"hi"}', 'text/plain'), 415, 'unsupported_media_type'],
    ['no content type', () => api('/api/v1/classify', { method: 'POST', body: new Blob(['{"text":"hi"}']) }), 415, 'unsupported_media_type'],
    ['invalid UTF-8', () => post(Uint8Array.from([...Buffer.from('{"text":"'), 0xc3, 0x28, ...Buffer.from('"}')])), 400, 'invalid_utf8'],
    ['body over the limit', () => post(JSON.stringify({ text: 'a'.repeat(MAX_BODY_BYTES) })), 413, 'payload_too_large'],
    ['wrong method', () => fetch(`${fn.url}/api/v1/classify`), 405, 'method_not_allowed'],
    ['unknown path', () => fetch(`${fn.url}/api/v2/nothing`), 404, 'not_found'],
  ];

  it.each(cases)('%s', async (_, send, status, code) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { code: string; message: string; details: unknown[] } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(5);
    expect(Array.isArray(body.error.details)).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  });

  it('a body over the limit sent in chunks without Content-Length is refused too', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await api('/api/v1/classify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('the replica is still healthy after all of that', async () => {
    expect((await fetch(`${fn.url}/healthz`)).status).toBe(200);
    expect((await classify({ text: CLEAN })).results).toHaveLength(1);
  });
});

describe('model and description endpoints', () => {
  it('GET /api/v1/model says what is served: the offline model, named as the stand-in, its weights\' sha256, no revision', async () => {
    const res = await api('/api/v1/model');
    const { compatibility, ...model } = await res.json();
    expect(Object.keys(compatibility).sort()).toEqual(['openai', 'perspective']);
    expect(model).toEqual({
      id: 'unitary/toxic-bert',
      name: 'the offline stand-in for unitary/toxic-bert',
      dtype: 'q8',
      offline: true,
      sha256: OFFLINE_Q8_SHA256,
      revision: null,
      labels: LABELS,
      max_tokens: 512,
      threshold_default: 0.5,
      limits: { max_texts: 32, max_chars: 20_000, max_request_tokens: 12_288 },
    });
  });

  it('GET /api/v1/openapi.json serves the document generated from the route schemas', async () => {
    const doc = await (await api('/api/v1/openapi.json')).json();
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it('logs the offline notice and never the submitted text', async () => {
    await classify({ text: 'a very secret sentence about zebras' });
    expect(fn.output()).toContain('OFFLINE MODEL');
    expect(fn.output()).not.toContain('zebras');
  });
});
