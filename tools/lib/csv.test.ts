import { CsvError } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it('keeps commas, line breaks and doubled quotes inside quoted fields', () => {
    expect(parseCsv('id,tweet\n1,"hello, world"\n2,"two\nlines"\n3,"she said ""hi"""\n')).toEqual([
      ['id', 'tweet'],
      ['1', 'hello, world'],
      ['2', 'two\nlines'],
      ['3', 'she said "hi"'],
    ]);
  });

  it('drops a byte-order mark and accepts CRLF line ends', () => {
    expect(parseCsv('\ufeffa,b\r\n"x\r\ny",2\r\n')).toEqual([
      ['a', 'b'],
      ['x\r\ny', '2'],
    ]);
  });

  it('keeps a row shorter than the header, for the caller to report', () => {
    expect(parseCsv('a,b,c\n1,2\n')).toEqual([['a', 'b', 'c'], ['1', '2']]);
  });

  it('rejects an unterminated quote', () => {
    expect(() => parseCsv('a\nb\n"open,\nstill open')).toThrow(CsvError);
  });
});
