/**
 * @module errors
 * The one error shape every non-2xx answer uses:
 * `{"error": {"code": "...", "message": "...", "details": [...]}}` (schemas.ts ErrorResponseSchema).
 */
import type { ErrorBody, ErrorCode } from './schemas.ts';

export interface ErrorDetail {
  /** Where the problem is, as a JSON path such as `texts[3]`. */
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: 400 | 404 | 405 | 413 | 415 | 429 | 499 | 500 | 503 | 504;
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  /** Seconds a client should wait before retrying (sent as Retry-After). */
  readonly retryAfterSeconds?: number;

  constructor(
    status: ApiError['status'],
    code: ErrorCode,
    message: string,
    details: ErrorDetail[] = [],
    retryAfterSeconds?: number,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function errorBody(code: ErrorCode, message: string, details: ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details } };
}

export function errorResponse(error: ApiError, headers: Record<string, string> = {}): Response {
  const extra: Record<string, string> = { ...headers };
  // A body over the size limit is refused before it is read; the connection cannot be reused.
  if (error.code === 'payload_too_large') extra.Connection = 'close';
  if (error.retryAfterSeconds !== undefined) extra['Retry-After'] = String(error.retryAfterSeconds);
  return Response.json(errorBody(error.code, error.message, error.details), { status: error.status, headers: extra });
}
