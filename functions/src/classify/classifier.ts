/**
 * @module classifier
 * Classifies texts: tokenises each one, scores it (in overlapping windows when it is longer
 * than the model takes), applies the threshold, and optionally scores each sentence so callers
 * can see which sentences carry the score. Knows nothing about HTTP.
 */
import { LABELS, toLabelScores, type Label, type LabelScores } from '../model/labels.ts';
import type { Scorer } from './scorer.ts';
import { splitSentences } from './sentences.ts';
import { splitIntoWindows } from './windows.ts';

export interface Tokenization {
  maxTokens: number;
  encode(text: string): number[];
  wrap(contentIds: number[]): number[];
}

export interface ClassifyOptions {
  threshold: number;
  spans: boolean;
}

export interface SpanResult {
  begin: number;
  end: number;
  scores: LabelScores;
}

export interface TextResult {
  scores: LabelScores;
  flagged: boolean;
  labels: Label[];
  /** Tokens the model sees for the whole text, special tokens included, before windowing. */
  tokens: number;
  /** True when the text was longer than the model takes and was scored in windows. */
  truncated: boolean;
  spans?: SpanResult[];
}

/** Tokens shared by neighbouring windows of a long text (at most half a window). */
const WINDOW_OVERLAP = 128;

interface Piece {
  windows: number[][];
  tokens: number;
}

export interface Classifier {
  classify(texts: string[], options: ClassifyOptions): Promise<TextResult[]>;
}

/**
 * @example
 * const classifier = createClassifier(model, createDirectScorer(model.forward));
 * const [result] = await classifier.classify(['you are an idiot'], { threshold: 0.5, spans: false });
 */
export function createClassifier(tokenization: Tokenization, scorer: Scorer): Classifier {
  const windowSize = tokenization.maxTokens - 2;
  const overlap = Math.min(WINDOW_OVERLAP, Math.floor(windowSize / 2));

  function cut(text: string): Piece {
    const ids = tokenization.encode(text);
    const windows = splitIntoWindows(ids, { size: windowSize, overlap }).map(tokenization.wrap);
    return { windows, tokens: ids.length + 2 };
  }

  /** Scores every piece in one scorer call (so they batch together) and takes the per-label max. */
  async function scorePieces(pieces: Piece[]): Promise<LabelScores[]> {
    const sequences = pieces.flatMap((p) => p.windows);
    const probabilities = await scorer.score(sequences);
    let next = 0;
    return pieces.map((piece) => {
      const max = new Float32Array(LABELS.length);
      for (let w = 0; w < piece.windows.length; w++) {
        const row = probabilities[next++]!;
        for (let l = 0; l < LABELS.length; l++) max[l] = Math.max(max[l]!, row[l]!);
      }
      return toLabelScores(max);
    });
  }

  return {
    async classify(texts, { threshold, spans }) {
      const whole = texts.map(cut);
      const sentences = spans ? texts.map(splitSentences) : [];
      const sentencePieces = sentences.flatMap((ranges, t) =>
        ranges.map((r) => cut(texts[t]!.slice(r.begin, r.end))),
      );
      const scores = await scorePieces([...whole, ...sentencePieces]);
      let nextSentence = whole.length;
      return whole.map((piece, t) => {
        const textScores = scores[t]!;
        const labels = LABELS.filter((label) => textScores[label] >= threshold);
        const result: TextResult = {
          scores: textScores,
          flagged: labels.length > 0,
          labels,
          tokens: piece.tokens,
          truncated: piece.windows.length > 1,
        };
        if (spans) {
          result.spans = sentences[t]!.map((range) => ({ ...range, scores: scores[nextSentence++]! }));
        }
        return result;
      });
    },
  };
}
