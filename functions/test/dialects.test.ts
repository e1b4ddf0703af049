/**
 * Perspective's and OpenAI's dialects on a real replica with the offline model: the same
 * numbers as /api/v1/classify for the same text, their formats, and every error path answered
 * in its dialect's format. Every answer is checked against the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAI_CATEGORIES } from '../src/api/openai/categories.ts';
import { openApiDocument } from '../src/api/openapi.ts';
import { COMMON_WORDS } from '../../tools/lib/heavy-requests.ts';
import { startFunction, type FunctionProcess } from '../../tools/stack/function-process.ts';
import { expectDocumented } from '../../test/support/openapi-conformance.ts';

let fn: FunctionProcess;

beforeAll(async () => {
  fn = await startFunction({ port: 18191 });
});
afterAll(async () => {
  await fn?.stop();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${fn.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const route = path.split('?')[0]!;
  return route in openApiDocument.paths! ? expectDocumented(res, route, 'POST') : res;
}

const json = async <T>(res: Response) => (await res.json()) as T;
type Scores = Record<string, number>;
interface Native {
  results: Array<{ scores: Scores; flagged: boolean; spans?: Array<{ begin: number; end: number; scores: Scores }> }>;
}
async function native(texts: string[], spans = false): Promise<Native['results']> {
  const res = await post('/api/v1/classify', { texts, spans });
  expect(res.status).toBe(200);
  return (await json<Native>(res)).results;
}

/** Up to `bytes` of two-word sentences, none the same: within Perspective's 20 KB, but scoring each costs far more than the budget. */
function shortSentences(bytes: number): string {
  const sentences: string[] = [];
  for (const a of COMMON_WORDS) for (const b of COMMON_WORDS) sentences.push(`${a[0]!.toUpperCase()}${a.slice(1)} ${b}.`);
  let text = '';
  for (const sentence of sentences) {
    if (text.length + sentence.length + 1 > bytes) break;
    text += `${sentence} `;
  }
  return text.trim();
}

const TOXIC = 'You are a stupid worthless idiot. See you tomorrow at the library.';
const CLEAN = 'Thank you for the lovely dinner, see you next week';
const ATTRIBUTES: Record<string, string> = {
  TOXICITY: 'toxic',
  SEVERE_TOXICITY: 'severe_toxic',
  PROFANITY: 'obscene',
  THREAT: 'threat',
  INSULT: 'insult',
  IDENTITY_ATTACK: 'identity_hate',
};

interface Analyze {
  attributeScores?: Record<string, { summaryScore: { value: number; type: string }; spanScores?: Array<{ begin: number; end: number; score: { value: number } }> }>;
  languages: string[];
  clientToken?: string;
}
interface GoogleError {
  error: { code: number; message: string; status: string; details: Array<Record<string, unknown>> };
}

describe('Perspective comments:analyze', () => {
  it('scores every served attribute as /api/v1/classify scores its label, spans by sentence in UTF-16 offsets', async () => {
    const requestedAttributes = Object.fromEntries(Object.keys(ATTRIBUTES).map((a) => [a, {}]));
    const res = await post('/v1alpha1/comments:analyze?key=any-key', { comment: { text: TOXIC }, requestedAttributes, spanAnnotations: true, clientToken: 'c-1' });
    expect(res.status).toBe(200);
    const body = await json<Analyze>(res);
    const [expected] = await native([TOXIC], true);
    for (const [attribute, label] of Object.entries(ATTRIBUTES)) {
      const score = body.attributeScores![attribute]!;
      expect(score.summaryScore.type).toBe('PROBABILITY');
      expect(Math.abs(score.summaryScore.value - expected!.scores[label]!)).toBeLessThan(1e-6);
      expect(score.spanScores!.map((s) => [s.begin, s.end])).toEqual(expected!.spans!.map((s) => [s.begin, s.end]));
      score.spanScores!.forEach((s, i) => expect(Math.abs(s.score.value - expected!.spans![i]!.scores[label]!)).toBeLessThan(1e-6));
    }
    expect(TOXIC.slice(body.attributeScores!.TOXICITY!.spanScores![0]!.begin, body.attributeScores!.TOXICITY!.spanScores![0]!.end)).toBe('You are a stupid worthless idiot.');
    expect(body.languages).toEqual(['en']);
    expect(body.clientToken).toBe('c-1');
  });

  it('serves the _EXPERIMENTAL spellings, leaves spans out unless asked, and drops attributes under their scoreThreshold', async () => {
    const [expected] = await native([CLEAN]);
    const res = await post('/v1alpha1/comments:analyze', {
      comment: { text: CLEAN, type: 'PLAIN_TEXT' },
      requestedAttributes: { INSULT_EXPERIMENTAL: {}, TOXICITY: { scoreThreshold: 0.99, scoreType: 'PROBABILITY' } },
      languages: ['en-US'],
      doNotStore: true,
    });
    const body = await json<Analyze>(res);
    expect(Object.keys(body.attributeScores!)).toEqual(['INSULT_EXPERIMENTAL']);
    expect(Math.abs(body.attributeScores!.INSULT_EXPERIMENTAL!.summaryScore.value - expected!.scores.insult!)).toBeLessThan(1e-6);
    expect(body.attributeScores!.INSULT_EXPERIMENTAL!.spanScores).toBeUndefined();
    expect(body.languages).toEqual(['en-US']);
  });

  it('leaves attributeScores out when every attribute is under its threshold, as Perspective does', async () => {
    const body = await json<Analyze>(await post('/v1alpha1/comments:analyze', { comment: { text: CLEAN }, requestedAttributes: { TOXICITY: { scoreThreshold: 1 } } }));
    expect(body).toEqual({ languages: ['en'] });
  });

  it('drops unsupported attributes and languages when asked to', async () => {
    const res = await post('/v1alpha1/comments:analyze', {
      comment: { text: TOXIC },
      requestedAttributes: { TOXICITY: {}, FLIRTATION: {} },
      dropUnsupportedAttributes: true,
    });
    expect(Object.keys((await json<Analyze>(res)).attributeScores!)).toEqual(['TOXICITY']);
    const french = await post('/v1alpha1/comments:analyze', { comment: { text: TOXIC }, requestedAttributes: { TOXICITY: {} }, languages: ['fr'], dropUnsupportedAttributes: true });
    expect(await json<Analyze>(french)).toEqual({ languages: ['fr'] });
  });

  const cases: Array<[string, string | Record<string, unknown>, number, string, string | undefined, RegExp]> = [
    ['bad JSON', '{"comment": {', 400, 'INVALID_ARGUMENT', undefined, /^Invalid JSON payload received\./],
    ['an empty body (what perspective-api-client sends for "")', '', 400, 'INVALID_ARGUMENT', undefined, /^Invalid JSON payload received\./],
    ['an unknown field', { comment: { text: 'hi', colour: 'red' }, requestedAttributes: { TOXICITY: {} } }, 400, 'INVALID_ARGUMENT', undefined, /^Invalid JSON payload received\. Unknown name "colour" at 'comment': Cannot find field\.$/],
    ['a wrong type', { comment: { text: 5 }, requestedAttributes: { TOXICITY: {} } }, 400, 'INVALID_ARGUMENT', undefined, /^Invalid JSON payload received\. Invalid value at 'comment\.text'/],
    ['no comment', { requestedAttributes: { TOXICITY: {} } }, 400, 'INVALID_ARGUMENT', 'COMMENT_EMPTY', /^Comment must be non-empty\.$/],
    ['an empty comment', { comment: { text: '  ' }, requestedAttributes: { TOXICITY: {} } }, 400, 'INVALID_ARGUMENT', 'COMMENT_EMPTY', /^Comment must be non-empty\.$/],
    ['a comment over 20 KB', { comment: { text: 'é'.repeat(10_241) }, requestedAttributes: { TOXICITY: {} } }, 400, 'INVALID_ARGUMENT', 'COMMENT_TOO_LONG', /^Comment text too long\.$/],
    ['HTML', { comment: { text: '<b>hi</b>', type: 'HTML' }, requestedAttributes: { TOXICITY: {} } }, 400, 'INVALID_ARGUMENT', 'INVALID_REQUEST', /only 'PLAIN_TEXT' comments are supported/],
    ['no attributes', { comment: { text: 'hi' }, requestedAttributes: {} }, 400, 'INVALID_ARGUMENT', 'NO_REQUESTED_ATTRIBUTES', /^Missing requested_attributes$/],
    ['an unknown attribute', { comment: { text: 'hi' }, requestedAttributes: { NICENESS: {} } }, 400, 'INVALID_ARGUMENT', 'INVALID_REQUEST', /^Unknown requested attribute: NICENESS$/],
    ['an attribute not served', { comment: { text: 'hi' }, requestedAttributes: { SEXUALLY_EXPLICIT: {} } }, 400, 'INVALID_ARGUMENT', 'LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE', /^Attribute SEXUALLY_EXPLICIT does not support request languages: en$/],
    ['another language', { comment: { text: 'salut' }, requestedAttributes: { TOXICITY: {} }, languages: ['fr'] }, 400, 'INVALID_ARGUMENT', 'LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE', /^Attribute TOXICITY does not support request languages: fr$/],
    ['a score type not served', { comment: { text: 'hi' }, requestedAttributes: { TOXICITY: { scoreType: 'PERCENTILE' } } }, 400, 'INVALID_ARGUMENT', 'INVALID_REQUEST', /^Requested score type PERCENTILE is not supported by attribute TOXICITY$/],
    [
      'a comment costing more than the budget',
      { comment: { text: shortSentences(20_000) }, requestedAttributes: { TOXICITY: {} }, spanAnnotations: true },
      400,
      'INVALID_ARGUMENT',
      'COMMENT_TOO_LONG',
      /^Comment text too long\. the request would cost/,
    ],
  ];

  it.each(cases)('answers %s with Google’s error format', async (_, body, status, canonical, errorType, message) => {
    const res = await post('/v1alpha1/comments:analyze?key=k', body);
    expect(res.status).toBe(status);
    const { error } = await json<GoogleError>(res);
    expect(error.code).toBe(status);
    expect(error.status).toBe(canonical);
    expect(error.message).toMatch(message);
    if (errorType) expect(error.details[0]).toMatchObject({ '@type': 'type.googleapis.com/google.commentanalyzer.v1alpha1.Error', errorType });
  });

  it('names the attribute and its languages in LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE, as its clients read them', async () => {
    const { error } = await json<GoogleError>(await post('/v1alpha1/comments:analyze', { comment: { text: 'hi' }, requestedAttributes: { FLIRTATION: {} } }));
    expect(error.details[0]!.languageNotSupportedByAttributeError).toEqual({ detectedLanguages: [], attribute: 'FLIRTATION' });
  });

  it('answers a wrong method in Google’s format', async () => {
    const res = await fetch(`${fn.url}/v1alpha1/comments:analyze?key=k`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await json<GoogleError>(res)).error).toMatchObject({ code: 405, status: 'UNIMPLEMENTED' });
  });
});

describe('Perspective comments:suggestscore', () => {
  it('validates the feedback and echoes clientToken, storing nothing', async () => {
    const res = await post('/v1alpha1/comments:suggestscore?key=k', {
      comment: { text: 'you are awful' },
      context: { entries: [{ text: '{"url":"https://example.com/story#c1"}' }] },
      attributeScores: { TOXICITY: { summaryScore: { value: 1 } } },
      languages: ['en'],
      communityId: 'Coral:https://example.com',
      clientToken: 'comment:c1',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ clientToken: 'comment:c1', requestedLanguages: ['en'] });
  });

  it.each([
    ['no attribute scores', { comment: { text: 'hi' }, attributeScores: {} }, /attribute_scores must not be empty/],
    ['an empty attribute score', { comment: { text: 'hi' }, attributeScores: { TOXICITY: {} } }, /Attribute scores for TOXICITY must not be empty/],
    ['a span without begin', { comment: { text: 'hi' }, attributeScores: { TOXICITY: { spanScores: [{ end: 2, score: { value: 1 } }] } } }, /must have begin and end set/],
    ['an empty comment', { comment: { text: '' }, attributeScores: { TOXICITY: { summaryScore: { value: 1 } } } }, /^Comment must be non-empty\.$/],
  ])('refuses %s with INVALID_ARGUMENT', async (_, body, message) => {
    const res = await post('/v1alpha1/comments:suggestscore', body);
    expect(res.status).toBe(400);
    const { error } = await json<GoogleError>(res);
    expect(error.status).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });
});

interface Moderation {
  id: string;
  model: string;
  results: Array<{ flagged: boolean; categories: Record<string, boolean>; category_scores: Record<string, number>; category_applied_input_types: Record<string, string[]> }>;
}
interface OpenAiError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

describe('OpenAI moderations', () => {
  it('answers one result per input, in order, every category key present, scored as /api/v1/classify scores', async () => {
    const res = await post('/v1/moderations', { input: [TOXIC, CLEAN], model: 'omni-moderation-latest' }, { authorization: 'Bearer sk-anything' });
    expect(res.status).toBe(200);
    const body = await json<Moderation>(res);
    expect(body.id).toMatch(/^modr-[0-9a-f]{24}$/);
    expect(body.model).toBe('unitary/toxic-bert');
    const expected = await native([TOXIC, CLEAN]);
    body.results.forEach((result, i) => {
      for (const map of [result.categories, result.category_scores, result.category_applied_input_types]) expect(Object.keys(map)).toEqual([...OPENAI_CATEGORIES]);
      const scores = expected[i]!.scores;
      expect(Math.abs(result.category_scores.harassment! - scores.insult!)).toBeLessThan(1e-6);
      expect(Math.abs(result.category_scores['harassment/threatening']! - scores.threat!)).toBeLessThan(1e-6);
      expect(Math.abs(result.category_scores.hate! - scores.identity_hate!)).toBeLessThan(1e-6);
      expect(Math.abs(result.category_scores['hate/threatening']! - Math.min(scores.identity_hate!, scores.threat!))).toBeLessThan(1e-6);
      expect(Math.abs(result.category_scores.violence! - scores.threat!)).toBeLessThan(1e-6);
      expect(result.category_scores.sexual).toBe(0);
      expect(result.categories['self-harm']).toBe(false);
      expect(result.category_applied_input_types['self-harm']).toEqual([]);
      expect(result.flagged).toBe(expected[i]!.flagged);
    });
    expect(body.results[0]!.flagged).toBe(true);
  });

  it('takes a single string, and answers an empty one with zeros without scoring it', async () => {
    const one = await json<Moderation>(await post('/v1/moderations', { input: TOXIC }));
    expect(one.results).toHaveLength(1);
    const empty = await json<Moderation>(await post('/v1/moderations', { input: '' }));
    expect(empty.results[0]!.flagged).toBe(false);
    expect(Object.values(empty.results[0]!.category_scores).every((v) => v === 0)).toBe(true);
  });

  it.each([
    ['bad JSON', '{"input": ', 'invalid_json', null],
    ['multi-modal input', { input: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }, 'invalid_request', 'input'],
    ['an unknown argument', { input: 'hi', temperature: 1 }, 'invalid_request', 'temperature'],
    ['33 inputs', { input: Array(33).fill('hi') }, 'invalid_request', 'input'],
    ['no input', { model: 'omni-moderation-latest' }, 'invalid_request', 'input'],
    ['an input of 20,001 characters', { input: 'a'.repeat(20_001) }, 'invalid_request', 'input'],
  ])('answers %s with 400 in OpenAI’s error format', async (_, body, code, param) => {
    const res = await post('/v1/moderations', body);
    expect(res.status).toBe(400);
    const { error } = await json<OpenAiError>(res);
    expect(error.type).toBe('invalid_request_error');
    expect(error.code).toBe(code);
    expect(error.param).toBe(param);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('answers an input over the budget with 413 in OpenAI’s format', async () => {
    const input = Array.from({ length: 32 }, (_, i) => `Paragraph ${i}. ${'We talked about the weather again. '.repeat(500)}`);
    const res = await post('/v1/moderations', { input });
    expect(res.status).toBe(413);
    expect((await json<OpenAiError>(res)).error).toMatchObject({ type: 'invalid_request_error', code: 'over_budget', param: 'input' });
  });
});
