import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter.ts';
import { runInOrder } from './ordered.ts';
import { Interrupted } from './score-batch.ts';
import { sleep } from './sleep.ts';

async function* numbers(count: number, onPull?: (i: number) => void) {
  for (let i = 0; i < count; i++) {
    onPull?.(i);
    yield i;
  }
}

describe('runInOrder', () => {
  it('writes every result once, in source order, whatever order the work finishes in', async () => {
    const written: number[] = [];
    const outcome = await runInOrder({
      source: numbers(200),
      work: async (i) => {
        await sleep(Math.random() * 5);
        return i * 2;
      },
      write: async (i, result) => void written.push(result / 2 === i ? i : -1),
      slots: createLimiter({ initial: 6, max: 6 }),
      window: 12,
      stop: new AbortController().signal,
    });
    expect(outcome).toBe('done');
    expect(written).toEqual([...Array(200).keys()]);
  });

  it('never has more than `window` items pulled and not yet written, behind a slow first item', async () => {
    let pulled = 0;
    let written = 0;
    let most = 0;
    await runInOrder({
      source: numbers(50, () => {
        pulled++;
        most = Math.max(most, pulled - written);
      }),
      work: (i) => sleep(i === 0 ? 50 : 1),
      write: async () => void written++,
      slots: createLimiter({ initial: 8, max: 8 }),
      window: 5,
      stop: new AbortController().signal,
    });
    expect(written).toBe(50);
    expect(most).toBeLessThanOrEqual(5);
  });

  it('goes on after every item in flight was written at once (no lost wake-up)', async () => {
    // Work that finishes before the next pull: the queue empties between rounds.
    const written: number[] = [];
    const outcome = await Promise.race([
      runInOrder({
        source: numbers(40),
        work: async (i) => i,
        write: async (i) => void written.push(i),
        slots: createLimiter({ initial: 3, max: 3 }),
        window: 16,
        stop: new AbortController().signal,
      }),
      sleep(2000).then(() => 'hung'),
    ]);
    expect([outcome, written.length]).toEqual(['done', 40]);
  });

  it('writes what came before a failure, then raises it', async () => {
    const written: number[] = [];
    const run = runInOrder({
      source: numbers(20),
      work: async (i) => {
        if (i === 7) throw new Error('model mismatch');
        return i;
      },
      write: async (i) => void written.push(i),
      slots: createLimiter({ initial: 4, max: 4 }),
      window: 8,
      stop: new AbortController().signal,
    });
    await expect(run).rejects.toThrow('model mismatch');
    expect(written).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('on stop, starts nothing more and ends with a whole prefix written', async () => {
    const stop = new AbortController();
    const written: number[] = [];
    let started = 0;
    const outcome = await runInOrder({
      source: numbers(1000),
      work: async (i) => {
        started++;
        if (i === 10) stop.abort();
        if ((await sleep(i % 3 === 0 ? 20 : 1, i > 10 ? stop.signal : undefined)) === 'aborted') throw new Interrupted();
        return i;
      },
      write: async (i) => void written.push(i),
      slots: createLimiter({ initial: 4, max: 4 }),
      window: 8,
      stop: stop.signal,
    });
    expect(outcome).toBe('stopped');
    expect(started).toBeLessThan(20);
    expect(written).toEqual([...Array(written.length).keys()]);
    expect(written.length).toBeGreaterThanOrEqual(11);
  });
});
