/**
 * @module jsonl-rows
 * The JSON Lines output: one object per input row, `{"row", "id"?, "scores": {...}, "flagged",
 * "labels", "tokens", "windows"}` as the API gives a result, or `{"row", "id"?, "error"}`.
 */
import { readLines } from '../input/lines.ts';
import type { OutputRow } from './output-row.ts';
import type { RowFormat } from './row-format.ts';

function record(row: OutputRow): Record<string, unknown> {
  const head = row.id === undefined ? { row: row.row } : { row: row.row, id: row.id };
  if (!row.result) return { ...head, error: row.error };
  const { scores, flagged, labels, tokens, windows } = row.result;
  return { ...head, scores, flagged, labels, tokens, windows };
}

export const jsonlRows: RowFormat = {
  header: '',
  format: (rows) => rows.map((row) => `${JSON.stringify(record(row))}\n`).join(''),
  async *readBack(file) {
    let end = 0;
    for await (const line of readLines(file)) {
      let parsed: { row?: unknown; flagged?: unknown; labels?: unknown; error?: unknown };
      try {
        parsed = JSON.parse(line.text) as typeof parsed;
      } catch {
        yield { broken: true, end };
        return;
      }
      if (typeof parsed.row !== 'number') {
        yield { broken: true, end };
        return;
      }
      end = line.end;
      yield {
        row: parsed.row,
        flagged: parsed.flagged === true,
        labels: Array.isArray(parsed.labels) ? parsed.labels.map(String) : [],
        failed: typeof parsed.error === 'string',
        end,
      };
    }
  },
};
