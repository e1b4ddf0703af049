import { describe, expect, it } from 'vitest';
import { createProgress, formatBar, formatDuration, formatLine, progressMode } from './progress.ts';

describe('progress', () => {
  it('formats durations in s, m and h', () => {
    expect([4.4, 75, 3725, Infinity].map(formatDuration)).toEqual(['4s', '1m15s', '1h02m', '?']);
  });

  it('shows share, rows, rate and time left from the bytes consumed', () => {
    const state = { rows: 1200, bytes: 50, totalBytes: 100, rowsPerSecond: 98.2, bytesPerSecond: 5 };
    expect(formatBar(state)).toBe('[############------------]  50.0%  1,200 rows  98 rows/s  10s left');
    expect(formatLine(state)).toBe('score: 1,200 rows (50.0%), 98 rows/s, about 10s left');
  });

  it('counts rates from where a resumed run began, and writes plain lines only every 10 s', () => {
    let clock = 0;
    const written: string[] = [];
    const progress = createProgress({ output: { write: (t) => written.push(t) }, mode: 'lines', totalBytes: 1000, now: () => clock });
    progress.begin(500, 500);
    clock = 5_000;
    progress.update(600, 600);
    expect(written).toEqual([]);
    clock = 10_000;
    progress.update(700, 700);
    expect(written).toEqual(['score: 700 rows (70.0%), 20 rows/s, about 15s left\n']);
  });

  it('draws a bar on a terminal and plain lines elsewhere, unless told', () => {
    expect(progressMode('auto', { write: () => 0, isTTY: true })).toBe('bar');
    expect(progressMode('auto', { write: () => 0 })).toBe('lines');
    expect(progressMode('none', { write: () => 0, isTTY: true })).toBe('none');
  });
});
