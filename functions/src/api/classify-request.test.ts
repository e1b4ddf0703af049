import { describe, expect, it } from 'vitest';
import { isJsonContentType, parseJsonBody, validateClassifyBody } from './classify-request.ts';
import { LIMITS } from './schemas.ts';
import { ApiError } from './errors.ts';

function rejection(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('validateClassifyBody', () => {
  it('accepts a single text with defaults', () => {
    expect(validateClassifyBody({ text: 'hello' })).toEqual({ texts: ['hello'], single: true, threshold: 0.5, spans: false });
  });

  it('accepts texts, threshold and spans', () => {
    expect(validateClassifyBody({ texts: ['a', 'b'], threshold: 0.9, spans: true })).toEqual({
      texts: ['a', 'b'],
      single: false,
      threshold: 0.9,
      spans: true,
    });
  });

  it('counts characters as code points, so 20,000 emoji fit', () => {
    expect(validateClassifyBody({ text: '😀'.repeat(LIMITS.maxChars) }).texts).toHaveLength(1);
    const error = rejection(() => validateClassifyBody({ text: '😀'.repeat(LIMITS.maxChars + 1) }));
    expect(error.details[0]!.message).toContain('20001');
  });

  it.each([
    ['empty text', { text: '' }, 'text'],
    ['only whitespace', { text: ' \n\t ' }, 'text'],
    ['20,001 chars', { text: 'a'.repeat(20_001) }, 'text'],
    ['a number instead of a string', { text: 42 }, 'text'],
    ['null text', { text: null }, 'text'],
    ['33 texts', { texts: Array.from({ length: 33 }, () => 'x') }, 'texts'],
    ['no texts', { texts: [] }, 'texts'],
    ['texts not an array', { texts: 'x' }, 'texts'],
    ['a bad item among texts', { texts: ['fine', 7] }, 'texts[1]'],
    ['both text and texts', { text: 'a', texts: ['b'] }, 'text'],
    ['neither text nor texts', { threshold: 0.5 }, ''],
    ['threshold above 1', { text: 'a', threshold: 1.5 }, 'threshold'],
    ['threshold as a string', { text: 'a', threshold: '0.5' }, 'threshold'],
    ['spans not boolean', { text: 'a', spans: 'yes' }, 'spans'],
    ['an unknown field', { text: 'a', treshold: 0.2 }, 'treshold'],
  ])('rejects %s with 400 and names the field', (_, body, field) => {
    const error = rejection(() => validateClassifyBody(body));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.details.map((d) => d.field)).toContain(field);
  });

  it('reports every problem at once', () => {
    const error = rejection(() => validateClassifyBody({ texts: ['', 3], threshold: -1, spans: 1 }));
    expect(error.details.map((d) => d.field)).toEqual(['texts[0]', 'texts[1]', 'threshold', 'spans']);
  });

  it.each([[null], [[1, 2]], ['text'], [3]])('rejects a body that is not an object: %j', (body) => {
    expect(rejection(() => validateClassifyBody(body)).status).toBe(400);
  });
});

describe('parseJsonBody', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('parses UTF-8 JSON', () => {
    expect(parseJsonBody(bytes('{"text":"héllo 😀"}'))).toEqual({ text: 'héllo 😀' });
  });

  it('rejects invalid UTF-8 instead of replacing it', () => {
    const error = rejection(() => parseJsonBody(Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])));
    expect(error.code).toBe('invalid_utf8');
  });

  it('rejects bad JSON without echoing the body', () => {
    const error = rejection(() => parseJsonBody(bytes('{"text": "secret words"')));
    expect(error.code).toBe('invalid_json');
    expect(error.message).not.toContain('secret');
  });

  it('rejects an empty body and deeply nested JSON cleanly', () => {
    expect(rejection(() => parseJsonBody(bytes(''))).code).toBe('invalid_json');
    expect(rejection(() => parseJsonBody(bytes('['.repeat(200_000)))).code).toBe('invalid_json');
  });
});

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/merge-patch+json', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    [undefined, false],
  ])('%s → %s', (type, expected) => {
    expect(isJsonContentType(type)).toBe(expected);
  });
});
