/**
 * @module classify-request
 * Reads and validates the body of `POST /api/v1/classify`: content type, strict UTF-8, JSON,
 * then the fields. Every problem becomes an ApiError with a message a person can act on and,
 * for field errors, one detail per problem.
 */
import { ApiError, type ErrorDetail } from './errors.ts';

export const LIMITS = {
  maxTexts: 32,
  maxChars: 20_000,
  defaultThreshold: 0.5,
} as const;

export interface ClassifyRequest {
  texts: string[];
  /** True when the caller sent `text` (a single string) rather than `texts`. */
  single: boolean;
  threshold: number;
  spans: boolean;
}

const KNOWN_FIELDS = new Set(['text', 'texts', 'threshold', 'spans']);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

/** Counts characters as a person would: code points, so an emoji is one, not two. */
function countChars(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Why `value` cannot be classified, as the end of a sentence about it, or undefined when it can.
 * Clients that check texts before sending them (the dataset scorer) use the same rules.
 * @example
 * textProblem('  ') // → 'must contain at least one non-whitespace character'
 */
export function textProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${value === null ? 'null' : typeof value}`;
  if (value.trim().length === 0) return 'must contain at least one non-whitespace character';
  if (value.length > LIMITS.maxChars && countChars(value) > LIMITS.maxChars) {
    return `must be at most ${LIMITS.maxChars} characters, got ${countChars(value)}`;
  }
  return undefined;
}

function checkText(value: unknown, field: string, details: ErrorDetail[]): value is string {
  const problem = textProblem(value);
  if (problem) details.push({ field, message: problem });
  return problem === undefined;
}

/** Validates a parsed JSON value; throws ApiError 400 listing every problem found. */
export function validateClassifyBody(body: unknown): ClassifyRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_request', 'the body must be a JSON object such as {"text": "..."}');
  }
  const fields = body as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  for (const key of Object.keys(fields)) {
    if (!KNOWN_FIELDS.has(key)) details.push({ field: key, message: 'is not a known field' });
  }

  let texts: string[] = [];
  const hasText = 'text' in fields;
  const hasTexts = 'texts' in fields;
  if (hasText === hasTexts) {
    details.push({ field: hasText ? 'text' : '', message: 'give exactly one of "text" (a string) or "texts" (an array of strings)' });
  } else if (hasText) {
    if (checkText(fields.text, 'text', details)) texts = [fields.text as string];
  } else if (!Array.isArray(fields.texts)) {
    details.push({ field: 'texts', message: 'must be an array of strings' });
  } else if (fields.texts.length < 1 || fields.texts.length > LIMITS.maxTexts) {
    details.push({ field: 'texts', message: `must hold 1 to ${LIMITS.maxTexts} texts, got ${fields.texts.length}` });
  } else {
    texts = fields.texts.filter((t, i) => checkText(t, `texts[${i}]`, details)) as string[];
  }

  const threshold = fields.threshold ?? LIMITS.defaultThreshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    details.push({ field: 'threshold', message: 'must be a number from 0 to 1' });
  }
  const spans = fields.spans ?? false;
  if (typeof spans !== 'boolean') details.push({ field: 'spans', message: 'must be true or false' });

  if (details.length > 0) {
    throw new ApiError(400, 'invalid_request', 'the request has invalid fields', details);
  }
  return { texts, single: hasText, threshold: threshold as number, spans: spans as boolean };
}

/** Decodes and parses the raw body; throws ApiError 400 for bad UTF-8 or bad JSON. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid_utf8', 'the body is not valid UTF-8');
  }
  if (text.trim().length === 0) throw new ApiError(400, 'invalid_json', 'the body is empty; send a JSON object');
  try {
    return JSON.parse(text);
  } catch {
    // V8's message quotes part of the body; the submitted text is never echoed or logged.
    throw new ApiError(400, 'invalid_json', 'the body is not valid JSON');
  }
}
