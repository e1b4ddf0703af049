/**
 * @module memory
 * Replica memory around a fuzz run: resident memory after a warm-up and a quiet spell, the
 * peak during the run, and again after the run once the replicas had the same quiet spell
 * (a few ordinary requests, then nothing, so V8 and the allocator can give memory back).
 * Growth past the tolerance, still there after every settle attempt, is a failure.
 */
import { sleep } from '../../lib/wait.ts';
import type { Stack } from '../../stack/stack.ts';
import { replicaRss } from '../processes.ts';

export interface MemoryOptions {
  /** Allowed growth of each replica's RSS, as a fraction (0.10 = 10%). */
  tolerance: number;
  /** Quiet time over which the resting RSS is taken. */
  settleMs: number;
  /** After the run, quiet spells of settleMs to wait at most for memory to come back. */
  settleTries: number;
}

/** 45 s of quiet: each replica makes its compacting idle collection 5 s into it (IDLE_GC_MS). */
export const DEFAULT_MEMORY: MemoryOptions = { tolerance: 0.1, settleMs: 45_000, settleTries: 1 };

export interface ReplicaMemory {
  name: string;
  beforeBytes: number;
  peakBytes: number;
  afterBytes: number;
  /** afterBytes / beforeBytes - 1. */
  growth: number;
}

/**
 * Each replica's resting RSS: one ordinary request each, then the lowest VmRSS sampled every
 * second over `settleMs` of quiet. A replica keeps the heap it grew under load until it has
 * been idle for IDLE_GC_MS (memory/idle-gc.ts in functions/), so one sample taken before that
 * can catch the same process 50 MB apart: the floor over a quiet spell is what the process
 * really holds. `enough` ends the spell early once it is met.
 */
export async function restingRss(stack: Stack, settleMs: number, enough: (rss: number[]) => boolean = () => false): Promise<number[]> {
  for (let i = 0; i < stack.replicas.length; i++) {
    const res = await fetch(`${stack.url}/api/v1/classify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'a quiet, ordinary message' }),
    });
    await res.arrayBuffer();
  }
  const floor = stack.replicas.map(() => Number.POSITIVE_INFINITY);
  for (const deadline = Date.now() + settleMs; Date.now() < deadline && !enough(floor); ) {
    await sleep(1000);
    stack.replicas.forEach((r, i) => {
      floor[i] = Math.min(floor[i]!, replicaRss(r));
    });
  }
  return floor;
}

/** Samples every replica's RSS each second until stopped; keeps the highest. */
export function samplePeaks(stack: Stack): { stop(): number[] } {
  const peaks = stack.replicas.map(() => 0);
  const sample = () =>
    stack.replicas.forEach((r, i) => {
      peaks[i] = Math.max(peaks[i]!, replicaRss(r));
    });
  sample();
  const timer = setInterval(sample, 1000);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

/** Resting RSS after the run: quiet until every replica is within tolerance of `before`, or the tries run out. */
export async function memoryAfter(stack: Stack, before: number[], peaks: number[], o: MemoryOptions): Promise<{ replicas: ReplicaMemory[]; problems: string[] }> {
  const within = (rss: number[]) => rss.every((r, i) => r <= before[i]! * (1 + o.tolerance));
  const after = await restingRss(stack, o.settleMs * o.settleTries, within);
  const replicas = stack.replicas.map((r, i) => ({
    name: r.process.name,
    beforeBytes: before[i]!,
    peakBytes: Math.max(peaks[i]!, after[i]!),
    afterBytes: after[i]!,
    growth: after[i]! / before[i]! - 1,
  }));
  const problems = replicas
    .filter((m) => !(m.growth <= o.tolerance))
    .map((m) => `${m.name} RSS ${mib(m.beforeBytes)} → ${mib(m.afterBytes)} MiB (+${(m.growth * 100).toFixed(1)}%, allowed ${o.tolerance * 100}%)`);
  return { replicas, problems };
}

export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
