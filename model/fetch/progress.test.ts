import { describe, expect, it } from 'vitest';
import { createProgress, formatProgress } from './progress.ts';

const MiB = 1024 * 1024;

describe('formatProgress', () => {
  it('shows bytes, percent, rate and ETA', () => {
    expect(formatProgress({ label: 'onnx/model.onnx', done: 50 * MiB, total: 100 * MiB, rate: 10 * MiB })).toBe(
      'onnx/model.onnx  50.0 MiB / 100.0 MiB  50.0%  10.0 MiB/s  ETA 5s',
    );
  });

  it('leaves out percent and ETA when the size is unknown', () => {
    expect(formatProgress({ label: 'config.json', done: 700, rate: 0 })).toBe('config.json  700 B  0 B/s');
  });
});

function fakeOutput(isTTY: boolean) {
  const output = { isTTY, text: '', write: (text: string) => void (output.text += text) };
  return output;
}

describe('createProgress', () => {
  it('redraws one line with \\r on a terminal and ends it with a newline', () => {
    let clock = 0;
    const output = fakeOutput(true);
    const progress = createProgress({ output, label: 'f', total: 4 * MiB, now: () => clock });
    clock = 1000;
    progress.update(MiB);
    clock = 1050;
    progress.update(2 * MiB); // within 100 ms of the last draw: skipped
    clock = 2000;
    progress.update(4 * MiB);
    progress.finish();

    expect(output.text.split('\r').slice(1)).toEqual([
      'f  1.0 MiB / 4.0 MiB  25.0%  1.0 MiB/s  ETA 3s\x1b[K',
      'f  4.0 MiB / 4.0 MiB  100.0%  2.0 MiB/s\x1b[K',
      'f  4.0 MiB / 4.0 MiB  100.0%  2.0 MiB/s\x1b[K\n',
    ]);
  });

  it('writes a plain line every few seconds in a log, counting the rate from the resume point', () => {
    let clock = 0;
    const output = fakeOutput(false);
    const progress = createProgress({ output, label: 'f', total: 10 * MiB, start: 5 * MiB, now: () => clock });
    clock = 1000;
    progress.update(6 * MiB); // too soon for a log line
    clock = 5000;
    progress.update(10 * MiB);
    progress.finish();

    expect(output.text).not.toContain('\r');
    expect(output.text.trimEnd().split('\n')).toEqual([
      'f  10.0 MiB / 10.0 MiB  100.0%  1.0 MiB/s',
      'f  10.0 MiB / 10.0 MiB  100.0%  1.0 MiB/s',
    ]);
  });
});
