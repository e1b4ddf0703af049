import { describe, expect, it } from 'vitest';
import { LABELS } from '../model/labels.ts';
import { createClassifier, type Tokenization } from './classifier.ts';
import type { Scorer } from './scorer.ts';

// A stand-in tokenizer and scorer with obvious rules, so the classifier's own logic (windows,
// per-label maximum, threshold, spans) is checked exactly. The real model is exercised in
// functions/test/api.test.ts.
const CLS = -1;
const SEP = -2;
const vocabulary = new Map<string, number>();
const tokenization: Tokenization = {
  maxTokens: 6,
  encode: (text) =>
    text
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter(Boolean)
      .map((word) => {
        if (!vocabulary.has(word)) vocabulary.set(word, vocabulary.size + 1);
        return word === 'idiot' ? 0 : vocabulary.get(word)!;
      }),
  wrap: (ids) => [CLS, ...ids, SEP],
};
/** toxic = 0.9 when the window holds token 0 ("idiot"), else 0.1; insult = 0.6 likewise. */
const calls: number[][][] = [];
const scorer: Scorer = {
  async score(sequences) {
    calls.push(sequences);
    return sequences.map((s) => {
      const bad = s.includes(0);
      return Float32Array.from(LABELS, (label) => (label === 'toxic' ? (bad ? 0.9 : 0.1) : label === 'insult' ? (bad ? 0.6 : 0.05) : 0.01));
    });
  },
};
const classifier = createClassifier(tokenization, scorer);

describe('classifier', () => {
  it('applies the threshold to every label and lists flagged labels in label order', async () => {
    const [low] = await classifier.classify(['you idiot'], { threshold: 0.5, spans: false });
    const [high] = await classifier.classify(['you idiot'], { threshold: 0.7, spans: false });
    expect(low!.labels).toEqual(['toxic', 'insult']);
    expect(low!.flagged).toBe(true);
    expect(high!.labels).toEqual(['toxic']);
    const [clean] = await classifier.classify(['have a nice day'], { threshold: 0.5, spans: false });
    expect(clean!.flagged).toBe(false);
    expect(clean!.labels).toEqual([]);
  });

  it('keeps request order and scores all texts in one scorer call', async () => {
    calls.length = 0;
    const results = await classifier.classify(['nice', 'idiot', 'fine day', 'idiot again'], { threshold: 0.5, spans: false });
    expect(results.map((r) => r.flagged)).toEqual([false, true, false, true]);
    expect(calls).toHaveLength(1);
  });

  it('scores a long text in windows and reports the maximum, so toxicity at the end counts', async () => {
    const text = 'one two three four five six seven eight nine idiot';
    const [result] = await classifier.classify([text], { threshold: 0.5, spans: false });
    expect(result!.truncated).toBe(true);
    expect(result!.tokens).toBe(12);
    expect(result!.scores.toxic).toBeCloseTo(0.9);
    const [short] = await classifier.classify(['idiot'], { threshold: 0.5, spans: false });
    expect(short!.truncated).toBe(false);
    expect(short!.tokens).toBe(3);
  });

  it('returns spans per sentence with offsets into the text, only when asked', async () => {
    const text = 'Have a nice day. You idiot!';
    const [withSpans] = await classifier.classify([text], { threshold: 0.5, spans: true });
    const spans = withSpans!.spans!;
    expect(spans.map((s) => text.slice(s.begin, s.end))).toEqual(['Have a nice day.', 'You idiot!']);
    expect(spans[0]!.scores.toxic).toBeCloseTo(0.1);
    expect(spans[1]!.scores.toxic).toBeCloseTo(0.9);
    const [without] = await classifier.classify([text], { threshold: 0.5, spans: false });
    expect(without!.spans).toBeUndefined();
  });
});
