/**
 * @module interleave
 * Runs two (or more) ways of doing the same work over the same items in alternating rounds,
 * A B then B A, so that a noisy neighbour on a shared machine slows both sides alike and a
 * ratio between them stays meaningful even when absolute figures drift.
 */

/** Does one side's work for item `index`; only its duration is kept. */
export type Side = (index: number) => Promise<unknown>;

/** Returns one list of per-call latencies (ms) per side, in the order of `sides`. */
export async function interleave(sides: readonly Side[], items: number, roundSize: number): Promise<number[][]> {
  const latencies = sides.map((): number[] => []);
  for (let start = 0, round = 0; start < items; start += roundSize, round++) {
    const end = Math.min(items, start + roundSize);
    // Reversing every other round cancels any advantage of going first (warm caches, turbo).
    const order = sides.map((_, s) => s);
    if (round % 2 === 1) order.reverse();
    for (const s of order) {
      for (let i = start; i < end; i++) {
        const began = performance.now();
        await sides[s]!(i);
        latencies[s]!.push(performance.now() - began);
      }
    }
  }
  return latencies;
}
