/**
 * @module service-scorer
 * Scores through a running service: GET /api/v1/model once for the model and the limits, then
 * POST /api/v1/classify per batch, each answer turned into an Attempt. It never waits or retries
 * itself (score-batch.ts does), except while connecting.
 */
import { EXIT, ScoreError } from './exit-codes.ts';
import type { Attempt, ModelIdentity, Scorer, ScoredText } from './scorer.ts';
import { sleep } from './sleep.ts';

/** Above the proxy's 60 s API_TIMEOUT, so the service's own answer (504 timeout) comes first. */
const REQUEST_TIMEOUT_MS = 90_000;
/** Nothing listening is said at once; a service that answers "not ready" is waited for. */
const CONNECT_ATTEMPTS = 3;
/** Where the command line takes an API key from: an argument would show in `ps` and shell history. */
export const API_KEY_VARIABLE = 'TOXICITY_MONITOR_API_KEY';

/** The service wants an API key (API keys are on): none was sent, or it was not accepted. */
export class Unauthorized extends ScoreError {
  constructor(url: string, keySent: boolean, message: string) {
    super(
      EXIT.service,
      `${url} answered 401 (${message}): ${keySent ? `the key in ${API_KEY_VARIABLE} was not accepted` : `give an API key in ${API_KEY_VARIABLE}`}`,
    );
    this.name = 'Unauthorized';
  }
}

/** The header that carries `apiKey`, when there is one. */
const keyHeader = (apiKey: string | undefined): Record<string, string> => (apiKey ? { 'x-api-key': apiKey } : {});

interface ModelAnswer extends ModelIdentity {
  max_tokens: number;
  limits: { max_texts: number; max_chars: number; max_request_tokens: number };
}

interface ErrorAnswer {
  error?: { code?: string; message?: string; details?: { field?: string; message?: string }[] };
}

/** What went wrong with a fetch, in a few words: "ECONNREFUSED", "socket hang up", "timeout". */
export function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function errorOf(res: Response): Promise<{ code: string; message: string; details: { field?: string; message?: string }[] }> {
  const body = (await res.json().catch(() => ({}))) as ErrorAnswer;
  return { code: body.error?.code ?? `http_${res.status}`, message: body.error?.message ?? res.statusText, details: body.error?.details ?? [] };
}

/** One answer of POST /api/v1/classify as an Attempt; throws ScoreError for answers no retry can fix. */
async function toAttempt(res: Response, count: number, keySent: boolean): Promise<Attempt> {
  if (res.status === 200) {
    const body = (await res.json()) as { model?: { sha256?: string }; results?: ScoredText[] };
    if (!Array.isArray(body.results) || body.results.length !== count) {
      throw new ScoreError(EXIT.internal, `the service answered ${body.results?.length ?? 'no'} results for ${count} texts`);
    }
    if (typeof body.model?.sha256 !== 'string') {
      throw new ScoreError(EXIT.model, 'an answer did not say which weights scored it (model.sha256); the replica is older than this scorer');
    }
    return { kind: 'scored', results: body.results, sha256: body.model.sha256 };
  }
  const error = await errorOf(res);
  if (res.status === 401) throw new Unauthorized(res.url, keySent, error.message);
  const why = `${res.status} ${error.code}`;
  const afterMs = retryAfterMs(res.headers.get('retry-after'));
  if (res.status === 429 || res.status === 504 || (res.status === 503 && error.code === 'overloaded')) {
    return { kind: 'retry', afterMs, busy: true, why };
  }
  if (res.status === 413) return { kind: 'too_large', why };
  if (res.status === 400) {
    const problems = new Map<number, string>();
    for (const detail of error.details) {
      const at = /^texts\[(\d+)\]$/.exec(detail.field ?? '');
      if (at) problems.set(Number(at[1]), `the text ${detail.message ?? 'was refused'}`);
    }
    if (problems.size > 0) return { kind: 'refused', problems };
    throw new ScoreError(EXIT.internal, `the service refused a request as malformed: ${error.message}`);
  }
  if (res.status >= 500) return { kind: 'retry', afterMs, busy: false, why };
  throw new ScoreError(EXIT.service, `POST /api/v1/classify answered ${why}: ${error.message}; is this the toxicity monitor's URL?`);
}

/**
 * One POST /api/v1/classify of `texts` to the service at `base` ('' on the page: its own origin),
 * with `apiKey` when given. `stop` cuts the request short; the attempt then says retry, and the
 * caller's wait sees the stop.
 */
export async function requestAttempt(
  base: string,
  texts: readonly string[],
  threshold: number,
  { stop, apiKey }: { stop?: AbortSignal; apiKey?: string } = {},
): Promise<Attempt> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  try {
    const res = await fetch(`${base}/api/v1/classify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...keyHeader(apiKey) },
      body: JSON.stringify({ texts, threshold }),
      signal: stop ? AbortSignal.any([stop, timeout]) : timeout,
    });
    return await toAttempt(res, texts.length, Boolean(apiKey));
  } catch (error) {
    if (error instanceof ScoreError) throw error;
    // Refused, reset or cut off mid-answer: nothing was scored that anyone will see.
    return { kind: 'retry', busy: false, why: `no answer (${networkCause(error)})` };
  }
}

async function fetchModel(base: string, giveUpMs: number, apiKey: string | undefined): Promise<ModelAnswer> {
  const url = `${base}/api/v1/model`;
  const began = Date.now();
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { headers: keyHeader(apiKey), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      if (attempt >= CONNECT_ATTEMPTS) {
        throw new ScoreError(EXIT.service, `cannot reach the service at ${base} (${networkCause(error)}); start it (npm start), give its address with --url, or score in this process with --local`);
      }
      await sleep(500 * attempt);
      continue;
    }
    if (res.ok) return (await res.json()) as ModelAnswer;
    const error = await errorOf(res);
    if (res.status === 401) throw new Unauthorized(url, Boolean(apiKey), error.message);
    // Replicas still loading their model (503 not_ready) are worth waiting for.
    if (res.status === 503 && Date.now() - began < giveUpMs) {
      await sleep(retryAfterMs(res.headers.get('retry-after')) ?? 1000);
      continue;
    }
    throw new ScoreError(EXIT.service, `GET ${url} answered ${res.status} ${error.code}: ${error.message}`);
  }
}

export interface ServiceOptions {
  url: string;
  /** Texts per request, at most the service's own limit. */
  batchSize: number;
  concurrency: number;
  /** How long to wait for a service that answers but is not ready. */
  giveUpMs: number;
  /** Sent as X-API-Key when the service has API keys on. */
  apiKey?: string;
}

/**
 * @example
 * const scorer = await connectService({ url: 'http://localhost:8080', batchSize: 32, concurrency: 8, giveUpMs: 300_000 });
 * const attempt = await scorer.classify(['you idiot', 'nice day'], 0.5);
 */
export async function connectService(options: ServiceOptions): Promise<Scorer> {
  const base = options.url.replace(/\/+$/, '');
  const answer = await fetchModel(base, options.giveUpMs, options.apiKey);
  if (typeof answer.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(answer.sha256)) {
    throw new ScoreError(EXIT.model, `${base} does not say which weights it runs (no sha256 in GET /api/v1/model); it is older than this scorer`);
  }
  return {
    model: { id: answer.id, dtype: answer.dtype, offline: answer.offline, sha256: answer.sha256, revision: answer.revision ?? null },
    limits: { maxTexts: Math.min(options.batchSize, answer.limits.max_texts), budget: answer.limits.max_request_tokens, maxTokens: answer.max_tokens },
    source: base,
    maxConcurrency: options.concurrency,
    classify: (texts, threshold) => requestAttempt(base, texts, threshold, { apiKey: options.apiKey }),
    close: async () => {},
  };
}
