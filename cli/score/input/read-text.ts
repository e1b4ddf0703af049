/**
 * @module read-text
 * Plain text, one text per line: row N is line N, blank lines included (they come out as rows
 * that say the text is empty), so the output joins back to the file line by line.
 */
import type { InputRow } from './input-row.ts';
import { readLines } from './lines.ts';

export async function* readText(file: string): AsyncGenerator<InputRow> {
  for await (const line of readLines(file)) yield { row: line.number, text: line.text, end: line.end };
}
