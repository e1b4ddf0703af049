/**
 * @module row-format
 * What an output format must do: write rows, and read back rows it wrote, so --resume knows
 * where a run stopped and what it had found.
 */
import type { OutputRow } from './output-row.ts';

export type OutputFormat = 'csv' | 'jsonl';

/** A row read back from an output file. */
export interface WrittenRow {
  row: number;
  flagged: boolean;
  labels: string[];
  /** The row has no scores, only a reason. */
  failed: boolean;
  /** Bytes of the file through the end of this row. */
  end: number;
}

export interface RowFormat {
  /** What the file starts with ('' for none). */
  header: string;
  format(rows: readonly OutputRow[]): string;
  /**
   * Rows as written, in order; stops at the first thing that is not a whole row of this format
   * (a row a killed run cut short), after yielding `{ broken: true }` for it.
   */
  readBack(file: string): AsyncGenerator<WrittenRow | { broken: true; end: number }>;
}
