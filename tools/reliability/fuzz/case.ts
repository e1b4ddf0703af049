/**
 * @module case
 * What one fuzz case is: a request (sent by Node's HTTP client, or byte by byte on a raw socket
 * for what that client refuses to send) and what a correct service answers to it.
 */

/** A request Node's HTTP client can send. */
export interface HttpRequestPlan {
  transport: 'http';
  method: string;
  /** Path and query, sent as given. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
}

/** Bytes written to a raw socket, `gapMs` apart; then wait for the answer, or hang up. */
export interface RawRequestPlan {
  transport: 'raw';
  chunks: Uint8Array[];
  gapMs: number;
  /** Close the socket `gapMs` after the last chunk instead of waiting for an answer. */
  hangUp?: boolean;
}

export type RequestPlan = HttpRequestPlan | RawRequestPlan;

/** What a correct service answers. 429 (rate limited) and 503 (shedding) are always allowed on top. */
export type Expectation =
  /** 200 with the classify shape, one result per text. */
  | { answer: 'classify'; texts: number; spans: boolean }
  /** 200 with a JSON object (GET /api/v1/model and such). */
  | { answer: 'json' }
  /** The JSON error shape with one of these statuses. */
  | { answer: 'error'; statuses: readonly number[] }
  /** Either outcome is right (a header nginx may ignore or refuse): whatever comes must be well formed. */
  | { answer: 'any'; texts?: number; spans?: boolean }
  /** The client gives up before its request is complete: no answer is due; any answer given must still be well formed. */
  | { answer: 'none' };

export const CASE_KINDS = [
  'valid',
  'random-bytes',
  'truncated-json',
  'deep-nesting',
  'wrong-types',
  'huge-strings',
  'invalid-utf8',
  'unicode',
  'wrong-method',
  'content-type',
  'path',
  'header-oddity',
  'raw-garbage',
  'slow-body',
  'aborted-body',
] as const;

export type CaseKind = (typeof CASE_KINDS)[number];

export interface FuzzCase {
  /** Position in the run; with the seed it regenerates the case. */
  id: number;
  kind: CaseKind;
  /** Which flavour of the kind, for the summary and for reading a failure. */
  variant: string;
  request: RequestPlan;
  expect: Expectation;
  /** Takes seconds by design (trickled or stalled): runs in its own pool. */
  slow: boolean;
}

/** A case before it is numbered: what each kind's generator returns. */
export type CaseDraft = Omit<FuzzCase, 'id' | 'kind' | 'slow'>;

export const CLASSIFY_PATH = '/api/v1/classify';
export const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

export const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
export const concatBytes = (...parts: Array<Uint8Array | readonly number[]>): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)))));

/** A classify POST with a JSON content type. */
export function classifyPost(body: Uint8Array | string, headers: Record<string, string> = JSON_HEADERS): HttpRequestPlan {
  return { transport: 'http', method: 'POST', path: CLASSIFY_PATH, headers: { ...headers }, body: typeof body === 'string' ? utf8(body) : body };
}

export const rejected = (...statuses: number[]): Expectation => ({ answer: 'error', statuses });
