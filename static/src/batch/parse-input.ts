/**
 * @module parse-input
 * Turns what was pasted or dropped into rows to score, in the browser: pasted text and plain
 * text files are one text per line; CSV and JSONL files are records whose text column the
 * person picks. Nothing is sent anywhere while reading.
 */
import { parse } from 'csv-parse/browser/esm/sync';

/** A row to score: its place in the input (from 1) and what its text column held, unchecked. */
export interface BatchRow {
  row: number;
  text: unknown;
}

export type FileFormat = 'csv' | 'jsonl' | 'text';

/** A file read into records, before a column is picked. */
export interface ParsedFile {
  format: FileFormat;
  /** Columns (CSV header) or fields (JSONL) that hold text; empty for plain text. */
  columns: string[];
  records: Record<string, unknown>[];
}

/** Larger files would hold the whole table in the tab's memory several times over. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** A file that cannot be read as rows; the message is for the person at the page. */
export class InputProblem extends Error {}

/** Pasted texts, one per line; blank lines are not texts and are not counted. */
export function rowsFromLines(text: string): BatchRow[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line, index) => ({ row: index + 1, text: line }));
}

export function formatOf(fileName: string, content: string): FileFormat {
  const name = fileName.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.txt')) return 'text';
  return content.trimStart().startsWith('{') ? 'jsonl' : 'text';
}

function parseCsv(content: string): ParsedFile {
  let records: Record<string, unknown>[];
  try {
    records = parse(content, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    throw new InputProblem(`The file is not valid CSV: ${(error as Error).message}`);
  }
  const columns = records.length > 0 ? Object.keys(records[0]!) : [];
  return { format: 'csv', columns, records };
}

function parseJsonl(content: string): ParsedFile {
  const records: Record<string, unknown>[] = [];
  const columns = new Set<string>();
  content.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InputProblem(`Line ${index + 1} of the file is not valid JSON.`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputProblem(`Line ${index + 1} of the file is not a JSON object.`);
    }
    for (const [key, field] of Object.entries(value)) if (typeof field === 'string') columns.add(key);
    records.push(value as Record<string, unknown>);
  });
  return { format: 'jsonl', columns: [...columns], records };
}

/** @example parseFile('comments.csv', await file.text()).columns // ['id', 'comment'] */
export function parseFile(fileName: string, content: string): ParsedFile {
  const format = formatOf(fileName, content);
  if (format === 'csv') return parseCsv(content);
  if (format === 'jsonl') return parseJsonl(content);
  // As the command-line scorer reads it: every line a row, blank ones too (they come back as
  // rows that say why they were not scored), so row numbers are line numbers.
  const lines = content.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return { format, columns: [], records: lines.map((text) => ({ text })) };
}

/** The column a person most likely means: one named like a text, else the first. */
export function guessColumn(columns: string[]): string | undefined {
  return columns.find((c) => /^(text|comment|comment_text|tweet|message|body|content)$/i.test(c)) ?? columns[0];
}

/** Rows of `column` (any column for plain text, which has only its lines). */
export function rowsOfColumn(file: ParsedFile, column: string): BatchRow[] {
  const field = file.format === 'text' ? 'text' : column;
  return file.records.map((record, index) => ({ row: index + 1, text: record[field] }));
}
