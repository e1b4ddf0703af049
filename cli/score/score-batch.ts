/**
 * @module score-batch
 * Gets every row of one batch its output row, whatever the service does meanwhile: waits out
 * 429 and 503 for as long as Retry-After says, backs off after network errors and other 5xx,
 * halves a request that is too large, keeps refused texts as error rows, and stops the run
 * rather than mix models: every answer must come from the weights the run started with.
 */
import type { Batch } from './batches.ts';
import { EXIT, ScoreError } from './exit-codes.ts';
import type { InputRow } from './input/input-row.ts';
import type { Limiter } from './limiter.ts';
import type { OutputRow } from './output/output-row.ts';
import type { Scorer } from './scorer.ts';
import { sleep } from './sleep.ts';

/** What a batch's rows must carry for their output rows (the page's rows have no byte offsets). */
type BatchRow = Pick<InputRow, 'row' | 'id'>;

/** The run was asked to stop while this batch waited to retry. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

export interface BatchContext {
  scorer: Scorer;
  threshold: number;
  limiter: Limiter;
  /** Stop waiting and give up the batch (Ctrl-C). */
  stop: AbortSignal;
  /** Stop the run when nothing has been scored for this long. */
  giveUpMs: number;
  /** When something was last scored, shared by all batches (Date.now()). */
  health: { lastScored: number };
  /** Told about every retry, for progress output. */
  onRetry?(why: string): void;
}

const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 10_000;

/** Full jitter: retries of the many batches that failed together do not come back together. */
export function backoffMs(attempt: number, random = Math.random): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt) * (0.5 + random() / 2);
}

function modelMismatch(expected: string, got: string): ScoreError {
  return new ScoreError(
    EXIT.model,
    `the service's replicas run different models: this run started with weights sha256 ${expected}, and an answer came from ${got} ` +
      '(a redeploy in progress?). Nothing from the other model was written; run again with --resume once every replica runs one model',
  );
}

/** Sends `indices` of the batch until they are scored or refused; fills `out`. */
async function send(batch: Batch<BatchRow>, indices: number[], out: OutputRow[], ctx: BatchContext): Promise<void> {
  const pending = [indices];
  let failures = 0;
  while (pending.length > 0) {
    const group = pending.pop()!;
    const sentAt = performance.now();
    const attempt = await ctx.scorer.classify(group.map((i) => batch.items[i]!.text!), ctx.threshold);
    if (attempt.kind === 'scored') {
      if (attempt.sha256 !== ctx.scorer.model.sha256) throw modelMismatch(ctx.scorer.model.sha256, attempt.sha256);
      ctx.limiter.succeeded();
      ctx.health.lastScored = Date.now();
      failures = 0;
      group.forEach((index, k) => (out[index]!.result = attempt.results[k]));
    } else if (attempt.kind === 'too_large') {
      if (group.length === 1) {
        out[group[0]!]!.error = `the service refused the text as too large (${attempt.why})`;
      } else {
        const half = Math.ceil(group.length / 2);
        pending.push(group.slice(half), group.slice(0, half));
      }
    } else if (attempt.kind === 'refused') {
      for (const [k, problem] of attempt.problems) out[group[k]!]!.error = problem;
      const rest = group.filter((_, k) => !attempt.problems.has(k));
      if (rest.length > 0) pending.push(rest);
    } else {
      if (attempt.busy) ctx.limiter.throttled(sentAt);
      if (Date.now() - ctx.health.lastScored > ctx.giveUpMs) {
        throw new ScoreError(EXIT.service, `nothing was scored for ${Math.round(ctx.giveUpMs / 1000)} s (--give-up-after); the last answer: ${attempt.why}`);
      }
      ctx.onRetry?.(attempt.why);
      const wait = attempt.afterMs === undefined ? backoffMs(failures) : attempt.afterMs * (1 + Math.random() / 4);
      failures++;
      if ((await sleep(wait, ctx.stop)) === 'aborted') throw new Interrupted();
      pending.push(group);
    }
  }
}

/**
 * @example
 * const rows = await scoreBatch(batch, { scorer, threshold: 0.5, limiter, stop, giveUpMs: 300_000, health: { lastScored: Date.now() } });
 */
export async function scoreBatch(batch: Batch<BatchRow>, ctx: BatchContext): Promise<OutputRow[]> {
  const out: OutputRow[] = batch.items.map(({ item, problem }) => ({ row: item.row, id: item.id, error: problem }));
  const toSend = batch.items.flatMap((planned, index) => (planned.text === undefined ? [] : [index]));
  if (toSend.length > 0) await send(batch, toSend, out, ctx);
  return out;
}
