/**
 * @module timing
 * Turns per-call latencies into the figures the benchmark reports: median latency and
 * texts per second over the time the calls themselves took (not wall time, which in an
 * interleaved run also holds the other side's calls).
 */
import { median } from '../lib/statistics.ts';

export interface Timing {
  calls: number;
  texts: number;
  totalMs: number;
  p50Ms: number;
  textsPerSecond: number;
}

/** `texts`: how many texts the calls classified in all (the call count for single texts). */
export function summarise(latenciesMs: readonly number[], texts: number): Timing {
  const totalMs = latenciesMs.reduce((sum, ms) => sum + ms, 0);
  return {
    calls: latenciesMs.length,
    texts,
    totalMs,
    p50Ms: median(latenciesMs),
    textsPerSecond: texts / (totalMs / 1000),
  };
}

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
