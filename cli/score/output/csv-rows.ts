/**
 * @module csv-rows
 * The CSV output: a header, then one line per input row: `row`, `id` (with --id-column), the six
 * scores, `flagged`, `labels` (space-separated), `tokens`, `windows` (1: scored whole; more: a
 * long text scored in pieces) and `error` (why a row has no scores). Quoting by csv-stringify.
 */
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { createReadStream } from 'node:fs';
import { LABELS } from '../../../functions/src/model/labels.ts';
import { EXIT, ScoreError } from '../exit-codes.ts';
import type { OutputRow } from './output-row.ts';
import type { RowFormat, WrittenRow } from './row-format.ts';

export function csvColumns(withId: boolean): string[] {
  return ['row', ...(withId ? ['id'] : []), ...LABELS, 'flagged', 'labels', 'tokens', 'windows', 'error'];
}

function fields(row: OutputRow, withId: boolean): string[] {
  const id = withId ? [row.id ?? ''] : [];
  const r = row.result;
  if (!r) return [String(row.row), ...id, ...LABELS.map(() => ''), '', '', '', '', row.error ?? ''];
  return [String(row.row), ...id, ...LABELS.map((label) => String(r.scores[label])), String(r.flagged), r.labels.join(' '), String(r.tokens), String(r.windows), ''];
}

/**
 * @example
 * csvRows(true).format([{ row: 1, id: 'a7', error: 'the text must contain …' }]) // → '1,a7,,,,,,,,,,,the text must contain …\n'
 */
export function csvRows(withId: boolean): RowFormat {
  const columns = csvColumns(withId);
  const at = (name: string) => columns.indexOf(name);
  return {
    header: stringify([columns]),
    format: (rows) => stringify(rows.map((row) => fields(row, withId))),
    async *readBack(file) {
      const parser = createReadStream(file).pipe(parse({ info: true, relax_column_count: true, skip_records_with_error: true }));
      let broken = false;
      parser.on('skip', () => (broken = true));
      let header = true;
      let end = 0;
      try {
        for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
          if (broken) break;
          if (header) {
            header = false;
            // A header cut short by a kill: nothing was written after it.
            if (record.join(',') !== columns.join(',') && columns.join(',').startsWith(record.join(','))) {
              yield { broken: true, end: 0 };
              return;
            }
            if (record.join(',') !== columns.join(',')) {
              throw new ScoreError(EXIT.output, `${file}: its columns (${record.join(', ')}) are not the ones this run writes (${columns.join(', ')}); was it written with other options?`);
            }
            end = info.bytes;
            continue;
          }
          if (record.length !== columns.length) {
            yield { broken: true, end };
            return;
          }
          end = info.bytes;
          const written: WrittenRow = {
            row: Number(record[0]),
            flagged: record[at('flagged')] === 'true',
            labels: record[at('labels')] ? record[at('labels')]!.split(' ') : [],
            failed: record[at('error')] !== '',
            end,
          };
          yield written;
        }
      } finally {
        parser.destroy();
      }
      if (broken) yield { broken: true, end };
    },
  };
}
