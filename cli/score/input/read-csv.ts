/**
 * @module read-csv
 * CSV with a header row (RFC 4180: quoted fields may hold commas, quotes and line breaks),
 * streamed through csv-parse; the text is the column --column names. Malformed quoting stops
 * the run with the line it is on; the message never quotes the data.
 */
import { CsvError, parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { EXIT, ScoreError } from '../exit-codes.ts';
import type { InputRow, ReadOptions } from './input-row.ts';

function columnIndex(file: string, header: readonly string[], name: string, option: string): number {
  const index = header.indexOf(name);
  if (index === -1) {
    throw new ScoreError(EXIT.input, `${file}: no column "${name}" in the header (columns: ${header.join(', ')}); name it with ${option}`);
  }
  return index;
}

/**
 * @example
 * for await (const row of readCsv('data/davidson-tweets/dev.csv', { column: 'tweet', idColumn: 'id' })) …
 */
export async function* readCsv(file: string, options: ReadOptions): AsyncGenerator<InputRow> {
  const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, info: true }));
  let textAt = -1;
  let idAt = -1;
  let row = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      if (textAt === -1) {
        textAt = columnIndex(file, record, options.column, '--column');
        if (options.idColumn !== undefined) idAt = columnIndex(file, record, options.idColumn, '--id-column');
        continue;
      }
      row++;
      yield { row, id: idAt === -1 ? undefined : (record[idAt] ?? ''), text: record[textAt], end: info.bytes };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const where = (error as CsvError & { lines?: number }).lines;
      throw new ScoreError(EXIT.input, `${file}: malformed CSV${where ? ` at line ${where}` : ''} (${error.code})`);
    }
    throw error;
  } finally {
    parser.destroy();
  }
  if (textAt === -1) throw new ScoreError(EXIT.input, `${file}: the file is empty; a CSV needs a header row naming its columns`);
}
