/**
 * @module fetch/errors
 * The error kinds the fetcher tells apart, and how any error becomes the single line the CLI
 * prints. Messages carry status codes, file names and URLs without their query string, never
 * request headers, so HF_TOKEN cannot leak into logs.
 */

/** A response with an unexpected status; `status` decides whether a retry can help. */
export class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
    this.name = 'HttpError';
  }
}

/** Downloaded bytes that do not match the size or sha256 the Hub announced. Never retried. */
export class VerificationError extends Error {
  override name = 'VerificationError';
}

/** The connection ended early; what arrived is kept on disk so the next attempt resumes. */
export class IncompleteError extends Error {
  override name = 'IncompleteError';
}

/** Retrying helps with dropped connections and server trouble, not with a 404 or a bad hash. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof VerificationError) return false;
  if (error instanceof HttpError) return error.status >= 500 || error.status === 429;
  return true;
}

/**
 * Node's fetch hides the useful part ("ECONNREFUSED", "other side closed") in `cause`.
 * @example
 * oneLine(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }))
 * // → 'fetch failed (connect ECONNREFUSED 127.0.0.1:9)'
 */
export function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${oneLine(error.cause)})` : '';
  return `${error.message}${cause}`.replace(/\s*\n\s*/g, ' ');
}

/** A URL fit for messages: CDN links are signed in their query string. */
export function printableUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** Names the file a failure happened on; the message is already one line. */
export class FileFetchError extends Error {
  override name = 'FileFetchError';
  readonly file: string;

  constructor(file: string, reason: unknown) {
    super(`${file}: ${oneLine(reason)}`);
    this.file = file;
  }
}
