/**
 * @module text-plan
 * Turns one text into the model work that scores it: the token sequences to run, which of
 * them give the text's score (the maximum per label over them) and which give each sentence's.
 *
 * A text the model takes whole is one sequence. A longer one is cut at sentence boundaries
 * into chunks of whole sentences, each as long as the model takes, so no sentence is cut and no
 * token is scored twice (a sentence longer than a chunk is scored in overlapping windows of
 * its own). With spans, each sentence is also scored alone, except where that sequence is one
 * the text already runs (a one-sentence text, a chunk that is one sentence): it is scored once.
 */
import { splitSentences, type SentenceRange } from './sentences.ts';
import { splitIntoWindows } from './windows.ts';

export interface Tokenization {
  /** Longest sequence the model takes, special tokens included. */
  maxTokens: number;
  encode(text: string): number[];
  wrap(contentIds: readonly number[]): number[];
}

export interface TextPlan {
  /** Tokens the model sees for the whole text, special tokens included, before any cutting. */
  tokens: number;
  /** Sequences to score, each once. */
  sequences: number[][];
  /** Indices into `sequences` whose maximum is the text's score; more than one when cut. */
  textPieces: number[];
  /** Each sentence with the indices of its pieces (when spans were asked for). */
  spans?: { range: SentenceRange; pieces: number[] }[];
}

/** Tokens shared by neighbouring windows of a sentence longer than the model takes. */
const WINDOW_OVERLAP = 128;

/** Model work of a plan: tokens of every sequence, special tokens included. */
export const planCost = (plan: TextPlan) => plan.sequences.reduce((sum, s) => sum + s.length, 0);

/**
 * @example
 * const plan = planText('You idiot. Nice day!', true, model);
 * // plan.sequences: the text, then each sentence; plan.spans[0].pieces → [1]
 */
export function planText(text: string, spans: boolean, tokenization: Tokenization): TextPlan {
  const windowSize = tokenization.maxTokens - 2;
  const overlap = Math.min(WINDOW_OVERLAP, Math.floor(windowSize / 2));
  const sequences: number[][] = [];
  const known = new Map<string, number>();
  /** Adds a sequence unless an identical one is already planned; returns its index. */
  const add = (contentIds: readonly number[]): number => {
    const key = contentIds.join(',');
    let index = known.get(key);
    if (index === undefined) {
      index = sequences.push(tokenization.wrap(contentIds)) - 1;
      known.set(key, index);
    }
    return index;
  };
  /** One sequence, or overlapping windows when longer than the model takes. */
  const pieces = (ids: readonly number[]) => splitIntoWindows(ids, { size: windowSize, overlap }).map(add);

  const ids = tokenization.encode(text);
  const long = ids.length > windowSize;
  const ranges = spans || long ? splitSentences(text) : [];
  const sentenceIds = ranges.map((r) => tokenization.encode(text.slice(r.begin, r.end)));

  let textPieces: number[];
  if (!long) {
    textPieces = [add(ids)];
  } else {
    textPieces = [];
    let chunk: number[] = [];
    const flush = () => {
      if (chunk.length > 0) textPieces.push(add(chunk));
      chunk = [];
    };
    for (const sentence of sentenceIds) {
      if (sentence.length > windowSize) {
        flush();
        textPieces.push(...pieces(sentence));
      } else {
        if (chunk.length + sentence.length > windowSize) flush();
        chunk.push(...sentence);
      }
    }
    flush();
  }

  const plan: TextPlan = { tokens: ids.length + 2, sequences, textPieces };
  if (spans) {
    plan.spans = ranges.length === 1
      ? [{ range: ranges[0]!, pieces: textPieces }]
      : ranges.map((range, i) => ({ range, pieces: pieces(sentenceIds[i]!) }));
  }
  return plan;
}
