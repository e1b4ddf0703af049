/**
 * @module run
 * One `toxicity-monitor score` run: open the input, connect (or load the model), check the
 * model against --expect-model and against the output being resumed, then stream batches
 * through the scorer in order into the output, with progress, and say what was found.
 */
import { open, stat, truncate } from 'node:fs/promises';
import { packBatches } from './batches.ts';
import { EXIT, ScoreError } from './exit-codes.ts';
import type { InputFormat, InputRow } from './input/input-row.ts';
import { openInput } from './input/open-input.ts';
import { createLimiter } from './limiter.ts';
import { openLocalScorer } from './local-scorer.ts';
import { runInOrder } from './ordered.ts';
import { csvColumns, csvRows } from './output/csv-rows.ts';
import { jsonlRows } from './output/jsonl-rows.ts';
import { checkContinuable, metaPath, readMeta, writeMeta, type RunMeta } from './output/meta.ts';
import { readExisting, type Existing } from './output/resume.ts';
import type { OutputFormat, RowFormat } from './output/row-format.ts';
import { createProgress, progressMode, type ProgressMode, type ProgressOutput } from './progress.ts';
import { scoreBatch } from './score-batch.ts';
import type { Scorer } from './scorer.ts';
import { API_KEY_VARIABLE, connectService } from './service-scorer.ts';
import type { RunSummary } from './summary.ts';
import { count, createTally } from './tally.ts';

export interface ScoreOptions {
  input: string;
  output: string;
  /** Told by the input's extension when not given. */
  format?: InputFormat;
  outputFormat: OutputFormat;
  column: string;
  idColumn?: string;
  url: string;
  local: boolean;
  /** With `local`: inference workers of the one engine, each a thread of its own. */
  workers: number;
  threshold: number;
  batchSize: number;
  /** Most requests in flight; the scorer's own default when not given. */
  concurrency?: number;
  resume: boolean;
  overwrite: boolean;
  /** A sha256, or a prefix of one, the model's weights must have. */
  expectModel?: string;
  giveUpAfterMs: number;
  progress: 'auto' | ProgressMode;
}

export interface RunIo {
  stderr: ProgressOutput;
  /** Ctrl-C: start nothing more, finish or drop what is in flight, keep the output whole. */
  stop: AbortSignal;
  env: NodeJS.ProcessEnv;
}

function openScorer(o: ScoreOptions, env: NodeJS.ProcessEnv): Promise<Scorer> {
  return o.local
    ? openLocalScorer({ workers: o.workers, batchSize: o.batchSize, concurrency: o.concurrency, env })
    : connectService({ url: o.url, batchSize: o.batchSize, concurrency: o.concurrency ?? 8, giveUpMs: o.giveUpAfterMs, apiKey: env[API_KEY_VARIABLE] || undefined });
}

/** Skips the rows an earlier run wrote; fails if the input has fewer than that. */
async function* after<T extends InputRow>(rows: AsyncIterable<T>, skip: number, onSkipped: (end: number) => void): AsyncGenerator<T> {
  let seen = 0;
  let end = 0;
  if (skip === 0) onSkipped(0);
  for await (const row of rows) {
    seen++;
    if (seen <= skip) {
      end = row.end;
      if (seen === skip) onSkipped(end);
      continue;
    }
    yield row;
  }
  if (seen < skip) throw new ScoreError(EXIT.output, `the output holds ${skip} rows but the input only ${seen}; it belongs to another input`);
}

async function existingOutput(o: ScoreOptions): Promise<RunMeta | undefined> {
  const exists = await stat(o.output).then(
    () => true,
    () => false,
  );
  if (!exists || o.overwrite) return undefined;
  if (!o.resume) throw new ScoreError(EXIT.output, `${o.output} exists: --resume continues it, --overwrite replaces it`);
  const previous = await readMeta(o.output);
  if (!previous) throw new ScoreError(EXIT.output, `${o.output} has no ${metaPath(o.output)} beside it, so which model wrote it is unknown; it cannot be continued`);
  return previous;
}

/**
 * @example
 * const summary = await runScore(options, { stderr: process.stderr, stop: controller.signal, env: process.env });
 */
export async function runScore(o: ScoreOptions, io: RunIo): Promise<RunSummary> {
  const began = performance.now();
  const input = await openInput(o.input, o.format, { column: o.column, idColumn: o.idColumn });
  const previous = await existingOutput(o);
  const scorer = await openScorer(o, io.env);
  try {
    const model = scorer.model;
    if (o.expectModel && !model.sha256.startsWith(o.expectModel)) {
      throw new ScoreError(EXIT.model, `the model's weights are sha256 ${model.sha256}, not ${o.expectModel} (--expect-model); nothing was scored`);
    }
    const withId = o.idColumn !== undefined;
    const format: RowFormat = o.outputFormat === 'csv' ? csvRows(withId) : jsonlRows;
    const meta: RunMeta = {
      tool: 'toxicity-monitor score',
      model,
      source: scorer.source,
      threshold: o.threshold,
      input: { file: o.input, bytes: input.size, format: input.format, column: input.format === 'text' ? null : o.column, id_column: o.idColumn ?? null },
      output: { format: o.outputFormat, columns: o.outputFormat === 'csv' ? csvColumns(withId) : null },
      started_at: new Date().toISOString(),
      finished_at: null,
      rows: null,
    };
    let existing: Existing = { rows: 0, bytes: 0, tally: createTally() };
    if (previous) {
      checkContinuable(o.output, previous, meta);
      existing = await readExisting(o.output, format);
      await truncate(o.output, existing.bytes);
      meta.started_at = previous.started_at;
    }
    await writeMeta(o.output, meta);

    const file = await open(o.output, existing.bytes > 0 ? 'a' : 'w');
    const tally = existing.tally;
    const progress = createProgress({ output: io.stderr, mode: progressMode(o.progress, io.stderr), totalBytes: input.size });
    let scoringStarted = 0;
    try {
      if (existing.bytes === 0) await file.write(format.header);
      const rows = after(input.rows(), existing.rows, (end) => {
        scoringStarted = performance.now();
        progress.begin(existing.rows, end);
      });
      const limiter = createLimiter({ initial: 2, max: scorer.maxConcurrency });
      const ctx = {
        scorer,
        threshold: o.threshold,
        limiter,
        stop: io.stop,
        giveUpMs: o.giveUpAfterMs,
        health: { lastScored: Date.now() },
        onRetry: (why: string) => progress.retrying(why),
      };
      const outcome = await runInOrder({
        source: packBatches(rows, scorer.limits, (row) => row.text),
        work: (batch) => scoreBatch(batch, ctx),
        async write(batch, written) {
          await file.write(format.format(written));
          for (const row of written) count(tally, { failed: row.result === undefined, flagged: row.result?.flagged ?? false, labels: row.result?.labels ?? [] });
          progress.update(tally.rows, batch.items.at(-1)!.item.end);
        },
        slots: limiter,
        // Started but not yet written: bounds memory while a slow batch holds back the ones after it.
        window: Math.max(16, 2 * scorer.maxConcurrency),
        stop: io.stop,
      });
      const finished = performance.now();
      if (outcome === 'done') await writeMeta(o.output, { ...meta, finished_at: new Date().toISOString(), rows: tally.rows });
      return {
        input: o.input,
        output: o.output,
        meta: metaPath(o.output),
        tally,
        rowsThisRun: tally.rows - existing.rows,
        seconds: (finished - began) / 1000,
        scoringSeconds: scoringStarted > 0 ? (finished - scoringStarted) / 1000 : 0,
        model,
        source: scorer.source,
        outcome,
      };
    } finally {
      progress.finish();
      await file.close();
    }
  } finally {
    await scorer.close();
  }
}
