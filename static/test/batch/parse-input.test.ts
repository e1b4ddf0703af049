import { describe, expect, it } from 'vitest';
import { formatOf, guessColumn, InputProblem, parseFile, rowsFromLines, rowsOfColumn } from '../../src/batch/parse-input.ts';

describe('rowsFromLines', () => {
  it('makes one row per non-blank line, numbered from 1, with CRLF or LF', () => {
    expect(rowsFromLines('first\r\n\n  \nsecond\nthird')).toEqual([
      { row: 1, text: 'first' },
      { row: 2, text: 'second' },
      { row: 3, text: 'third' },
    ]);
  });
});

describe('parseFile', () => {
  it('reads a CSV with a BOM, quoted commas and newlines, and names its columns', () => {
    const file = parseFile('c.csv', '\uFEFFid,comment\n1,"hello, you"\n2,"two\nlines"\n');
    expect(file.columns).toEqual(['id', 'comment']);
    expect(rowsOfColumn(file, 'comment')).toEqual([
      { row: 1, text: 'hello, you' },
      { row: 2, text: 'two\nlines' },
    ]);
  });

  it('reads JSONL, offering the fields that hold strings, and keeps a record without the field as a row', () => {
    const file = parseFile('c.jsonl', '{"id":1,"text":"a"}\n\n{"id":2,"text":"b","lang":"en"}\n{"id":3}\n');
    expect(file.columns).toEqual(['text', 'lang']);
    expect(rowsOfColumn(file, 'text')).toEqual([
      { row: 1, text: 'a' },
      { row: 2, text: 'b' },
      { row: 3, text: undefined },
    ]);
  });

  it('reads a text file as one row per line, blank lines kept as rows as the command-line scorer does', () => {
    const file = parseFile('c.txt', 'one\r\n\ntwo\n');
    expect(file.format).toBe('text');
    expect(rowsOfColumn(file, '')).toEqual([
      { row: 1, text: 'one' },
      { row: 2, text: '' },
      { row: 3, text: 'two' },
    ]);
  });

  it('says which line of a JSONL file is not JSON', () => {
    expect(() => parseFile('c.jsonl', '{"text":"a"}\n{oops\n')).toThrow(new InputProblem('Line 2 of the file is not valid JSON.'));
  });

  it('says a CSV is malformed', () => {
    expect(() => parseFile('c.csv', 'text\n"unclosed\n')).toThrow(InputProblem);
  });
});

describe('formatOf and guessColumn', () => {
  it('goes by the extension, else by whether the content starts with an object', () => {
    expect(formatOf('a.CSV', '')).toBe('csv');
    expect(formatOf('a.ndjson', '')).toBe('jsonl');
    expect(formatOf('paste', ' {"text":"a"}')).toBe('jsonl');
    expect(formatOf('paste', 'hello')).toBe('text');
  });

  it('picks a column named like a text, else the first', () => {
    expect(guessColumn(['id', 'tweet', 'class'])).toBe('tweet');
    expect(guessColumn(['id', 'body_html'])).toBe('id');
    expect(guessColumn([])).toBeUndefined();
  });
});
