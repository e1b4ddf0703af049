/**
 * @module summary
 * The few lines printed when a run ends: how many rows, how many flagged and for which labels,
 * how long it took, and which model scored them.
 */
import { LABELS } from '../../functions/src/model/labels.ts';
import { formatDuration } from './progress.ts';
import type { ModelIdentity } from './scorer.ts';
import type { Tally } from './tally.ts';

export interface RunSummary {
  input: string;
  output: string;
  meta: string;
  tally: Tally;
  /** Rows this run wrote (fewer than tally.rows after --resume). */
  rowsThisRun: number;
  /** Start to end of this run, model loading and connecting included. */
  seconds: number;
  /** From the first batch sent to the last row written: the scoring rate. */
  scoringSeconds: number;
  model: ModelIdentity;
  source: string;
  outcome: 'done' | 'stopped';
}

const n = (value: number) => value.toLocaleString('en');

/**
 * @example
 * formatSummary(summary) // → 'scored data/dev.csv → scores.csv\n  rows      2,492 …'
 */
export function formatSummary(s: RunSummary): string {
  const percent = (part: number) => (s.tally.rows > 0 ? ` (${((100 * part) / s.tally.rows).toFixed(1)}%)` : '');
  const perLabel = LABELS.map((label) => `${label} ${n(s.tally.labels[label])}`).join(', ');
  const rate = s.scoringSeconds > 0 ? `, ${(s.rowsThisRun / s.scoringSeconds).toFixed(1)} rows/s while scoring` : '';
  const model = s.model;
  const lines = [
    `${s.outcome === 'done' ? 'scored' : 'stopped early, run again with --resume to continue:'} ${s.input} → ${s.output}`,
    `  rows      ${n(s.tally.rows)}${s.rowsThisRun !== s.tally.rows ? ` (${n(s.rowsThisRun)} in this run)` : ''}` +
      `${s.tally.failed > 0 ? `, ${n(s.tally.failed)} without scores (see the error column)` : ''}`,
    `  flagged   ${n(s.tally.flagged)}${percent(s.tally.flagged)}: ${perLabel}`,
    `  time      ${formatDuration(s.seconds)}${rate}`,
    `  model     ${model.id} ${model.dtype}${model.offline ? ' (OFFLINE STAND-IN, not the real toxic-bert)' : ''}, ` +
      `weights sha256 ${model.sha256}, revision ${model.revision ?? 'not recorded'}, via ${s.source}`,
    `  metadata  ${s.meta}`,
  ];
  return `${lines.join('\n')}\n`;
}
