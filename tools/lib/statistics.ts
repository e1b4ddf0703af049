/**
 * @module statistics
 * The one percentile the tools report (load summaries, soak minutes, benchmark medians, fault
 * tests, page timings): linear interpolation between closest ranks, as k6's trend percentiles,
 * so the Node driver and k6 give the same figure for the same samples.
 */

/**
 * The p-th percentile (0 to 100) of `values`, in any order; NaN for none.
 * @example
 * percentile([40, 10, 30, 20], 50); // → 25
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** The arithmetic mean; NaN for none. */
export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The 50th percentile; throws for no values, where a report would otherwise print NaN. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  return percentile(values, 50);
}
