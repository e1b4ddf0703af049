import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, ScoreError } from '../exit-codes.ts';
import type { InputRow } from './input-row.ts';
import { formatOf, openInput } from './open-input.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'score-readers-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, content: string | Buffer): Promise<string> {
  const at = path.join(dir, name);
  await writeFile(at, content);
  return at;
}

async function rows(at: string, column = 'text', idColumn?: string): Promise<InputRow[]> {
  const input = await openInput(at, undefined, { column, idColumn });
  const out: InputRow[] = [];
  for await (const row of input.rows()) out.push(row);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<ScoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScoreError)) throw new Error(`expected a ScoreError, got ${String(error)}`);
  return error;
}

describe('CSV input', () => {
  it('reads the named column and id from quoted fields with commas, quotes and line breaks, after a BOM', async () => {
    const at = await file('a.csv', '\uFEFFid,text\r\n7,"one, ""two""\nthree"\r\n8,plain\r\n');
    expect((await rows(at, 'text', 'id')).map(({ row, id, text }) => ({ row, id, text }))).toEqual([
      { row: 1, id: '7', text: 'one, "two"\nthree' },
      { row: 2, id: '8', text: 'plain' },
    ]);
  });

  it('ends the last row at the last byte, so progress reaches 100%', async () => {
    const content = 'text\nshort\na longer text\n';
    const read = await rows(await file('b.csv', content));
    expect(read.map((r) => r.end)).toEqual([content.indexOf('a longer'), content.length]);
  });

  it('keeps a short row as a row without text, so it is not lost', async () => {
    const read = await rows(await file('c.csv', 'id,text\n1\n2,hello\n'), 'text', 'id');
    expect(read.map((r) => r.text)).toEqual([undefined, 'hello']);
  });

  it('names the missing column and the ones there are (exit 3)', async () => {
    const error = await failure(rows(await file('d.csv', 'id,tweet\n1,x\n')));
    expect(error.exitCode).toBe(EXIT.input);
    expect(error.message).toContain('no column "text" in the header (columns: id, tweet)');
  });

  it('reports malformed quoting with its line, without quoting the data', async () => {
    const error = await failure(rows(await file('e.csv', 'text\nfine\nbad "secret" quote\n')));
    expect(error.exitCode).toBe(EXIT.input);
    expect(error.message).toMatch(/malformed CSV at line 3/);
    expect(error.message).not.toContain('secret');
  });
});

describe('JSONL input', () => {
  it('reads the field and id of each record, skipping blank lines; ids that are not strings become JSON', async () => {
    const at = await file('a.jsonl', '{"id":1,"body":"first"}\n\n{"id":"b","body":"second","x":[1]}\r\n{"id":null,"body":3}');
    expect((await rows(at, 'body', 'id')).map(({ row, id, text }) => ({ row, id, text }))).toEqual([
      { row: 1, id: '1', text: 'first' },
      { row: 2, id: 'b', text: 'second' },
      { row: 3, id: 'null', text: 3 },
    ]);
  });

  it('stops on a line that is not JSON, naming the line (exit 3)', async () => {
    const error = await failure(rows(await file('b.jsonl', '{"text":"a"}\n{"text":\n')));
    expect([error.exitCode, error.message]).toEqual([EXIT.input, expect.stringContaining('line 2 is not valid JSON')]);
  });

  it('stops when the first record lacks the field, listing its fields; later records without it are rows', async () => {
    const wrong = await failure(rows(await file('c.jsonl', '{"body":"a"}\n')));
    expect(wrong.message).toContain('no field "text" (fields: body)');
    const later = await rows(await file('d.jsonl', '{"text":"a"}\n{"body":"b"}\n'));
    expect(later.map((r) => r.text)).toEqual(['a', undefined]);
  });
});

describe('plain text input', () => {
  it('makes every line a row, blank ones included, with CRLF and a BOM handled and no row for a final line break', async () => {
    const read = await rows(await file('a.txt', '\uFEFFfirst\r\n\nthird\n'));
    expect(read.map(({ row, text }) => [row, text])).toEqual([
      [1, 'first'],
      [2, ''],
      [3, 'third'],
    ]);
  });

  it('refuses invalid UTF-8 rather than changing the text (exit 3)', async () => {
    const error = await failure(rows(await file('b.txt', Buffer.from([0x6f, 0x6b, 0x0a, 0xff, 0xfe, 0x0a]))));
    expect([error.exitCode, error.message]).toEqual([EXIT.input, expect.stringContaining('line 2 is not valid UTF-8')]);
  });
});

describe('openInput', () => {
  it('tells the format from the extension', () => {
    expect(['x.CSV', 'x.jsonl', 'x.ndjson', 'x.txt', 'x'].map(formatOf)).toEqual(['csv', 'jsonl', 'jsonl', 'text', 'text']);
  });

  it('says a missing file is missing (exit 3)', async () => {
    const error = await failure(openInput(path.join(dir, 'nope.csv'), undefined, { column: 'text' }));
    expect([error.exitCode, error.message]).toEqual([EXIT.input, expect.stringContaining('no such file')]);
  });
});
