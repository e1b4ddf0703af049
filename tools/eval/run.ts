/**
 * @module run
 * `npm run eval -- --data FILE.csv [--json] [--threshold 0.5] [--plot PATH]`
 * Scores a Davidson-format CSV with whichever model the environment configures (the same
 * variables and offline fallback as the server), reports ROC AUC and precision / recall / F1
 * for the labels the data can judge, and writes the ROC curves as an SVG: reports/roc.svg,
 * or PATH (`--plot docs/roc.svg` redraws the README's picture).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../../functions/src/config.ts';
import type { ModelInfo } from '../../functions/src/model/loader.ts';
import { prepareModel } from '../../functions/src/service.ts';
import {
  EVALUATED_LABELS,
  GROUND_TRUTH,
  readDavidson,
  UNEVALUATED_LABELS,
  type EvaluatedLabel,
  type Tweet,
} from './davidson.ts';
import { auc, precisionRecallF1, rocCurve, type Confusion, type RocCurve } from './metrics.ts';
import { renderRocSvg } from './roc-svg.ts';

const USAGE = 'usage: npm run eval -- --data FILE.csv [--json] [--threshold 0.5] [--plot reports/roc.svg]';
const BATCH_SIZE = 32;

class UsageError extends Error {}

interface Options {
  data: string;
  json: boolean;
  threshold: number;
  plot: string;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        json: { type: 'boolean', default: false },
        threshold: { type: 'string', default: '0.5' },
        plot: { type: 'string', default: 'reports/roc.svg' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.data) throw new UsageError('--data is required');
  const threshold = Number(values.threshold);
  if (values.threshold.trim() === '' || !(threshold >= 0 && threshold <= 1)) {
    throw new UsageError(`--threshold must be a number from 0 to 1, got "${values.threshold}"`);
  }
  return { data: values.data, json: values.json, threshold, plot: values.plot };
}

/** Rewrites one line on a terminal; in a log (not a TTY) prints a line every ten batches instead. */
function reportProgress(done: number, total: number): void {
  if (process.stderr.isTTY) {
    process.stderr.write(`\rscored ${done}/${total}${done === total ? '\n' : ''}`);
  } else if (done === total || done % (BATCH_SIZE * 10) === 0) {
    process.stderr.write(`scored ${done}/${total}\n`);
  }
}

type Scores = Record<EvaluatedLabel, Float64Array>;

async function scoreTweets(tweets: Tweet[], threshold: number): Promise<{ info: ModelInfo; scores: Scores; loadSeconds: number }> {
  const loadStart = performance.now();
  process.stderr.write('loading model…\n');
  const { classifier, info, close } = await prepareModel(readConfig(process.env));
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const scores = Object.fromEntries(
    EVALUATED_LABELS.map((label) => [label, new Float64Array(tweets.length)]),
  ) as Scores;
  // Batching texts of similar length wastes less compute on padding; scores go back by index.
  const order = tweets.map((_, i) => i).sort((a, b) => tweets[a]!.text.length - tweets[b]!.text.length);
  for (let start = 0; start < order.length; start += BATCH_SIZE) {
    const batch = order.slice(start, start + BATCH_SIZE);
    const { results } = await classifier.classify(
      batch.map((i) => tweets[i]!.text),
      { threshold, spans: false, client: 'eval', deadline: Infinity },
    );
    results.forEach((result, k) => {
      for (const label of EVALUATED_LABELS) scores[label][batch[k]!] = result.scores[label];
    });
    reportProgress(start + batch.length, order.length);
  }
  await close();
  return { info, scores, loadSeconds };
}

interface LabelReport {
  curve: RocCurve;
  auc: number;
  confusion: Confusion;
}

/** JSON has no NaN; an undefined AUC is written as null. */
function round(value: number): number | null {
  return Number.isNaN(value) ? null : Math.round(value * 1e4) / 1e4;
}

function perLabel<T>(reports: Record<EvaluatedLabel, LabelReport>, pick: (r: LabelReport) => T): Record<EvaluatedLabel, T> {
  return Object.fromEntries(EVALUATED_LABELS.map((label) => [label, pick(reports[label])])) as Record<EvaluatedLabel, T>;
}

function formatTable(
  options: Options,
  info: ModelInfo,
  n: number,
  reports: Record<EvaluatedLabel, LabelReport>,
  seconds: { load: number; score: number },
): string {
  const header = ['label', 'AUC', 'precision', 'recall', 'F1', 'positives', 'predicted', 'TP', 'FP', 'FN'];
  const rows = EVALUATED_LABELS.map((label) => {
    const { auc: area, confusion: c } = reports[label];
    return [
      label,
      Number.isNaN(area) ? 'n/a' : area.toFixed(4),
      c.precision.toFixed(4),
      c.recall.toFixed(4),
      c.f1.toFixed(4),
      String(c.tp + c.fn),
      String(c.tp + c.fp),
      String(c.tp),
      String(c.fp),
      String(c.fn),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const model = `${info.id} (${info.dtype}${info.offline ? ', offline stand-in' : ''})`;
  return [
    `model      ${model}`,
    `data       ${options.data}  (n = ${n})`,
    `threshold  ${options.threshold}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'ground truth: toxic = class 0 or 1 (hate or offensive majority); identity_hate = class 0 (hate majority)',
    `not evaluated (no ground truth in this data): ${UNEVALUATED_LABELS.join(', ')}`,
    `ROC curves: ${options.plot}`,
    `time: model load ${seconds.load.toFixed(1)} s, scoring ${seconds.score.toFixed(1)} s (${(n / seconds.score).toFixed(0)} texts/s)`,
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const tweets = readDavidson(readFileSync(options.data, 'utf8'));
  if (tweets.length === 0) throw new Error(`${options.data} has no data rows`);

  const start = performance.now();
  const { info, scores, loadSeconds } = await scoreTweets(tweets, options.threshold);
  const seconds = { load: loadSeconds, score: (performance.now() - start) / 1000 - loadSeconds };

  const reports = Object.fromEntries(
    EVALUATED_LABELS.map((label) => {
      const truth = tweets.map((t) => GROUND_TRUTH[label](t.class));
      const curve = rocCurve(scores[label], truth);
      return [label, { curve, auc: auc(curve), confusion: precisionRecallF1(scores[label], truth, options.threshold) }];
    }),
  ) as Record<EvaluatedLabel, LabelReport>;

  const model = { id: info.id, dtype: info.dtype, offline: info.offline };
  const svg = renderRocSvg({
    model,
    dataset: path.basename(options.data),
    n: tweets.length,
    series: EVALUATED_LABELS.map((label) => ({ label, auc: reports[label].auc, ...reports[label].curve })),
  });
  mkdirSync(path.dirname(path.resolve(options.plot)), { recursive: true });
  writeFileSync(options.plot, svg);

  if (options.json) {
    const report = {
      n: tweets.length,
      model,
      threshold: options.threshold,
      auc: perLabel(reports, (r) => round(r.auc)),
      f1: perLabel(reports, (r) => round(r.confusion.f1)),
      precision: perLabel(reports, (r) => round(r.confusion.precision)),
      recall: perLabel(reports, (r) => round(r.confusion.recall)),
      positives: perLabel(reports, (r) => r.curve.positives),
      confusion: perLabel(reports, ({ confusion: { tp, fp, fn, tn } }) => ({ tp, fp, fn, tn })),
      not_evaluated: UNEVALUATED_LABELS,
      data: options.data,
      plot: options.plot,
      seconds: { load: round(seconds.load), score: round(seconds.score) },
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    process.stdout.write(formatTable(options, info, tweets.length, reports, seconds));
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`eval: ${(error as Error).message}\n`);
  if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
