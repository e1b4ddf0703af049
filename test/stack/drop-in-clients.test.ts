/**
 * The drop-in routes through nginx, called as their users call them: OpenAI's published client
 * (`openai` on npm) with its base URL changed, Perspective's npm client (`perspective-api-client`,
 * whose URL is fixed, so its own axios is pointed here), and the exact requests Coral Talk,
 * LiteLLM and LibreChat build (the shapes are read off their sources). Every score is compared
 * with what /api/v1/classify answers for the same text, through the same nginx. nginx's own
 * answers (body too large, rate limited, no replica) reach each client in its dialect's format.
 */
import { createRequire } from 'node:module';
import OpenAI from 'openai';
import Perspective from 'perspective-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForOk } from '../../tools/lib/wait.ts';
import type { Stack } from '../../tools/stack/stack.ts';
import { startTestStack } from '../../tools/stack/test-stack.ts';
import { postJson } from '../support/http.ts';

let stack: Stack;
let openai: OpenAI;
beforeAll(async () => {
  stack = await startTestStack({ monitoring: false, rateLimit: '50r/s', rateBurst: 50 });
  openai = new OpenAI({ apiKey: 'sk-not-checked', baseURL: `${stack.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await stack?.stop();
});

const TOXIC = 'You are a stupid worthless idiot. I will find you.';
const CLEAN = 'Thank you for the lovely dinner, see you next week';
type Scores = Record<string, number>;

async function nativeScores(texts: string[], spans = false): Promise<Array<{ scores: Scores; flagged: boolean; spans?: Array<{ begin: number; end: number; scores: Scores }> }>> {
  const res = await postJson(`${stack.url}/api/v1/classify`, { texts, spans });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: never }).results;
}
const close = (a: number | undefined, b: number | undefined) => expect(Math.abs(a! - b!)).toBeLessThan(1e-6);

describe('OpenAI’s client (openai on npm), base URL changed to the service’s /v1', () => {
  it('moderations.create with one string and with an array scores as /api/v1/classify does', async () => {
    const [toxic, clean] = await nativeScores([TOXIC, CLEAN]);
    const one = await openai.moderations.create({ model: 'omni-moderation-latest', input: TOXIC });
    expect(one.results).toHaveLength(1);
    expect(one.id).toMatch(/^modr-/);
    close(one.results[0]!.category_scores.harassment, toxic!.scores.insult);
    close(one.results[0]!.category_scores.violence, toxic!.scores.threat);
    expect(one.results[0]!.flagged).toBe(true);

    const both = await openai.moderations.create({ input: [TOXIC, CLEAN] });
    expect(both.results.map((r) => r.flagged)).toEqual([toxic!.flagged, clean!.flagged]);
    close(both.results[1]!.category_scores.hate, clean!.scores.identity_hate);
    close(both.results[1]!.category_scores['harassment/threatening'], clean!.scores.threat);
  });

  it('raises its own BadRequestError for an image input, with the parameter named', async () => {
    const error = await openai.moderations
      .create({ input: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'input' });
  });

  it('reads nginx’s refusal of a body over 1 MiB as an OpenAI error', async () => {
    const error = await openai.moderations.create({ input: 'a'.repeat(1_100_000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 413, type: 'invalid_request_error', code: 'payload_too_large' });
  });
});

describe('Perspective’s client (perspective-api-client on npm), its axios pointed at the service', () => {
  const calls: Array<{ url: string; key: unknown }> = [];
  beforeAll(() => {
    // The client posts to Google's fixed URL with the axios it loads itself; rewrite the origin there.
    const fromHere = createRequire(import.meta.url);
    const axios = createRequire(fromHere.resolve('perspective-api-client'))('axios');
    axios.interceptors.request.use((config: { url: string; params?: { key?: unknown } }) => {
      config.url = config.url.replace('https://commentanalyzer.googleapis.com', stack.url);
      calls.push({ url: config.url, key: config.params?.key });
      return config;
    });
  });
  const perspective = new Perspective({ apiKey: 'perspective-key' });

  it('analyze scores each attribute as /api/v1/classify scores its label, the key sent as ?key=', async () => {
    const [expected] = await nativeScores([TOXIC]);
    const result = await perspective.analyze(TOXIC, { attributes: ['toxicity', 'insult', 'threat', 'identity_attack'] });
    close(result.attributeScores.TOXICITY!.summaryScore.value, expected!.scores.toxic);
    close(result.attributeScores.INSULT!.summaryScore.value, expected!.scores.insult);
    close(result.attributeScores.THREAT!.summaryScore.value, expected!.scores.threat);
    close(result.attributeScores.IDENTITY_ATTACK!.summaryScore.value, expected!.scores.identity_hate);
    expect(calls.at(-1)).toEqual({ url: `${stack.url}/v1alpha1/comments:analyze`, key: 'perspective-key' });
  });

  it('analyze with spanAnnotations gives sentence spans scored as the native spans', async () => {
    const [expected] = await nativeScores([TOXIC], true);
    const result = await perspective.analyze({ comment: { text: TOXIC }, spanAnnotations: true }, { attributes: ['TOXICITY'] });
    const spans = result.attributeScores.TOXICITY!.spanScores as Array<{ begin: number; end: number; score: { value: number } }>;
    expect(spans.map((s) => [s.begin, s.end])).toEqual(expected!.spans!.map((s) => [s.begin, s.end]));
    spans.forEach((span, i) => close(span.score.value, expected!.spans![i]!.scores.toxic));
  });

  it('rejects with Perspective’s own message for an attribute toxic-bert does not have', async () => {
    const error = await perspective.analyze(CLEAN, { attributes: ['FLIRTATION'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Perspective.ResponseError);
    expect((error as Error).message).toBe('Attribute FLIRTATION does not support request languages: en');
  });
});

/** Coral Talk joins its configured endpoint and the operation with path.join, and sets ?key=. */
function coralUrl(endpoint: string, operation: string, key: string): string {
  const url = new URL(endpoint.trim());
  url.pathname = `${url.pathname.replace(/\/$/, '')}/${operation}`;
  url.searchParams.set('key', key.trim());
  return url.toString();
}

describe('the requests Coral Talk, LiteLLM and LibreChat send', () => {
  it('Coral Talk’s comments:analyze (its exact body), read as it reads it', async () => {
    const [expected] = await nativeScores([TOXIC]);
    const body = { comment: { text: TOXIC }, doNotStore: true, requestedAttributes: { TOXICITY: {} }, languages: ['en'] };
    const res = await postJson(coralUrl(`${stack.url}/v1alpha1`, 'comments:analyze', 'coral-key'), body, { 'user-agent': 'Coral Perspective/9.0.0' });
    expect(res.status).toBe(200);
    const data = (await res.json()) as { attributeScores: Record<string, { summaryScore: { value: number } }> };
    close(data.attributeScores.TOXICITY!.summaryScore.value, expected!.scores.toxic);
  });

  it('Coral Talk’s comments:suggestscore feedback is accepted and its clientToken echoed', async () => {
    const body = {
      comment: { text: TOXIC },
      context: { entries: [{ text: JSON.stringify({ url: 'https://news.example/story?commentID=c1', reply_to_id_Coral_comment_id: null, Coral_comment_id: 'c1' }) }] },
      attributeScores: { TOXICITY: { summaryScore: { value: 1 } } },
      languages: ['en'],
      communityId: 'Coral:https://news.example',
      clientToken: 'comment:c1',
    };
    const res = await postJson(coralUrl(`${stack.url}/v1alpha1/`, 'comments:suggestscore', 'coral-key'), body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ clientToken: 'comment:c1' });
  });

  it('LiteLLM’s guardrail request ({model, input} to api_base/moderations) gets the fields it parses', async () => {
    const [expected] = await nativeScores([TOXIC]);
    const res = await postJson(`${stack.url}/v1/moderations`, { model: 'omni-moderation-latest', input: TOXIC }, { authorization: 'Bearer sk-litellm' });
    expect(res.status).toBe(200);
    const data = (await res.json()) as { id: unknown; model: unknown; results: Array<{ flagged: boolean; categories: object; category_scores: Scores; category_applied_input_types: object }> };
    expect(typeof data.id).toBe('string');
    expect(typeof data.model).toBe('string');
    expect(data.results[0]!.flagged).toBe(expected!.flagged);
    close(data.results[0]!.category_scores.harassment, expected!.scores.insult);
  });

  it('LibreChat’s moderation request ({input} only, to OPENAI_MODERATION_REVERSE_PROXY) flags what the service flags', async () => {
    for (const text of [TOXIC, CLEAN]) {
      const [expected] = await nativeScores([text]);
      const res = await postJson(`${stack.url}/v1/moderations`, { input: text }, { authorization: 'Bearer sk-librechat' });
      expect(res.status).toBe(200);
      const { results } = (await res.json()) as { results: Array<{ flagged: boolean }> };
      expect(results.some((r) => r.flagged)).toBe(expected!.flagged);
    }
  });
});

describe('nginx’s own answers in each dialect’s format', () => {
  it('a burst over the rate limit is answered 429 with Retry-After in Google’s and OpenAI’s formats', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const burst = await Promise.all(
      Array.from({ length: 150 }, async (_, i) => {
        const perspective = i % 2 === 0;
        const res = perspective
          ? await postJson(`${stack.url}/v1alpha1/comments:analyze?key=k`, { comment: { text: CLEAN }, requestedAttributes: { TOXICITY: {} } })
          : await postJson(`${stack.url}/v1/moderations`, { input: CLEAN });
        return { perspective, status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error: Record<string, unknown> } };
      }),
    );
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.some((r) => r.perspective) && limited.some((r) => !r.perspective)).toBe(true);
    for (const r of limited) {
      expect(r.retryAfter).toBe('1');
      expect(r.body.error).toMatchObject(r.perspective ? { code: 429, status: 'RESOURCE_EXHAUSTED' } : { type: 'requests', code: 'rate_limit_exceeded' });
    }
  });

  it('with every replica down, 503 in Google’s and OpenAI’s formats', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await Promise.all(stack.replicas.map((r) => r.process.stop()));
    try {
      const google = await postJson(`${stack.url}/v1alpha1/comments:analyze?key=k`, { comment: { text: CLEAN }, requestedAttributes: { TOXICITY: {} } });
      expect(google.status).toBe(503);
      expect(((await google.json()) as { error: object }).error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
      const error = await openai.moderations.create({ input: CLEAN }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error).toMatchObject({ status: 503, type: 'server_error', code: 'unavailable' });
    } finally {
      stack.replicas.forEach((r) => r.process.start());
      await Promise.all(stack.replicas.map((r) => waitForOk(`${r.url}/readyz`, 60_000)));
    }
  });
});
