/**
 * @module api
 * The page's client for the service's HTTP API, turning every failure into a message a
 * person can act on.
 */

import type { ClassifyResponse, ModelResponse, TextResultBody } from '../../functions/src/api/schemas.ts';
import type { LabelScores } from '../../functions/src/model/labels.ts';
import { keyHeaders, storedKey } from './api-key.ts';

// The API's shape comes from the service's own schemas (type-only: nothing of zod reaches the page).
export { LABELS, type Label } from '../../functions/src/model/labels.ts';
export type { ClassifyResponse };
export type Scores = LabelScores;
export type TextResult = TextResultBody;
export type Span = NonNullable<TextResult['spans']>[number];
export type ModelInfo = ModelResponse;

/** A failed request, with a message written for the person at the page. */
export class RequestFailed extends Error {
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: Array<{ field: string; message: string }> };
}

/** The request would cost more model work than the service takes in one request. */
export class OverBudget extends RequestFailed {
  constructor() {
    super('That text is too long to check at once. Please shorten it.', 413);
  }
}

/** The service wants an API key: none was given, or the one given is wrong or revoked. */
export class KeyRequired extends RequestFailed {
  constructor(keyWasSent: boolean) {
    super(
      keyWasSent
        ? 'That API key was not accepted: it is wrong, or it has been revoked. Check it and enter it again.'
        : 'This service needs an API key. Enter the key you were given.',
      401,
    );
  }
}

function friendlyMessage(status: number, body: ErrorBody, retryAfter: string | null): string {
  const wait = retryAfter && /^\d+$/.test(retryAfter) ? `${retryAfter} seconds` : 'a few seconds';
  switch (status) {
    case 400: {
      const detail = body.error?.details?.[0]?.message;
      return detail ? `The text could not be checked: it ${detail}.` : 'The text could not be checked. Please edit it and try again.';
    }
    case 413:
      return 'That text is too large to check at once. Please shorten it.';
    case 429:
      return `You are sending requests faster than this service allows. Please wait ${wait} and try again.`;
    case 503:
      return `The service is busy or still starting. Please try again in ${wait}.`;
    default:
      return `Something went wrong on the server (error ${status}). Please try again later.`;
  }
}

async function readError(res: Response, keyWasSent: boolean): Promise<RequestFailed> {
  if (res.status === 401) return new KeyRequired(keyWasSent);
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // An error page from a proxy is not JSON; the status alone still gives a useful message.
  }
  if (body.error?.code === 'over_budget') return new OverBudget();
  return new RequestFailed(friendlyMessage(res.status, body, res.headers.get('retry-after')), res.status);
}

/** Sends the request with the tab's API key, if any; an answer that is not 2xx is thrown. */
async function send(input: string, init: RequestInit = {}): Promise<Response> {
  const keyWasSent = storedKey() !== null;
  let res: Response;
  try {
    res = await fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), ...keyHeaders() } });
  } catch {
    throw new RequestFailed('The service cannot be reached. Check your connection and try again.', 0);
  }
  if (!res.ok) throw await readError(res, keyWasSent);
  return res;
}

export async function classify(text: string, threshold: number, spans = true): Promise<ClassifyResponse> {
  const res = await send('/api/v1/classify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, threshold, spans }),
  });
  return (await res.json()) as ClassifyResponse;
}

export async function fetchModel(): Promise<ModelInfo> {
  const res = await send('/api/v1/model');
  return (await res.json()) as ModelInfo;
}
