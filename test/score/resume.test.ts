/**
 * An interrupted run continued with --resume, against a real replica: killed outright
 * (SIGKILL, maybe mid-row) or stopped with Ctrl-C, the output ends with exactly one row per
 * input row, in order, scored as the API scores them.
 */
import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../tools/lib/wait.ts';
import { startFunction, type FunctionProcess } from '../../tools/stack/function-process.ts';
import { postJson } from '../support/http.ts';
import { runCli, sampleTexts, startCli } from './run-cli.ts';

const ROWS = 30_000;
const TEXTS = sampleTexts(ROWS);
let replica: FunctionProcess;
let dir: string;
let input: string;

beforeAll(async () => {
  [replica, dir] = await Promise.all([startFunction({ port: 18321 }), mkdtemp(path.join(tmpdir(), 'score-resume-'))]);
  input = path.join(dir, 'in.csv');
  await writeFile(input, ['id,text', ...TEXTS.map((text, i) => `t${i},${text}`)].join('\n'));
});
afterAll(async () => {
  await replica?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Starts a run and stops it with `signal` once its output holds some rows. */
async function interrupted(output: string, signal: NodeJS.Signals) {
  const run = startCli([input, '-o', output, '--id-column', 'id', '--url', replica.url, '--progress', 'none']);
  await waitFor('rows written', () => stat(output).then((s) => s.size, () => 0), (size) => size > 150_000, 60_000, 20);
  run.child.kill(signal);
  return run.done;
}

async function expectComplete(output: string): Promise<void> {
  const rows = parse(await readFile(output), { columns: true }) as Record<string, string>[];
  expect(rows.length).toBe(ROWS);
  const wrong = rows.filter((r, i) => r.row !== String(i + 1) || r.id !== `t${i}` || r.error !== '');
  expect(wrong).toEqual([]);
  // A sample of rows against what the API answers for their texts.
  const sample = Array.from({ length: 32 }, (_, k) => Math.floor((k * ROWS) / 32) + 7);
  const res = await postJson(`${replica.url}/api/v1/classify`, { texts: sample.map((i) => TEXTS[i]) });
  const direct = ((await res.json()) as { results: { scores: Record<string, number> }[] }).results;
  sample.forEach((i, k) => expect(Math.abs(Number(rows[i]!.toxic) - direct[k]!.scores.toxic!)).toBeLessThan(1e-4));
}

describe('score --resume', () => {
  it('after SIGKILL mid-run, gives exactly one row per input row', async () => {
    const output = path.join(dir, 'killed.csv');
    const killed = await interrupted(output, 'SIGKILL');
    expect(killed.code).toBe(null);
    const cut = (await readFile(output, 'utf8')).split('\n').length;
    expect(cut).toBeLessThan(ROWS);

    const resumed = await runCli([input, '-o', output, '--id-column', 'id', '--url', replica.url, '--resume', '--progress', 'none']);

    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`rows      30,000 \\(([\\d,]+) in this run\\)`));
    await expectComplete(output);
    expect(JSON.parse(await readFile(`${output}.meta.json`, 'utf8')).rows).toBe(ROWS);
  }, 120_000);

  it('after Ctrl-C, leaves whole rows only and says how to continue (exit 130); --resume finishes it', async () => {
    const output = path.join(dir, 'stopped.csv');
    const stopped = await interrupted(output, 'SIGINT');
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('run again with --resume');
    const text = await readFile(output, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.row)).toEqual(rows.map((_, i) => String(i + 1)));
    expect(JSON.parse(await readFile(`${output}.meta.json`, 'utf8')).finished_at).toBe(null);

    expect((await runCli([input, '-o', output, '--id-column', 'id', '--url', replica.url, '--resume', '--progress', 'none'])).code).toBe(0);
    await expectComplete(output);
  }, 120_000);
});
