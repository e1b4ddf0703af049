/**
 * @module windows
 * Splits a long token sequence into overlapping windows the model can take. A text longer than
 * the model's 512 tokens is scored window by window and the maximum per label is reported, so
 * toxicity at the end of a long text is not cut off.
 */

export interface WindowOptions {
  /** Content tokens per window (the model's maximum minus its special tokens). */
  size: number;
  /** Tokens shared by neighbouring windows, so a phrase on a boundary is seen whole once. */
  overlap: number;
}

/**
 * @example
 * splitIntoWindows([1, 2, 3, 4, 5], { size: 3, overlap: 1 }) // → [[1, 2, 3], [3, 4, 5]]
 */
export function splitIntoWindows<T>(ids: readonly T[], { size, overlap }: WindowOptions): T[][] {
  if (size < 1 || overlap < 0 || overlap >= size) {
    throw new RangeError(`window size ${size} and overlap ${overlap} do not make progress`);
  }
  if (ids.length <= size) return [ids.slice()];
  const step = size - overlap;
  const windows: T[][] = [];
  for (let start = 0; ; start += step) {
    // The last window is aligned to the end so it is full-sized rather than a short tail.
    const begin = Math.min(start, ids.length - size);
    windows.push(ids.slice(begin, begin + size));
    if (begin + size >= ids.length) return windows;
  }
}
