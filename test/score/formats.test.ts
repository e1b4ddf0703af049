/**
 * `toxicity-monitor score` as a process against real replicas (offline model, q8 and fp32):
 * CSV, JSONL and plain text in, CSV and JSONL out, the same scores as the API gives, the model
 * recorded, --local scoring alike, and each kind of failure with its exit code.
 */
import { parse } from 'csv-parse/sync';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { startFunction, type FunctionProcess } from '../../tools/stack/function-process.ts';
import { postJson } from '../support/http.ts';
import { offlineSha256, runCli, sampleTexts } from './run-cli.ts';

let q8: FunctionProcess;
let fp32: FunctionProcess;
let dir: string;

beforeAll(async () => {
  [q8, fp32, dir] = await Promise.all([
    startFunction({ port: 18311 }),
    startFunction({ port: 18312, env: { MODEL_DTYPE: 'fp32' } }),
    mkdtemp(path.join(tmpdir(), 'score-formats-')),
  ]);
});
afterAll(async () => {
  await Promise.all([q8?.stop(), fp32?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const at = (name: string) => path.join(dir, name);
const TEXTS = [...sampleTexts(70), 'a text, with a comma and "quotes"\nand a line break'];

/** What the API itself answers for these texts. */
async function direct(texts: string[]): Promise<Record<string, number>[]> {
  const out: Record<string, number>[] = [];
  for (let i = 0; i < texts.length; i += 32) {
    const res = await postJson(`${q8.url}/api/v1/classify`, { texts: texts.slice(i, i + 32) });
    out.push(...((await res.json()) as { results: { scores: Record<string, number> }[] }).results.map((r) => r.scores));
  }
  return out;
}

function expectSameScores(got: Record<string, number>[], want: Record<string, number>[]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((scores, i) => {
    for (const label of Object.keys(want[i]!)) expect(Math.abs(scores[label]! - want[i]![label]!)).toBeLessThan(1e-4);
  });
}

const csvLine = (fields: string[]) => fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(',');

describe('score through the service', () => {
  it('CSV in, CSV out: one row per input row in order, ids kept, an empty text kept as an error row, the API\'s scores', async () => {
    const rows = TEXTS.map((text, i) => [`c${i}`, text]);
    rows.splice(5, 0, ['empty', '   ']);
    await writeFile(at('in.csv'), [csvLine(['id', 'comment']), ...rows.map(csvLine)].join('\r\n'));

    const run = await runCli([at('in.csv'), '-o', at('out.csv'), '-c', 'comment', '--id-column', 'id', '--url', q8.url]);

    expect(run.code).toBe(0);
    const out = parse(await readFile(at('out.csv')), { columns: true }) as Record<string, string>[];
    expect(out.map((r) => [r.row, r.id])).toEqual(rows.map((r, i) => [String(i + 1), r[0]]));
    expect(out[5]!.error).toBe('the text must contain at least one non-whitespace character');
    const scored = out.filter((r) => r.error === '');
    expectSameScores(
      scored.map((r) => Object.fromEntries(['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'].map((l) => [l, Number(r[l])]))),
      await direct(TEXTS),
    );
    expect(scored.every((r) => r.windows === '1' && Number(r.tokens) > 2)).toBe(true);
    const flagged = out.filter((r) => r.flagged === 'true').length;
    expect(flagged).toBeGreaterThan(10);
    expect(run.stdout).toContain(`rows      ${out.length}, 1 without scores`);
    expect(run.stdout).toContain(`flagged   ${flagged} `);
    expect(run.stdout).toContain(offlineSha256('q8'));
  });

  it('records the model, the service and the options in OUTPUT.meta.json', async () => {
    const meta = JSON.parse(await readFile(at('out.csv.meta.json'), 'utf8'));
    expect(meta).toMatchObject({
      model: { id: 'unitary/toxic-bert', dtype: 'q8', offline: true, sha256: offlineSha256('q8'), revision: null },
      source: q8.url,
      threshold: 0.5,
      input: { format: 'csv', column: 'comment', id_column: 'id' },
      output: { format: 'csv' },
      rows: TEXTS.length + 1,
    });
    expect(Date.parse(meta.finished_at)).toBeGreaterThanOrEqual(Date.parse(meta.started_at));
  });

  it('JSONL in, JSONL out: the records\' field and id, each result as the API gives it', async () => {
    await writeFile(at('in.jsonl'), TEXTS.map((body, i) => JSON.stringify({ n: i, body })).join('\n'));

    const run = await runCli([at('in.jsonl'), '-o', at('out.jsonl'), '-c', 'body', '--id-column', 'n', '--url', q8.url, '--threshold', '0.3']);

    expect(run.code).toBe(0);
    const out = (await readFile(at('out.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(out.map((r) => [r.row, r.id])).toEqual(TEXTS.map((_, i) => [i + 1, String(i)]));
    expectSameScores(out.map((r) => r.scores), await direct(TEXTS));
    for (const r of out) expect(r.flagged).toBe(Object.values(r.scores as Record<string, number>).some((s) => s >= 0.3));
  });

  it('plain text in, one row per line with blank lines kept as rows', async () => {
    await writeFile(at('in.txt'), `${TEXTS[0]}\n\n${TEXTS[1]}\n`);
    const run = await runCli([at('in.txt'), '-o', at('text.csv'), '--url', q8.url]);
    expect(run.code).toBe(0);
    const out = parse(await readFile(at('text.csv')), { columns: true }) as Record<string, string>[];
    expect(out.map((r) => [r.row, r.error === ''])).toEqual([
      ['1', true],
      ['2', false],
      ['3', true],
    ]);
    expect(Object.keys(out[0]!)).not.toContain('id');
  });

  it('--local scores in this process, with no service, as the service does', async () => {
    await writeFile(at('local.txt'), TEXTS.slice(0, 40).join('\n'));
    const run = await runCli([at('local.txt'), '-o', at('local.jsonl'), '--local', '--workers', '1'], { MODEL_DIR: path.join(REPO_ROOT, 'model/offline') });
    expect(run.code).toBe(0);
    const out = (await readFile(at('local.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expectSameScores(out.map((r) => r.scores), await direct(TEXTS.slice(0, 40)));
    expect(JSON.parse(await readFile(at('local.jsonl.meta.json'), 'utf8')).source).toBe('in process');
  });
});

describe('score refuses, with its exit code and a message', () => {
  it('a column the CSV does not have (3)', async () => {
    const run = await runCli([at('in.csv'), '-o', at('nocolumn.csv'), '--url', q8.url]);
    expect([run.code, run.stderr.trim()]).toEqual([3, expect.stringContaining('no column "text" in the header (columns: id, comment)')]);
  });

  it('a service that is not there (4), at once', async () => {
    const began = Date.now();
    const run = await runCli([at('in.txt'), '-o', at('nobody.csv'), '--url', 'http://127.0.0.1:18319']);
    expect([run.code, run.stderr]).toEqual([4, expect.stringContaining('cannot reach the service at http://127.0.0.1:18319 (ECONNREFUSED)')]);
    expect(Date.now() - began).toBeLessThan(10_000);
  });

  it('a model other than --expect-model (5), writing nothing', async () => {
    const run = await runCli([at('in.txt'), '-o', at('expect.csv'), '--url', q8.url, '--expect-model', offlineSha256('fp32').slice(0, 12)]);
    expect([run.code, run.stderr]).toEqual([5, expect.stringContaining(`weights are sha256 ${offlineSha256('q8')}`)]);
    expect(existsSync(at('expect.csv'))).toBe(false);
    expect((await runCli([at('in.txt'), '-o', at('expect.csv'), '--url', q8.url, '--expect-model', offlineSha256('q8')])).code).toBe(0);
  });

  it('an output that exists, without --resume or --overwrite (6)', async () => {
    const run = await runCli([at('in.txt'), '-o', at('text.csv'), '--url', q8.url]);
    expect([run.code, run.stderr]).toEqual([6, expect.stringContaining('exists: --resume continues it, --overwrite replaces it')]);
  });

  it('resuming an output of one model with another (5), leaving it as it was', async () => {
    const before = await readFile(at('out.csv'), 'utf8');
    const run = await runCli([at('in.csv'), '-o', at('out.csv'), '-c', 'comment', '--id-column', 'id', '--url', fp32.url, '--resume']);
    expect([run.code, run.stderr]).toEqual([5, expect.stringContaining(`scored by weights sha256 ${offlineSha256('q8')}, and the model now is ${offlineSha256('fp32')}`)]);
    expect(await readFile(at('out.csv'), 'utf8')).toBe(before);
  });
});
