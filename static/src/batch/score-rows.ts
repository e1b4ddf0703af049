/**
 * @module score-rows
 * Scores the page's rows through this service's API with the command-line scorer's own parts
 * (cli/score): requests packed within the limits GET /api/v1/model gives, as many in flight as
 * the service takes without refusing (429 and 503 shrink it, Retry-After is waited out),
 * requests that are too large split, texts it refuses kept as rows with the reason. Cancel
 * stops it at once: requests in flight are cut, nothing more is sent.
 */
import { packBatches } from '../../../cli/score/batches.ts';
import { EXIT, ScoreError } from '../../../cli/score/exit-codes.ts';
import { createLimiter } from '../../../cli/score/limiter.ts';
import { runInOrder } from '../../../cli/score/ordered.ts';
import type { OutputRow } from '../../../cli/score/output/output-row.ts';
import { scoreBatch } from '../../../cli/score/score-batch.ts';
import type { Scorer } from '../../../cli/score/scorer.ts';
import { requestAttempt, Unauthorized } from '../../../cli/score/service-scorer.ts';
import type { ModelInfo } from '../api.ts';
import { storedKey } from '../api-key.ts';
import type { BatchRow } from './parse-input.ts';

/** A browser keeps at most six connections to one origin; more requests would only queue there. */
const MAX_IN_FLIGHT = 6;
/** Batches started and not yet handed back, so a slow one holds back little. */
const WINDOW = 16;
/** Give up when the service has scored nothing for this long. */
const GIVE_UP_MS = 120_000;
/** The request carries a threshold; the page works flags out itself at its own. */
const REQUEST_THRESHOLD = 0.5;

export interface ScoreRowsOptions {
  model: ModelInfo;
  /** Cancel. */
  stop: AbortSignal;
  /** Called with every batch's rows as they are done, in input order. */
  onRows(rows: OutputRow[]): void;
}

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

function pageScorer(model: ModelInfo, stop: AbortSignal): Scorer {
  return {
    model: { id: model.id, dtype: model.dtype, offline: model.offline, sha256: model.sha256, revision: model.revision },
    limits: { maxTexts: model.limits.max_texts, budget: model.limits.max_request_tokens, maxTokens: model.max_tokens },
    // Only the scorer's metadata names it; the page writes none.
    source: 'this page',
    maxConcurrency: MAX_IN_FLIGHT,
    classify: (texts, threshold) => requestAttempt('', texts, threshold, { stop, apiKey: storedKey() ?? undefined }),
    close: async () => {},
  };
}

/** What went wrong, for the person at the page (the scorer's own messages name its options). */
export function failureMessage(error: unknown): string {
  if (error instanceof Unauthorized) return 'This service needs an API key: enter it above, then check the texts again.';
  if (error instanceof ScoreError && error.exitCode === EXIT.model) {
    return "The service's replicas answered with different models (an update in progress?). Try again in a minute.";
  }
  if (error instanceof ScoreError && error.exitCode === EXIT.service) {
    return 'The service stopped answering, so scoring stopped. Try again later.';
  }
  return 'Something went wrong while scoring. Please try again.';
}

/**
 * Resolves 'done' when every row has its result, 'stopped' when cancelled (the rows handed to
 * onRows so far are whole); rejects when the service keeps failing.
 * @example await scoreRows(rows, { model, stop: controller.signal, onRows: (done) => show(done) });
 */
export async function scoreRows(rows: readonly BatchRow[], options: ScoreRowsOptions): Promise<'done' | 'stopped'> {
  const scorer = pageScorer(options.model, options.stop);
  const limiter = createLimiter({ initial: 2, max: MAX_IN_FLIGHT });
  const health = { lastScored: Date.now() };
  return runInOrder({
    source: packBatches(each(rows), scorer.limits, (row) => row.text),
    work: (batch) => scoreBatch(batch, { scorer, threshold: REQUEST_THRESHOLD, limiter, stop: options.stop, giveUpMs: GIVE_UP_MS, health }),
    write: async (_batch, done) => options.onRows(done),
    slots: limiter,
    window: WINDOW,
    stop: options.stop,
  });
}
