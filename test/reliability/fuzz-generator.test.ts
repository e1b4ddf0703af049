/**
 * The fuzz generator: deterministic per (seed, case), every kind present in a run, bodies
 * bounded, and its expectations agree with the function's own request parser (so a fuzz
 * failure is the service's fault, not the generator's).
 */
import { describe, expect, it } from 'vitest';
import { parseJsonBody, validateClassifyBody } from '../../functions/src/api/classify-request.ts';
import { ApiError } from '../../functions/src/api/errors.ts';
import { CASE_KINDS, type FuzzCase } from '../../tools/reliability/fuzz/case.ts';
import { generateCase, generateCases } from '../../tools/reliability/fuzz/generate.ts';

const bytesOf = (c: FuzzCase): Buffer =>
  Buffer.concat(c.request.transport === 'http' ? [Buffer.from(c.request.method), Buffer.from(c.request.path), Buffer.from(c.request.body ?? [])] : c.request.chunks);

/** What the function's parser and validator make of a body: 'ok' or the error code. */
function parse(body: Uint8Array): string {
  try {
    validateClassifyBody(parseJsonBody(body));
    return 'ok';
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
}

describe('the fuzz generator', () => {
  const cases = [...generateCases(7, 3000)];

  it('makes the same case from the same seed and number, and another from another seed', () => {
    for (const id of [0, 1, 17, 2999]) {
      expect(bytesOf(generateCase(7, id)).equals(bytesOf(cases[id]!))).toBe(true);
      expect(generateCase(7, id)).toEqual(cases[id]);
    }
    const other = [...generateCases(8, 50)];
    expect(other.filter((c, i) => bytesOf(c).equals(bytesOf(cases[i]!))).length).toBeLessThan(5);
  });

  it('covers every kind, keeps bodies bounded, and marks only trickled or stalled cases slow', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(CASE_KINDS));
    for (const c of cases) {
      expect(bytesOf(c).length, `${c.kind}/${c.variant}`).toBeLessThanOrEqual(4 * 1024 * 1024 + 4096);
      expect(c.slow).toBe(c.kind === 'slow-body' || c.kind === 'aborted-body');
    }
  });

  it("expects what the function's parser does with each body", () => {
    for (const c of cases.filter((x) => x.request.transport === 'http' && x.request.path === '/api/v1/classify' && x.request.method === 'POST')) {
      const request = c.request as Extract<FuzzCase['request'], { transport: 'http' }>;
      const body = request.body ?? new Uint8Array();
      if (body.length > 1024 * 1024 || !/json/i.test(request.headers['content-type'] ?? '')) continue;
      const outcome = parse(body);
      const what = `#${c.id} ${c.kind}/${c.variant}`;
      if (c.kind === 'valid' || c.kind === 'unicode') expect(outcome, what).toBe('ok');
      if (c.kind === 'invalid-utf8') expect(outcome, what).toBe('invalid_utf8');
      if (['wrong-types', 'deep-nesting', 'truncated-json', 'random-bytes'].includes(c.kind)) expect(outcome, what).not.toBe('ok');
      if (c.expect.answer === 'classify') expect(outcome, what).toBe('ok');
    }
  });
});
