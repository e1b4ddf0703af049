/**
 * @module fetch/progress
 * A download progress line on stderr: bytes, percent, rate and ETA. On a terminal one line is
 * redrawn in place with \r; in CI logs, where \r piles up into one huge line, a plain line is
 * written every few seconds instead, plus one when the file is done.
 */

/** Where progress goes: process.stderr, or a collector in tests. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressState {
  label: string;
  /** Bytes on disk, including those kept from an earlier, interrupted run. */
  done: number;
  total?: number;
  /** Bytes per second over this run only, so a resumed file does not look impossibly fast. */
  rate: number;
}

export interface Progress {
  update(done: number): void;
  finish(): void;
}

const TTY_INTERVAL_MS = 100;
const LOG_INTERVAL_MS = 5_000;

/**
 * @example
 * formatProgress({ label: 'onnx/model.onnx', done: 52_428_800, total: 104_857_600, rate: 10_485_760 })
 * // → 'onnx/model.onnx  50.0 MiB / 100.0 MiB  50.0%  10.0 MiB/s  ETA 5s'
 */
export function formatProgress(state: ProgressState): string {
  const parts = [state.label];
  if (state.total !== undefined && state.total > 0) {
    parts.push(`${formatBytes(state.done)} / ${formatBytes(state.total)}`, `${((100 * state.done) / state.total).toFixed(1)}%`);
  } else {
    parts.push(formatBytes(state.done));
  }
  parts.push(`${formatBytes(state.rate)}/s`);
  if (state.total !== undefined && state.rate > 0 && state.done < state.total) {
    parts.push(`ETA ${formatDuration((state.total - state.done) / state.rate)}`);
  }
  return parts.join('  ');
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `start` is the byte count already on disk when this run began (a resumed .part). */
export function createProgress(options: {
  output: ProgressOutput;
  label: string;
  total?: number;
  start?: number;
  now?: () => number;
}): Progress {
  const now = options.now ?? Date.now;
  const startBytes = options.start ?? 0;
  const startedAt = now();
  const interval = options.output.isTTY ? TTY_INTERVAL_MS : LOG_INTERVAL_MS;
  let lastDrawn = startedAt;
  let done = startBytes;

  const line = (): string => {
    const seconds = (now() - startedAt) / 1000;
    const rate = seconds > 0 ? (done - startBytes) / seconds : 0;
    return formatProgress({ label: options.label, done, total: options.total, rate });
  };
  const draw = (final: boolean): void => {
    // \x1b[K clears what a longer previous line left behind.
    if (options.output.isTTY) options.output.write(`\r${line()}\x1b[K${final ? '\n' : ''}`);
    else options.output.write(`${line()}\n`);
  };

  return {
    update(bytes) {
      done = bytes;
      if (now() - lastDrawn < interval) return;
      lastDrawn = now();
      draw(false);
    },
    finish() {
      draw(true);
    },
  };
}
