/**
 * @module errors
 * Errors in Google's format, as Perspective gives them:
 * `{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT", "details": [...]}}`.
 * Perspective's own kinds carry a `google.commentanalyzer.v1alpha1.Error` detail with their
 * errorType (COMMENT_EMPTY, COMMENT_TOO_LONG, ...); field problems a `google.rpc.BadRequest`.
 * The service's shared errors (bad JSON, overload, rate limits) are rendered the same way.
 */
import { ApiError } from '../errors.ts';

const CANONICAL: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export type PerspectiveErrorType =
  | 'COMMENT_EMPTY'
  | 'COMMENT_TOO_LONG'
  | 'NO_REQUESTED_ATTRIBUTES'
  | 'LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE'
  | 'INVALID_REQUEST';

/** A Perspective error kind, with what its detail carries besides the type. */
export class PerspectiveError extends Error {
  readonly errorType: PerspectiveErrorType;
  readonly extra: Record<string, unknown>;

  constructor(errorType: PerspectiveErrorType, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'PerspectiveError';
    this.errorType = errorType;
    this.extra = extra;
  }
}

function googleError(status: number, message: string, details: unknown[], headers: Record<string, string> = {}): Response {
  const body = { error: { code: status, message, status: CANONICAL[status] ?? 'UNKNOWN', details } };
  return Response.json(body, { status, headers });
}

/** Renders a PerspectiveError, or one of the service's own ApiErrors, in Google's format. */
export function renderPerspectiveError(error: PerspectiveError | ApiError): Response {
  // A comment that would cost more model work than one request may is, to Perspective's clients, too long.
  if (error instanceof ApiError && error.code === 'over_budget') {
    return renderPerspectiveError(new PerspectiveError('COMMENT_TOO_LONG', `Comment text too long. ${error.message}`));
  }
  if (error instanceof PerspectiveError) {
    const detail = { '@type': 'type.googleapis.com/google.commentanalyzer.v1alpha1.Error', errorType: error.errorType, ...error.extra };
    return googleError(400, error.message, [detail]);
  }
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  if (error.code === 'payload_too_large') headers.Connection = 'close';
  const invalidPayload = error.code === 'invalid_json' || error.code === 'invalid_utf8' || error.code === 'invalid_request';
  const message = invalidPayload ? `Invalid JSON payload received. ${error.message}` : error.message;
  const details =
    error.details.length > 0
      ? [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: error.details.map((d) => ({ field: d.field, description: d.message })) }]
      : [];
  return googleError(error.status, message, details, headers);
}
