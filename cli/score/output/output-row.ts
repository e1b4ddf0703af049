/**
 * @module output-row
 * One row of the scorer's output, before it is written as CSV or JSONL: the input's row number
 * and id, and either the scores or why there are none.
 */
import type { ScoredText } from '../scorer.ts';

export interface OutputRow {
  row: number;
  id?: string;
  result?: ScoredText;
  error?: string;
}
