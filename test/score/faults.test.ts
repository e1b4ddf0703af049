/**
 * The scorer while the service fails under it: connections dropped before and after the
 * replica did the work, 503 overloaded with Retry-After (a fault proxy in front of a real
 * replica), and a replica killed mid-run behind real nginx. No row is lost or written twice.
 */
import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../tools/lib/wait.ts';
import { startFunction, type FunctionProcess } from '../../tools/stack/function-process.ts';
import { startTestStack } from '../../tools/stack/test-stack.ts';
import { startFaultProxy, type Fault } from '../support/fault-proxy.ts';
import { postJson } from '../support/http.ts';
import { runCli, sampleTexts, startCli } from './run-cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'score-faults-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function input(name: string, texts: string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, texts.join('\n'));
  return file;
}

async function outputRows(file: string): Promise<Record<string, string>[]> {
  return parse(await readFile(file), { columns: true }) as Record<string, string>[];
}

describe('score through faults', () => {
  let replica: FunctionProcess;
  beforeAll(async () => {
    replica = await startFunction({ port: 18331 });
  });
  afterAll(() => replica?.stop());

  it('loses and duplicates nothing when connections drop and the service answers 503 with Retry-After', async () => {
    const texts = sampleTexts(1500);
    const schedule = (n: number, url: string): Fault => {
      if (!url.endsWith('/classify')) return 'pass';
      if (n % 5 === 0) return 'drop-before';
      if (n % 7 === 0) return 'drop-after';
      if (n % 11 === 0) return 'overloaded';
      return 'pass';
    };
    const proxy = await startFaultProxy(replica.url, schedule);
    try {
      const output = path.join(dir, 'faults.csv');
      const run = await runCli([await input('faults.txt', texts), '-o', output, '--url', proxy.url, '--batch-size', '16', '--progress', 'none']);

      expect(run.code).toBe(0);
      expect(proxy.seen['drop-before']).toBeGreaterThan(10);
      expect(proxy.seen['drop-after']).toBeGreaterThan(10);
      expect(proxy.seen.overloaded).toBeGreaterThan(5);
      const rows = await outputRows(output);
      expect(rows.map((r) => r.row)).toEqual(texts.map((_, i) => String(i + 1)));
      expect(rows.filter((r) => r.error !== '')).toEqual([]);
      const direct = await postJson(`${replica.url}/api/v1/classify`, { texts: texts.slice(1468) });
      const scores = ((await direct.json()) as { results: { scores: { toxic: number } }[] }).results.map((r) => r.scores.toxic);
      scores.forEach((toxic, k) => expect(Math.abs(Number(rows[1468 + k]!.toxic) - toxic)).toBeLessThan(1e-4));
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe('score through nginx while a replica dies', () => {
  it('waits out the 503s of a replica killed mid-run and restarted, losing and duplicating nothing', async () => {
    const stack = await startTestStack({ monitoring: false, replicas: 1 });
    try {
      const texts = sampleTexts(6000);
      const output = path.join(dir, 'killed-replica.csv');
      const run = startCli([await input('killed.txt', texts), '-o', output, '--url', stack.url, '--progress', 'lines']);
      await waitFor('rows written', () => stat(output).then((s) => s.size, () => 0), (size) => size > 100_000, 60_000, 20);
      const replica = stack.replicas[0]!.process;
      process.kill(replica.pid!, 'SIGKILL');
      const result = await run.done;

      expect(result.code).toBe(0);
      expect(replica.restarts).toBe(1);
      const rows = await outputRows(output);
      expect(rows.map((r) => r.row)).toEqual(texts.map((_, i) => String(i + 1)));
      expect(rows.filter((r) => r.error !== '')).toEqual([]);
    } finally {
      await stack.stop();
    }
  }, 180_000);
});
