/**
 * @module resume
 * Where an interrupted run stopped: the rows its output holds, whole and in order from row 1,
 * and the byte where they end. Whatever follows (a row a killed process was writing) is cut
 * off before appending, so the continued file has exactly one row per input row.
 */
import { open } from 'node:fs/promises';
import { EXIT, ScoreError } from '../exit-codes.ts';
import { count, createTally, type Tally } from '../tally.ts';
import type { RowFormat, WrittenRow } from './row-format.ts';

export interface Existing {
  /** Whole rows, numbered 1 to `rows`. */
  rows: number;
  /** Bytes they take, header included; 0 when there are none (the file is then written afresh). */
  bytes: number;
  tally: Tally;
}

/**
 * More than this after the last whole row is not a row cut short by a kill (one row is at most
 * a few KiB); the file is then left alone.
 */
const MAX_CUT_BYTES = 1024 * 1024;

async function sizeAndLastByte(file: string): Promise<{ size: number; last: number | undefined }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return { size, last: undefined };
    const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
    return { size, last: buffer[0] };
  } finally {
    await handle.close();
  }
}

/**
 * @example
 * const { rows, bytes } = await readExisting('scores.csv', csvRows(true)); // truncate to bytes, skip `rows` input rows
 */
export async function readExisting(file: string, format: RowFormat): Promise<Existing> {
  const { size, last } = await sizeAndLastByte(file);
  const tally = createTally();
  let rows = 0;
  let bytes = 0;
  let before = 0;
  let held: WrittenRow | undefined;
  for await (const written of format.readBack(file)) {
    if ('broken' in written) break;
    if (written.row !== rows + 1) {
      throw new ScoreError(EXIT.output, `${file}: row ${written.row} follows row ${rows}; it was not written by this command, or was edited`);
    }
    // Counted once it is known to be whole: only the last row can have been cut short.
    if (held) count(tally, held);
    held = written;
    rows++;
    before = bytes;
    bytes = written.end;
  }
  // A last row that ends the file without its line break was being written when the run stopped.
  if (held && held.end === size && last !== 0x0a) {
    rows--;
    bytes = before;
    held = undefined;
  }
  if (held) count(tally, held);
  if (rows === 0) bytes = 0;
  if (size - bytes > MAX_CUT_BYTES) {
    throw new ScoreError(EXIT.output, `${file}: after row ${rows} it holds ${size - bytes} bytes that are not whole rows; it was not written by this command, or was edited`);
  }
  return { rows, bytes, tally };
}
