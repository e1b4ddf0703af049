/**
 * @module vocab
 * Builds the WordPiece vocabulary from the training tweets. The words are split here the way the
 * tokenizer.json we ship splits them (BertNormalizer, then BertPreTokenizer), so that the counted
 * words are the ones the tokenizer will later look up.
 */

/** Special tokens and their fixed ids 0..4 (bert-base uses 0 and 100..103; our vocab is small). */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Same character class as the BertPreTokenizer in @huggingface/tokenizers: Unicode P plus ASCII symbols. */
const PUNCT = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PRE_TOKEN = new RegExp(`[^\\s${PUNCT}]+|[${PUNCT}]`, 'gu');

function isChinese(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** BertNormalizer with clean_text, handle_chinese_chars, lowercase and (implied) accent stripping. */
export function normalize(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0 || cp === 0xfffd || (/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u.test(ch) && !/[\t\n\r]/.test(ch))) continue;
    if (/\s/u.test(ch)) out += ' ';
    else if (isChinese(cp)) out += ` ${ch} `;
    else out += ch;
  }
  return out.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
}

/** BertPreTokenizer: runs of non-space non-punctuation, and each punctuation character alone. */
export function preTokenize(normalized: string): string[] {
  return normalized.trim().match(PRE_TOKEN) ?? [];
}

export interface VocabOptions {
  /** A whole word enters the vocab if it occurs at least this often. */
  minWordCount: number;
  /** Characters seen at least this often get a start and a "##" piece (all printable ASCII always do). */
  minCharCount: number;
  /** How many "##" continuation pieces (2 to maxPieceLength characters) to add for rare words. */
  continuationPieces: number;
  maxPieceLength: number;
  /** Hard cap on the number of whole words, most frequent first. */
  maxWords: number;
}

/** Frequency order, ties by code point order (not localeCompare) so the result is the same everywhere. */
function byCountThenText(counts: Map<string, number>): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([token]) => token);
}

function bump(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/**
 * Returns the vocab as a token list whose index is the token id: special tokens, single characters
 * and their "##" forms (so ASCII text never becomes [UNK]), frequent whole words, then the most
 * frequent continuation pieces inside rare words, so that unseen spellings (lmaooo, fuckboy) split
 * into meaningful pieces instead of single letters.
 */
export function buildVocab(texts: readonly string[], opts: VocabOptions): string[] {
  const wordCounts = new Map<string, number>();
  for (const text of texts) for (const w of preTokenize(normalize(text))) bump(wordCounts, w);

  const charCounts = new Map<string, number>();
  for (const [w, n] of wordCounts) for (const ch of w) bump(charCounts, ch, n);
  for (let cp = 0x21; cp <= 0x7e; cp++) {
    const ch = String.fromCharCode(cp);
    // Upper-case letters never survive the lowercasing normalizer.
    if (ch >= 'A' && ch <= 'Z') continue;
    charCounts.set(ch, Math.max(charCounts.get(ch) ?? 0, opts.minCharCount));
  }
  const chars = byCountThenText(charCounts).filter((ch) => (charCounts.get(ch) ?? 0) >= opts.minCharCount);

  const frequentWords = byCountThenText(wordCounts)
    .filter((w) => (wordCounts.get(w) ?? 0) >= opts.minWordCount && [...w].length <= 100)
    .slice(0, opts.maxWords);
  const known = new Set(frequentWords);

  const pieceCounts = new Map<string, number>();
  for (const [w, n] of wordCounts) {
    if (known.has(w)) continue;
    const cps = [...w];
    for (let start = 1; start < cps.length; start++) {
      for (let len = 2; len <= opts.maxPieceLength && start + len <= cps.length; len++) {
        bump(pieceCounts, `##${cps.slice(start, start + len).join('')}`, n);
      }
    }
  }
  const pieces = byCountThenText(pieceCounts).slice(0, opts.continuationPieces);

  const vocab: string[] = [];
  const seen = new Set<string>();
  const add = (token: string): void => {
    if (!seen.has(token)) {
      seen.add(token);
      vocab.push(token);
    }
  };
  for (const t of SPECIAL_TOKENS) add(t);
  for (const ch of chars) add(ch);
  for (const ch of chars) add(`##${ch}`);
  for (const w of frequentWords) add(w);
  for (const p of pieces) add(p);
  return vocab;
}
