/**
 * `toxicity-monitor score` streams: on a generated file of a million rows (in process, the
 * offline stand-in, so the run is short) the scorer's resident memory once warm stays within a
 * bound while every row is read, scored and written. A scorer that held its rows would grow by
 * hundreds of megabytes over the run.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { sampleTexts, startCli } from './run-cli.ts';

const ROWS = 1_000_000;
/** Most the resident set may grow after the first quarter of the run, when the model is loaded and the pipeline full. */
const GROWTH_BOUND_MB = 100;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'score-memory-'));
  const out = createWriteStream(path.join(dir, 'in.txt'));
  const texts = sampleTexts(6);
  for (let i = 0; i < ROWS; i++) {
    if (!out.write(`${texts[i % texts.length]} ${i}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function residentMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}

it('scores a million rows with flat memory', { timeout: 600_000 }, async () => {
  const output = path.join(dir, 'out.csv');
  const run = startCli([path.join(dir, 'in.txt'), '-o', output, '--local', '--workers', '1', '--progress', 'none'], {
    MODEL_DIR: path.join(REPO_ROOT, 'model/offline'),
  });
  const samples: { at: number; mb: number }[] = [];
  const started = performance.now();
  const sampler = setInterval(async () => {
    const mb = await residentMb(run.child.pid!);
    if (mb !== undefined) samples.push({ at: performance.now() - started, mb });
  }, 100);
  const { code, stdout, stderr } = await run.done;
  clearInterval(sampler);
  expect([code, stderr, stdout]).toEqual([0, '', expect.stringContaining('1,000,000')]);

  let lines = 0;
  for (const byte of await readFile(output)) if (byte === 0x0a) lines++;
  expect(lines).toBe(ROWS + 1);

  const elapsed = samples.at(-1)!.at;
  const warm = Math.max(...samples.filter((s) => s.at <= elapsed / 4).map((s) => s.mb));
  const peak = Math.max(...samples.map((s) => s.mb));
  console.log(`1,000,000 rows in ${(elapsed / 1000).toFixed(0)} s: resident ${warm.toFixed(0)} MB after the first quarter, peak ${peak.toFixed(0)} MB (+${(peak - warm).toFixed(0)} MB, bound +${GROWTH_BOUND_MB})`);
  expect(peak - warm).toBeLessThan(GROWTH_BOUND_MB);
});
