/**
 * @module read-jsonl
 * JSON Lines: one JSON object per line, the text in the field --column names. Blank lines are
 * skipped, so `row` counts records. A line that is not JSON stops the run (the file is not what
 * it claims); a record without the field is still a row, whose output says why it has no scores.
 */
import { EXIT, ScoreError } from '../exit-codes.ts';
import type { InputRow, ReadOptions } from './input-row.ts';
import { readLines } from './lines.ts';

/** An id as text: strings as they are, anything else as its JSON. */
function idText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * @example
 * for await (const row of readJsonl('comments.jsonl', { column: 'body', idColumn: 'id' })) …
 */
export async function* readJsonl(file: string, options: ReadOptions): AsyncGenerator<InputRow> {
  let row = 0;
  for await (const line of readLines(file)) {
    if (line.text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line.text);
    } catch {
      throw new ScoreError(EXIT.input, `${file}: line ${line.number} is not valid JSON`);
    }
    row++;
    const fields = typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>) : undefined;
    // A wrong --column shows on the first record; stopping there beats a file of error rows.
    if (row === 1 && !(fields && options.column in fields)) {
      const found = fields ? Object.keys(fields).join(', ') || 'none' : `none: the record is ${Array.isArray(record) ? 'an array' : typeof record}`;
      throw new ScoreError(EXIT.input, `${file}: the first record has no field "${options.column}" (fields: ${found}); name the text's field with --column`);
    }
    yield { row, id: options.idColumn === undefined ? undefined : idText(fields?.[options.idColumn]), text: fields?.[options.column], end: line.end };
  }
}
