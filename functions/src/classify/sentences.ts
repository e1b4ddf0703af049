/**
 * @module sentences
 * Finds sentence boundaries with character offsets into the original text, so the page can
 * highlight the sentences that carry a score. Offsets are UTF-16 code-unit indices (what
 * JavaScript's `String.prototype.slice` takes), surrounding whitespace excluded.
 */

export interface SentenceRange {
  begin: number;
  end: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * @example
 * splitSentences('You idiot. Nice day!') // → [{ begin: 0, end: 10 }, { begin: 11, end: 20 }]
 */
export function splitSentences(text: string): SentenceRange[] {
  const ranges: SentenceRange[] = [];
  for (const { segment, index } of segmenter.segment(text)) {
    const lead = segment.length - segment.trimStart().length;
    const trimmed = segment.trim();
    if (trimmed.length > 0) ranges.push({ begin: index + lead, end: index + lead + trimmed.length });
  }
  return ranges;
}
