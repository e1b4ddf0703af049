import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../exit-codes.ts';
import { csvRows } from './csv-rows.ts';
import { jsonlRows } from './jsonl-rows.ts';
import type { OutputRow } from './output-row.ts';
import { readExisting } from './resume.ts';
import type { RowFormat } from './row-format.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'score-resume-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const scores = (toxic: number) => ({ toxic, severe_toxic: 0.01, obscene: 0.2, threat: 0, insult: 0.7, identity_hate: 0.001 });
// Ids with a comma, a quote and a line break: the CSV must quote them and still read back.
const ROWS: OutputRow[] = Array.from({ length: 6 }, (_, i) =>
  i === 3
    ? { row: i + 1, id: 'empty, "one"', error: 'the text must contain at least one non-whitespace character' }
    : {
        row: i + 1,
        id: i === 1 ? 'two\nlines' : `id${i + 1}`,
        result: { scores: scores(i / 10 + 0.4), flagged: i >= 1, labels: i >= 1 ? ['toxic', 'insult'] : ['insult'], tokens: 10 + i, windows: 1 },
      },
);

const FORMATS: [string, RowFormat][] = [
  ['csv', csvRows(true)],
  ['jsonl', jsonlRows],
];

async function written(name: string, format: RowFormat): Promise<{ file: string; text: string; ends: number[] }> {
  const file = path.join(dir, name);
  const parts = [format.header, ...ROWS.map((row) => format.format([row]))];
  const text = parts.join('');
  await writeFile(file, text);
  const ends = parts.slice(1).map((_, i) => Buffer.byteLength(parts.slice(0, i + 2).join('')));
  return { file, text, ends };
}

describe.each(FORMATS)('%s output read back for --resume', (name, format) => {
  it('finds every row of a whole file, and tallies flagged rows per label and rows without scores', async () => {
    const { file, text } = await written(`whole.${name}`, format);
    const existing = await readExisting(file, format);
    expect(existing.rows).toBe(6);
    expect(existing.bytes).toBe(Buffer.byteLength(text));
    expect(existing.tally).toMatchObject({ rows: 6, failed: 1, flagged: 4, labels: { toxic: 4, insult: 5, threat: 0 } });
  });

  it('at every byte a kill could cut the file at, keeps exactly the rows that are whole', async () => {
    const { file, text, ends } = await written(`cut.${name}`, format);
    const size = Buffer.byteLength(text);
    for (let cut = 0; cut <= size; cut++) {
      await writeFile(file, text);
      await truncate(file, cut);
      const existing = await readExisting(file, format);
      const whole = ends.filter((end) => end <= cut).length;
      expect({ cut, rows: existing.rows }).toEqual({ cut, rows: whole });
      expect(existing.bytes).toBe(whole === 0 ? 0 : ends[whole - 1]);
    }
  });

  it('refuses a file whose rows are not numbered 1, 2, 3… (exit 6)', async () => {
    const file = path.join(dir, `gap.${name}`);
    await writeFile(file, format.header + format.format([ROWS[0]!, ROWS[2]!]));
    await expect(readExisting(file, format)).rejects.toMatchObject({ exitCode: EXIT.output, message: expect.stringContaining('row 3 follows row 1') });
  });
});

describe('the CSV output', () => {
  it('has one column per label, flagged as true/false and labels space-separated, readable by any CSV parser', async () => {
    const { file } = await written('parsed.csv', csvRows(true));
    const records = parse(await readFile(file), { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(['row', 'id', 'toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate', 'flagged', 'labels', 'tokens', 'windows', 'error']);
    expect(records[1]).toMatchObject({ row: '2', id: 'two\nlines', toxic: '0.5', flagged: 'true', labels: 'toxic insult', tokens: '11', windows: '1', error: '' });
    expect(records[3]).toMatchObject({ id: 'empty, "one"', toxic: '', flagged: '', error: 'the text must contain at least one non-whitespace character' });
  });

  it('refuses to continue a CSV with other columns (exit 6)', async () => {
    const { file } = await written('other.csv', csvRows(true));
    await expect(readExisting(file, csvRows(false))).rejects.toMatchObject({ exitCode: EXIT.output, message: expect.stringContaining('are not the ones this run writes') });
  });
});

describe('the JSONL output', () => {
  it('writes each row as the API gives a result, or its error', async () => {
    const lines = jsonlRows.format([ROWS[0]!, ROWS[3]!]).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { row: 1, id: 'id1', scores: scores(0.4), flagged: false, labels: ['insult'], tokens: 10, windows: 1 },
      { row: 4, id: 'empty, "one"', error: 'the text must contain at least one non-whitespace character' },
    ]);
  });
});
