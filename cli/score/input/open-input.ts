/**
 * @module open-input
 * The input file as rows, whichever its format: named by --format, or told by the file's
 * extension (.csv, .jsonl or .ndjson, anything else one text per line).
 */
import { stat } from 'node:fs/promises';
import { EXIT, ScoreError } from '../exit-codes.ts';
import type { InputFormat, InputRow, ReadOptions } from './input-row.ts';
import { readCsv } from './read-csv.ts';
import { readJsonl } from './read-jsonl.ts';
import { readText } from './read-text.ts';

export function formatOf(file: string): InputFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return 'text';
}

export interface Input {
  format: InputFormat;
  /** Bytes in the file, for progress. */
  size: number;
  rows(): AsyncGenerator<InputRow>;
}

/** Checks the file exists and is a file before anything else starts. */
export async function openInput(file: string, format: InputFormat | undefined, options: ReadOptions): Promise<Input> {
  const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new ScoreError(EXIT.input, `${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  if (!stats.isFile()) throw new ScoreError(EXIT.input, `${file}: not a file`);
  const chosen = format ?? formatOf(file);
  const readers: Record<InputFormat, () => AsyncGenerator<InputRow>> = {
    csv: () => readCsv(file, options),
    jsonl: () => readJsonl(file, options),
    text: () => readText(file),
  };
  return { format: chosen, size: stats.size, rows: readers[chosen] };
}
