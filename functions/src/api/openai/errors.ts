/**
 * @module errors
 * Errors in OpenAI's format, `{"error": {"message", "type", "param", "code"}}`, for the service's
 * own errors on the moderation route. Retry-After is kept: OpenAI's client honours it.
 */
import type { ApiError } from '../errors.ts';

const TYPES: Record<number, string> = { 429: 'requests', 500: 'server_error', 503: 'server_error', 504: 'server_error' };
const CODES: Partial<Record<string, string>> = { rate_limited: 'rate_limit_exceeded' };

export function renderOpenAiError(error: ApiError): Response {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  if (error.code === 'payload_too_large') headers.Connection = 'close';
  // The engine names the texts it was given "texts"; OpenAI's clients sent them as "input".
  const fields = error.details.map((d) => ({ ...d, field: d.field.replace(/^texts\b/, 'input') }));
  const message =
    error.code === 'invalid_json' || error.code === 'invalid_utf8'
      ? `We could not parse the JSON body of your request: ${error.message}.`
      : [error.message, ...fields.map((d) => `'${d.field}' ${d.message}`)].join('; ');
  const param = fields[0]?.field.split(/[.[]/)[0] || null;
  const body = { error: { message, type: TYPES[error.status] ?? 'invalid_request_error', param, code: CODES[error.code] ?? error.code } };
  return Response.json(body, { status: error.status, headers });
}
