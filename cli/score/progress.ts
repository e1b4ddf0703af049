/**
 * @module progress
 * How far a run is, on stderr: on a terminal a bar redrawn in place (rows, rows per second,
 * time left); otherwise, as in CI logs or when piped, a plain line now and then. Time left comes
 * from the bytes of the input consumed, since the number of rows is not known before the end.
 */

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type ProgressMode = 'bar' | 'lines' | 'none';

export interface ProgressState {
  /** Rows written, earlier runs' included. */
  rows: number;
  /** Input bytes through the last row written, and the input's size. */
  bytes: number;
  totalBytes: number;
  /** Rows and bytes per second over this run only, so a resumed run does not look impossibly fast. */
  rowsPerSecond: number;
  bytesPerSecond: number;
  /** The service's last reason to retry, while it is recent. */
  waiting?: string;
}

const BAR_INTERVAL_MS = 200;
const LINE_INTERVAL_MS = 10_000;
const BAR_WIDTH = 24;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function figures(state: ProgressState): { percent: number; rate: string; left: string } {
  const share = state.totalBytes > 0 ? Math.min(1, state.bytes / state.totalBytes) : 1;
  const left = state.bytesPerSecond > 0 ? formatDuration((state.totalBytes - state.bytes) / state.bytesPerSecond) : '?';
  return { percent: share * 100, rate: `${state.rowsPerSecond.toFixed(state.rowsPerSecond < 10 ? 1 : 0)} rows/s`, left };
}

/**
 * @example
 * formatBar({ rows: 1200, bytes: 50, totalBytes: 100, rowsPerSecond: 98, bytesPerSecond: 5 })
 * // → '[############------------]  50.0%  1,200 rows  98 rows/s  10s left'
 */
export function formatBar(state: ProgressState): string {
  const { percent, rate, left } = figures(state);
  const filled = Math.round((percent / 100) * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const waiting = state.waiting ? `  waiting: ${state.waiting}` : '';
  return `${bar} ${percent.toFixed(1).padStart(5)}%  ${state.rows.toLocaleString('en')} rows  ${rate}  ${left} left${waiting}`;
}

/**
 * @example
 * formatLine({ rows: 1200, bytes: 50, totalBytes: 100, rowsPerSecond: 98, bytesPerSecond: 5 })
 * // → 'score: 1,200 rows (50.0%), 98 rows/s, about 10s left'
 */
export function formatLine(state: ProgressState): string {
  const { percent, rate, left } = figures(state);
  const waiting = state.waiting ? `; retrying: ${state.waiting}` : '';
  return `score: ${state.rows.toLocaleString('en')} rows (${percent.toFixed(1)}%), ${rate}, about ${left} left${waiting}`;
}

export interface Progress {
  /** Where this run starts (after what a resumed output already holds); rates count from here. */
  begin(rows: number, bytes: number): void;
  /** After each batch is written. */
  update(rows: number, bytes: number): void;
  /** The service asked to wait or failed; shown until the next write. */
  retrying(why: string): void;
  /** Clears the bar (the summary follows). */
  finish(): void;
}

export function progressMode(requested: 'auto' | ProgressMode, output: ProgressOutput): ProgressMode {
  if (requested !== 'auto') return requested;
  return output.isTTY ? 'bar' : 'lines';
}

/**
 * @example
 * const progress = createProgress({ output: process.stderr, mode: 'bar', totalBytes: 1e6 });
 * progress.begin(0, 0); progress.update(32, 4096); … progress.finish();
 */
export function createProgress(options: { output: ProgressOutput; mode: ProgressMode; totalBytes: number; now?: () => number }): Progress {
  const now = options.now ?? (() => performance.now());
  const interval = options.mode === 'bar' ? BAR_INTERVAL_MS : LINE_INTERVAL_MS;
  let began = now();
  let last = began;
  let start = { rows: 0, bytes: 0 };
  let state: ProgressState = { rows: 0, bytes: 0, totalBytes: options.totalBytes, rowsPerSecond: 0, bytesPerSecond: 0 };
  let drawn = false;

  const draw = () => {
    if (options.mode === 'bar') {
      const line = formatBar(state);
      const width = options.output.columns ?? 120;
      options.output.write(`\r${line.length >= width ? line.slice(0, width - 1) : line}\x1b[K`);
      drawn = true;
    } else if (options.mode === 'lines') {
      options.output.write(`${formatLine(state)}\n`);
    }
  };

  return {
    begin(rows, bytes) {
      began = now();
      last = began;
      start = { rows, bytes };
      state = { ...state, rows, bytes };
    },
    update(rows, bytes) {
      const t = now();
      const seconds = (t - began) / 1000;
      state = {
        ...state,
        rows,
        bytes,
        rowsPerSecond: seconds > 0 ? (rows - start.rows) / seconds : 0,
        bytesPerSecond: seconds > 0 ? (bytes - start.bytes) / seconds : 0,
        waiting: undefined,
      };
      if (t - last >= interval) {
        last = t;
        draw();
      }
    },
    retrying(why) {
      state = { ...state, waiting: why };
      if (options.mode === 'bar') draw();
    },
    finish() {
      if (drawn) options.output.write('\r\x1b[K');
    },
  };
}
