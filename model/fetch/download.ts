/**
 * @module fetch/download
 * Downloads one file into `<file>.part`, resuming from whatever an earlier attempt left there.
 * Chunks are written and awaited one by one, so when the connection drops every byte read so
 * far is on disk and the next attempt asks for exactly the rest with `Range: bytes=N-`.
 */
import { open as openFile, rm, stat } from 'node:fs/promises';
import { HttpError, IncompleteError } from './errors.ts';
import type { Progress } from './progress.ts';

export interface DownloadOptions {
  partPath: string;
  /** Size the Hub announced; lets a finished .part skip the request and a short body be caught. */
  expectedSize?: number;
  /** Requests the remote file from `offset` on (with a Range header when offset > 0). */
  request: (offset: number) => Promise<Response>;
  /** Starts a progress display for one attempt; `start` is the byte count already on disk. */
  track: (start: number) => Progress;
}

/** One attempt; throws IncompleteError (retryable) when the body ends before the expected size. */
export async function downloadToPart(options: DownloadOptions): Promise<void> {
  const offset = await resumeOffset(options.partPath, options.expectedSize);
  if (offset > 0 && offset === options.expectedSize) return;
  const response = await options.request(offset);
  if (response.status === 416) {
    // The .part is longer than the remote file (it changed, or size was unknown): start over.
    await response.body?.cancel();
    await rm(options.partPath, { force: true });
    throw new IncompleteError(`server refused to resume at byte ${offset}; starting over`);
  }
  const from = startOf(response, offset);
  const progress = options.track(from);
  let written: number;
  try {
    written = await writeBody(response, options.partPath, from, (done) => progress.update(done));
  } finally {
    progress.finish();
  }
  if (options.expectedSize !== undefined && written < options.expectedSize) {
    throw new IncompleteError(`connection closed after ${written} of ${options.expectedSize} bytes`);
  }
}

/** Bytes already in the .part worth keeping; a .part longer than the file is garbage. */
async function resumeOffset(partPath: string, expectedSize: number | undefined): Promise<number> {
  const size = await stat(partPath).then(
    (stats) => stats.size,
    () => 0,
  );
  if (expectedSize !== undefined && size > expectedSize) {
    await rm(partPath, { force: true });
    return 0;
  }
  return size;
}

/**
 * Where the body starts: a 206 continues the .part, any 200 is the whole file again (servers
 * may ignore Range), so the .part is rewritten from 0.
 */
function startOf(response: Response, offset: number): number {
  if (response.status !== 206) return 0;
  const start = Number(/^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1] ?? offset);
  if (start !== offset) {
    throw new HttpError(206, `asked to resume at byte ${offset}, server answered from byte ${start}`);
  }
  return offset;
}

/** Appends (or, from 0, truncates and writes) the body; returns the .part size afterwards. */
async function writeBody(response: Response, partPath: string, from: number, onBytes: (done: number) => void): Promise<number> {
  const file = await openFile(partPath, from > 0 ? 'a' : 'w');
  let done = from;
  try {
    const reader = response.body?.getReader();
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
      await file.write(chunk.value);
      done += chunk.value.byteLength;
      onBytes(done);
    }
  } finally {
    await file.close();
  }
  return done;
}
