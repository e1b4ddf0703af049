/**
 * @module csv
 * How the tools read CSV: csv-parse, as the scorer does (cli/score/input/read-csv.ts), with a
 * byte-order mark allowed and rows of any length kept, so each reader reports a short row in
 * its own words instead of csv-parse's. Malformed quoting throws csv-parse's CsvError.
 */
import { parse } from 'csv-parse/sync';

/**
 * @example
 * parseCsv('a,b\n1,"x, ""y"""\n'); // → [['a', 'b'], ['1', 'x, "y"']]
 */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true });
}
