/**
 * @module classify-request
 * Reads and validates the body of `POST /api/v1/classify`: content type, strict UTF-8, JSON,
 * then the fields. Every problem becomes an ApiError with a message a person can act on and,
 * for field errors, one detail per problem.
 */
import type { z } from '@hono/zod-openapi';
import { ApiError, type ErrorDetail } from './errors.ts';
import { ClassifyRequestSchema } from './schemas.ts';

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

/** `texts[3]` for the path ['texts', 3]. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`)).join('');
}

/** One detail per problem, as a person reads them: every unknown field named on its own. */
function detailsOf(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: key, message: 'is not a known field' }))
      : [{ field: fieldOf(issue.path), message: issue.message }],
  );
}

/** Validates a parsed JSON value against ClassifyRequestSchema; throws ApiError 400 listing every problem found. */
export function validateClassifyBody(body: unknown): ClassifyRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_request', 'the body must be a JSON object such as {"text": "..."}');
  }
  const parsed = ClassifyRequestSchema.safeParse(body);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', 'the request has invalid fields', detailsOf(parsed.error.issues));
  const { text, texts, threshold, spans } = parsed.data;
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
