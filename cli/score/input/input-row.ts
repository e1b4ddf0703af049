/**
 * @module input-row
 * One record of the input as every reader yields it, whatever the file's format.
 */

export interface InputRow {
  /** Position among the input's records, from 1: the output's `row`, which joins it back to the input. */
  row: number;
  /** The --id-column value, when one was named, as text. */
  id?: string;
  /** What the text column or field held; not yet checked (an empty or missing text is still a row). */
  text: unknown;
  /** Bytes of the input read through the end of this record, for progress. */
  end: number;
}

export type InputFormat = 'csv' | 'jsonl' | 'text';

export interface ReadOptions {
  /** The CSV column or JSONL field holding the text (unused for plain text). */
  column: string;
  /** The CSV column or JSONL field copied to the output as `id`. */
  idColumn?: string;
}
