import { describe, expect, it } from 'vitest';
import { splitIntoWindows } from './windows.ts';

describe('splitIntoWindows', () => {
  const ids = Array.from({ length: 10 }, (_, i) => i);

  it('keeps a sequence that fits as one window', () => {
    expect(splitIntoWindows(ids, { size: 10, overlap: 3 })).toEqual([ids]);
    expect(splitIntoWindows([], { size: 10, overlap: 3 })).toEqual([[]]);
  });

  it('cuts a long sequence into full windows that overlap and cover every token', () => {
    const windows = splitIntoWindows(ids, { size: 4, overlap: 1 });
    expect(windows).toEqual([
      [0, 1, 2, 3],
      [3, 4, 5, 6],
      [6, 7, 8, 9],
    ]);
  });

  it('aligns the last window to the end instead of leaving a short tail', () => {
    const windows = splitIntoWindows(ids, { size: 4, overlap: 0 });
    expect(windows.at(-1)).toEqual([6, 7, 8, 9]);
    expect(windows.every((w) => w.length === 4)).toBe(true);
    expect(new Set(windows.flat())).toEqual(new Set(ids));
  });

  it('covers a 2,000-token text with 510-token windows overlapping by at least 128', () => {
    const long = Array.from({ length: 2000 }, (_, i) => i);
    const windows = splitIntoWindows(long, { size: 510, overlap: 128 });
    expect(windows.every((w) => w.length === 510)).toBe(true);
    expect(windows[0]![0]).toBe(0);
    expect(windows.at(-1)!.at(-1)).toBe(1999);
    for (let i = 1; i < windows.length; i++) {
      const shared = windows[i - 1]!.at(-1)! - windows[i]![0]! + 1;
      expect(shared).toBeGreaterThanOrEqual(128);
    }
  });

  it('refuses options that would never finish', () => {
    expect(() => splitIntoWindows(ids, { size: 4, overlap: 4 })).toThrow(RangeError);
    expect(() => splitIntoWindows(ids, { size: 0, overlap: 0 })).toThrow(RangeError);
  });
});
