/**
 * Mid-redeploy, the replicas behind nginx run different models (here the offline stand-in's
 * q8 and fp32 weights): the scorer notices from the answers' sha256 and stops before writing
 * a row the second model scored.
 */
import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../tools/stack/stack.ts';
import { startTestStack } from '../../tools/stack/test-stack.ts';
import { postJson } from '../support/http.ts';
import { offlineSha256, runCli, sampleTexts } from './run-cli.ts';

let stack: Stack;
let dir: string;
beforeAll(async () => {
  [stack, dir] = await Promise.all([
    startTestStack({ monitoring: false, replicas: 2, replicaEnv: (i) => ({ MODEL_DTYPE: i === 0 ? 'q8' : 'fp32' }) }),
    mkdtemp(path.join(tmpdir(), 'score-disagree-')),
  ]);
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('score while replicas disagree on the model', () => {
  it('stops with exit 5 and a clear message, and every row written came from the model the run started with', async () => {
    const texts = sampleTexts(2000);
    const input = path.join(dir, 'in.txt');
    const output = path.join(dir, 'out.csv');
    await writeFile(input, texts.join('\n'));

    const run = await runCli([input, '-o', output, '--url', stack.url, '--progress', 'none']);

    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/the service's replicas run different models: this run started with weights sha256 [0-9a-f]{64}, and an answer came from [0-9a-f]{64}/);
    const meta = JSON.parse(await readFile(`${output}.meta.json`, 'utf8'));
    expect([offlineSha256('q8'), offlineSha256('fp32')]).toContain(meta.model.sha256);
    expect(meta.finished_at).toBe(null);
    const rows = parse(await readFile(output), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeLessThan(texts.length);
    // The replica of the run's model scores the written rows' texts the same.
    const own = stack.replicas[meta.model.sha256 === offlineSha256('q8') ? 0 : 1]!;
    for (let i = 0; i < rows.length; i += 32) {
      const res = await postJson(`${own.url}/api/v1/classify`, { texts: texts.slice(i, Math.min(i + 32, rows.length)) });
      const direct = ((await res.json()) as { results: { scores: { obscene: number } }[] }).results;
      direct.forEach((r, k) => expect(Math.abs(Number(rows[i + k]!.obscene) - r.scores.obscene)).toBeLessThan(1e-4));
    }
  });
});
