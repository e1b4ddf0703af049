/**
 * @module tally
 * What a run found, counted as rows are written (and read back on --resume): rows, rows without
 * scores, flagged rows, and flagged rows per label.
 */
import { LABELS, type Label } from '../../functions/src/model/labels.ts';

export interface Tally {
  rows: number;
  /** Rows with an error instead of scores. */
  failed: number;
  flagged: number;
  labels: Record<Label, number>;
}

export function createTally(): Tally {
  return { rows: 0, failed: 0, flagged: 0, labels: Object.fromEntries(LABELS.map((label) => [label, 0])) as Record<Label, number> };
}

export function count(tally: Tally, row: { failed: boolean; flagged: boolean; labels: readonly string[] }): void {
  tally.rows++;
  if (row.failed) tally.failed++;
  if (row.flagged) tally.flagged++;
  for (const label of row.labels) if (label in tally.labels) tally.labels[label as Label]++;
}
