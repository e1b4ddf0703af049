/**
 * @module lines
 * A file's lines with the byte offset where each ends, read as a stream: strict UTF-8 (a
 * broken byte is an error naming the line, not a silent U+FFFD in someone's data), LF or CRLF,
 * a leading byte-order mark dropped, and no empty last line for a final line break.
 */
import { createReadStream } from 'node:fs';
import { EXIT, ScoreError } from '../exit-codes.ts';

export interface Line {
  text: string;
  /** From 1. */
  number: number;
  /** Bytes of the file through this line's line break. */
  end: number;
}

/** Memory stays flat only if no line may grow without bound. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * @example
 * for await (const { text, number } of readLines('texts.txt')) console.log(number, text.length);
 */
export async function* readLines(file: string): AsyncGenerator<Line> {
  // Each line is decoded alone, so the byte-order mark is dropped by hand, from line 1 only.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let number = 0;
  /** Bytes of the file before `carry`. */
  let offset = 0;
  let carry: Buffer = Buffer.alloc(0);

  const decode = (bytes: Buffer): string => {
    try {
      let text = decoder.decode(bytes);
      if (number === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      return text.endsWith('\r') ? text.slice(0, -1) : text;
    } catch {
      throw new ScoreError(EXIT.input, `${file}: line ${number} is not valid UTF-8`);
    }
  };

  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) {
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let newline = buffer.indexOf(10); newline !== -1; newline = buffer.indexOf(10, start)) {
      number++;
      yield { text: decode(buffer.subarray(start, newline)), number, end: offset + newline + 1 };
      start = newline + 1;
    }
    offset += start;
    // Copied, so the rest of a large chunk is not kept alive by a short tail.
    carry = Buffer.from(buffer.subarray(start));
    if (carry.length > MAX_LINE_BYTES) throw new ScoreError(EXIT.input, `${file}: line ${number + 1} is longer than 16 MiB`);
  }
  if (carry.length > 0) {
    number++;
    yield { text: decode(carry), number, end: offset + carry.length };
  }
}
