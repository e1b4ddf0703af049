/**
 * The idle collector in a real replica: after a burst of long texts and IDLE_GC_MS of quiet,
 * V8 really makes a compacting full (major) collection and its heap is back to its size before
 * the burst; scrapes and probes alone never set it off.
 * Whether memory comes back is measured by the fuzz test (test/reliability/fuzz.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from '../../tools/lib/metrics-text.ts';
import { sleep, waitFor } from '../../tools/lib/wait.ts';
import { startFunction, type FunctionProcess } from '../../tools/stack/function-process.ts';

const IDLE_MS = 500;
let fn: FunctionProcess;
beforeAll(async () => {
  fn = await startFunction({ port: 18186, env: { IDLE_GC_MS: String(IDLE_MS) } });
}, 60_000);
afterAll(async () => {
  await fn?.stop();
});

async function sample(): Promise<{ idleCollections: number; majorGcs: number; heapBytes: number }> {
  const text = await (await fetch(`${fn.url}/metrics`)).text();
  return {
    idleCollections: metricValue(text, 'toxicity_idle_gc_total') ?? Number.NaN,
    // No line until the first major collection.
    majorGcs: metricValue(text, 'nodejs_gc_duration_seconds_count', 'kind="major"') ?? 0,
    heapBytes: metricValue(text, 'nodejs_heap_size_total_bytes') ?? Number.NaN,
  };
}

describe('idle garbage collection in a replica', () => {
  it('makes one major collection once a burst is over, and none for scrapes and probes', async () => {
    for (let i = 0; i < 4; i++) {
      await fetch(`${fn.url}/healthz`);
      await sample();
      await sleep(IDLE_MS / 2);
    }
    const quiet = await sample();
    expect(quiet.idleCollections).toBe(0);

    const long = 'you are a thoroughly unpleasant person, and everyone knows it. '.repeat(300);
    for (let i = 0; i < 6; i++) {
      const answer = await fetch(`${fn.url}/api/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: long }) });
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
    }

    // prom-client hears of a collection from a PerformanceObserver, a moment after it is made.
    const after = await waitFor('the idle collection', sample, (s) => s.idleCollections >= 1 && s.majorGcs > quiet.majorGcs, 15_000);
    expect(after.idleCollections).toBe(1);
    // Compacted: V8's heap is back to its size before the burst, not merely emptied.
    expect(after.heapBytes).toBeLessThanOrEqual(quiet.heapBytes * 1.05);
  }, 60_000);
});
