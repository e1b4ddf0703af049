/**
 * @module csv
 * A small RFC 4180 reader: quoted fields may hold commas, line breaks and doubled quotes.
 * Written here rather than taken from csv-parse, which cannot both keep a quote inside an
 * unquoted field as text and reject text after a closing quote (its relax_quotes option
 * governs both), nor name the line an unterminated quote opened on.
 */

export class CsvError extends Error {}

/**
 * Parses CSV text into rows of fields. Accepts CRLF or LF line ends and a leading byte-order
 * mark; a final line break does not start an empty row. Malformed quoting throws a CsvError
 * naming the line, because silently shifted columns would corrupt the evaluation.
 * @example
 * parseCsv('a,b\n1,"x, ""y"""\n'); // → [['a', 'b'], ['1', 'x, "y"']]
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // True right after a separator or line break, i.e. while a new field may still open a quote.
  let fieldStart = true;

  const endRow = (): void => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (fieldStart && ch === '"') {
      const openedOn = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvError(`unterminated quoted field opened on line ${openedOn}`);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvError(`unexpected ${JSON.stringify(next)} after a closing quote on line ${line}`);
      }
      fieldStart = false;
      continue;
    }
    if (ch === ',') {
      row.push(field);
      field = '';
      fieldStart = true;
      i++;
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      endRow();
      line++;
      fieldStart = true;
      i += ch === '\r' ? 2 : 1;
    } else {
      field += ch;
      fieldStart = false;
      i++;
    }
  }
  // The last row has no line break after it unless the file ends with one.
  if (!fieldStart || row.length > 0 || field !== '') endRow();
  return rows;
}
