import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it('splits plain fields and rows, with or without a final line break', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps commas, line breaks and doubled quotes inside quoted fields', () => {
    const text = 'id,tweet\n1,"hello, world"\n2,"two\nlines"\n3,"she said ""hi"""\n4,""""\n';
    expect(parseCsv(text)).toEqual([
      ['id', 'tweet'],
      ['1', 'hello, world'],
      ['2', 'two\nlines'],
      ['3', 'she said "hi"'],
      ['4', '"'],
    ]);
  });

  it('accepts CRLF line ends, also inside quotes, and a byte-order mark', () => {
    expect(parseCsv('\ufeffa,b\r\n"x\r\ny",2\r\n')).toEqual([
      ['a', 'b'],
      ['x\r\ny', '2'],
    ]);
  });

  it('keeps empty fields, quoted or not, including a trailing one', () => {
    expect(parseCsv(',"",x,\n')).toEqual([['', '', 'x', '']]);
    expect(parseCsv('""')).toEqual([['']]);
  });

  it('treats a quote inside an unquoted field as text', () => {
    expect(parseCsv('a"b,c\n')).toEqual([['a"b', 'c']]);
  });

  it('returns no rows for empty input', () => {
    expect(parseCsv('')).toEqual([]);
  });

  it('rejects an unterminated quote, naming the line it opened on', () => {
    expect(() => parseCsv('a\nb\n"open,\nstill open')).toThrow(new CsvError('unterminated quoted field opened on line 3'));
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('"a\nb"c,d')).toThrow(/after a closing quote on line 2/);
  });
});
