/**
 * @module verdict
 * Whether an answer is right for its case. The rules, for every answer: no 5xx except a 503
 * with Retry-After and a JSON body while the service sheds load; every error is JSON in the
 * API's shape, with a status the case allows; a 200 to a valid classify request has the
 * classify shape, one result per text. 429 (rate limited) is right for any request, and 413
 * over_budget for a valid one that would cost more model work than one request may.
 */
import { LABELS } from '../../../functions/src/model/labels.ts';
import type { Expectation, FuzzCase } from './case.ts';
import type { Answer } from './send.ts';

/** The only 503 a healthy stack gives: a replica shedding load. */
const SHEDDING_CODES = new Set(['overloaded']);

interface ErrorShape {
  error: { code: string; message: string; details: unknown[] };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function errorShapeProblems(answer: Answer): string[] {
  const problems: string[] = [];
  if (!answer.headers['content-type']?.startsWith('application/json')) problems.push(`content-type ${answer.headers['content-type'] ?? '(none)'}, not JSON`);
  const body = parseJson(answer.body);
  const error = isObject(body) ? body.error : undefined;
  if (!isObject(body) || Object.keys(body).join() !== 'error' || !isObject(error)) {
    return [...problems, `body is not the error shape: ${JSON.stringify(answer.body.subarray(0, 120).toString('utf8'))}`];
  }
  if (typeof error.code !== 'string' || typeof error.message !== 'string' || !Array.isArray(error.details)) {
    problems.push(`error fields wrong: ${JSON.stringify(error).slice(0, 160)}`);
  }
  if (/\n\s+at |node_modules|\.ts:\d+/.test(answer.body.toString('utf8'))) problems.push('body carries a stack trace or source path');
  return problems;
}

const errorCode = (answer: Answer): string | undefined => (parseJson(answer.body) as ErrorShape | undefined)?.error?.code;

function classifyProblems(answer: Answer, texts: number, spans: boolean): string[] {
  const body = parseJson(answer.body);
  if (!isObject(body)) return ['200 body is not a JSON object'];
  const problems: string[] = [];
  const model = body.model;
  if (!isObject(model) || typeof model.id !== 'string' || typeof model.dtype !== 'string') problems.push('model missing or malformed');
  if (typeof body.threshold !== 'number' || body.threshold < 0 || body.threshold > 1) problems.push('threshold missing or out of range');
  if (typeof body.took_ms !== 'number') problems.push('took_ms missing');
  if (!Array.isArray(body.results) || body.results.length !== texts) return [...problems, `expected ${texts} results, got ${Array.isArray(body.results) ? body.results.length : 'none'}`];
  body.results.forEach((result: unknown, i) => {
    if (!isObject(result) || !isObject(result.scores)) return problems.push(`results[${i}] has no scores`);
    const scores = result.scores;
    const labels = Object.keys(scores);
    if (labels.length !== LABELS.length || !LABELS.every((l) => labels.includes(l))) problems.push(`results[${i}] labels ${labels.join(',')}`);
    if (!labels.every((l) => typeof scores[l] === 'number' && scores[l] >= 0 && scores[l] <= 1)) problems.push(`results[${i}] has a score outside [0, 1]`);
    if (typeof result.flagged !== 'boolean' || !Array.isArray(result.labels)) problems.push(`results[${i}] flagged/labels malformed`);
    else if (result.flagged !== result.labels.length > 0) problems.push(`results[${i}] flagged disagrees with labels`);
    if (!Number.isInteger(result.tokens) || !Number.isInteger(result.windows) || (result.windows as number) < 1) {
      problems.push(`results[${i}] tokens/windows malformed`);
    }
    if (spans && !Array.isArray(result.spans)) problems.push(`results[${i}] spans missing though asked for`);
    if (!spans && result.spans !== undefined) problems.push(`results[${i}] spans present though not asked for`);
    return undefined;
  });
  return problems;
}

function okProblems(c: FuzzCase, answer: Answer, expect: Expectation): string[] {
  const head = c.request.transport === 'http' && c.request.method === 'HEAD';
  if (head) return [];
  if (expect.answer === 'classify') return classifyProblems(answer, expect.texts, expect.spans);
  if (expect.answer === 'any' && expect.texts !== undefined) return classifyProblems(answer, expect.texts, expect.spans ?? false);
  if (expect.answer === 'error') return [`accepted with 200 where ${expect.statuses.join('/')} was due`];
  return isObject(parseJson(answer.body)) ? [] : ['200 body is not a JSON object'];
}

/** What is wrong with `answer` as an answer to `c`; empty when it is right. */
export function judge(c: FuzzCase, answer: Answer): string[] {
  const expect = c.expect;
  if (answer.status === 0) {
    if (expect.answer !== 'none') return [`no answer (${answer.failure})`];
    return answer.failure === 'timeout' ? ['a stalled request was still open when the client gave up: nginx should have dropped it'] : [];
  }
  const head = c.request.transport === 'http' && c.request.method === 'HEAD';
  if (answer.status === 200) return okProblems(c, answer, expect);
  if (answer.status < 400) return [`unexpected status ${answer.status}`];

  // From here on, an error: always the JSON shape (a HEAD answer has no body to check).
  const shape = head ? (answer.headers['content-type']?.startsWith('application/json') ? [] : ['HEAD error is not JSON']) : errorShapeProblems(answer);
  if (answer.status >= 500) {
    if (answer.status !== 503) return [`${answer.status}: a server error`, ...shape];
    const problems = [...shape];
    if (!answer.headers['retry-after']) problems.push('503 without Retry-After');
    const code = errorCode(answer);
    if (!head && !SHEDDING_CODES.has(code ?? '')) problems.push(`503 ${code}: not load shedding`);
    return problems;
  }
  if (answer.status === 429) {
    const problems = [...shape];
    if (!answer.headers['retry-after']) problems.push('429 without Retry-After');
    if (!head && errorCode(answer) !== 'rate_limited') problems.push(`429 with code ${errorCode(answer)}`);
    return problems;
  }
  if (answer.status === 413 && errorCode(answer) === 'over_budget' && (expect.answer === 'classify' || expect.answer === 'any')) return shape;
  if (expect.answer === 'classify' || expect.answer === 'json') return [`refused a valid request: ${answer.status} ${errorCode(answer) ?? ''}`.trim(), ...shape];
  if (expect.answer === 'error' && !expect.statuses.includes(answer.status)) {
    return [`status ${answer.status} (${errorCode(answer)}), expected ${expect.statuses.join('/')}`, ...shape];
  }
  return shape;
}
