/**
 * @module classify-request
 * Reads and validates the body of `POST /api/v1/classify`: content type, strict UTF-8, JSON,
 * then the fields. Every problem becomes an ApiError with a message a person can act on and,
 * for field errors, one detail per problem.
 */
import { ApiError } from './errors.ts';
import { ClassifyRequestSchema, TextSchema } from './schemas.ts';
import { issueDetails, validated, type Issue } from './validate.ts';

export interface ClassifyRequest {
  texts: string[];
  /** True when the caller sent `text` (a single string) rather than `texts`. */
  single: boolean;
  threshold: number;
  spans: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

/**
 * Why `value` cannot be classified, as the end of a sentence about it, or undefined when it can.
 * Clients that check texts before sending them (the dataset scorer) use the same rule, TextSchema.
 * @example
 * textProblem('  ') // → 'must contain at least one non-whitespace character'
 */
export function textProblem(value: unknown): string | undefined {
  return TextSchema.safeParse(value).error?.issues[0]?.message;
}

/** Validates a parsed JSON value against ClassifyRequestSchema; throws ApiError 400 listing every problem found. */
export function validateClassifyBody(body: unknown): ClassifyRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_request', 'the body must be a JSON object such as {"text": "..."}');
  }
  const details = (issues: readonly Issue[]) => issueDetails(issues, () => 'is not a known field');
  const { text, texts, threshold, spans } = validated(ClassifyRequestSchema, body, details, 'the request has invalid fields');
  return { texts: text === undefined ? texts! : [text], single: text !== undefined, threshold, spans };
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
