import { describe, expect, it } from 'vitest';
import { LABELS } from '../model/labels.ts';
import { createScheduler, type Forward } from '../queue/scheduler.ts';
import { createClassifier } from './classifier.ts';
import { OverBudgetError } from './cost.ts';
import type { Tokenization } from './text-plan.ts';

// A stand-in tokenizer and model with obvious rules, so the classifier's own logic (pieces,
// per-label maximum, threshold, spans, budget) is checked exactly. The real model is exercised
// in functions/test/api.test.ts.
const CLS = -1;
const SEP = -2;
const vocabulary = new Map<string, number>();
const tokenization: Tokenization = {
  maxTokens: 8,
  encode: (text) =>
    (text.toLowerCase().match(/[a-z]+/g) ?? []).map((word) => {
      if (!vocabulary.has(word)) vocabulary.set(word, vocabulary.size + 1);
      return word === 'idiot' ? 0 : vocabulary.get(word)!;
    }),
  wrap: (ids) => [CLS, ...ids, SEP],
};
const logit = (p: number) => Math.log(p / (1 - p));
/** toxic = 0.9 when the sequence holds token 0 ("idiot"), else 0.1; insult = 0.6 likewise. */
const passes: number[][][] = [];
const forward: Forward = async (sequences) => {
  passes.push(sequences.map((s) => [...s]));
  const logits = sequences.map((s) => {
    const bad = s.includes(0);
    return Float32Array.from(LABELS, (label) => logit(label === 'toxic' ? (bad ? 0.9 : 0.1) : label === 'insult' ? (bad ? 0.6 : 0.05) : 0.01));
  });
  return { logits, seconds: 0.001 };
};
const costModel = { seconds: (size: number, width: number) => 0.001 + 0.0001 * size * width, learn: () => {}, observations: 0, widest: Infinity };
const classifier = createClassifier(tokenization, createScheduler([forward], costModel, { exploreEvery: 0 }), { budget: 200 });
const options = (spans = false, threshold = 0.5) => ({ threshold, spans, client: 'test', deadline: Infinity });

describe('classifier', () => {
  it('applies the threshold to every label and lists flagged labels in label order', async () => {
    const { results: [low] } = await classifier.classify(['you idiot'], options());
    const { results: [high] } = await classifier.classify(['you idiot'], options(false, 0.7));
    expect(low!.labels).toEqual(['toxic', 'insult']);
    expect(low!.flagged).toBe(true);
    expect(high!.labels).toEqual(['toxic']);
    const { results: [clean] } = await classifier.classify(['have a nice day'], options());
    expect(clean!.flagged).toBe(false);
    expect(clean!.labels).toEqual([]);
  });

  it('keeps request order and sends every text to the model in one forward pass', async () => {
    passes.length = 0;
    const { results } = await classifier.classify(['nice', 'idiot', 'fine day', 'idiot again'], options());
    expect(results.map((r) => r.flagged)).toEqual([false, true, false, true]);
    expect(passes).toHaveLength(1);
  });

  it('scores a long text in pieces and reports the maximum, so toxicity at the end counts', async () => {
    const text = 'One two three. Four five six. Seven eight nine idiot.';
    const { results: [result] } = await classifier.classify([text], options());
    expect(result!.windows).toBe(2);
    expect(result!.tokens).toBe(12);
    expect(result!.scores.toxic).toBeCloseTo(0.9);
    const { results: [short] } = await classifier.classify(['idiot'], options());
    expect(short!.windows).toBe(1);
    expect(short!.tokens).toBe(3);
  });

  it('returns spans per sentence with offsets into the text, only when asked', async () => {
    const text = 'Have a nice day. You idiot!';
    const { results: [withSpans] } = await classifier.classify([text], options(true));
    const spans = withSpans!.spans!;
    expect(spans.map((s) => text.slice(s.begin, s.end))).toEqual(['Have a nice day.', 'You idiot!']);
    expect(spans[0]!.scores.toxic).toBeCloseTo(0.1);
    expect(spans[1]!.scores.toxic).toBeCloseTo(0.9);
    const { results: [without] } = await classifier.classify([text], options());
    expect(without!.spans).toBeUndefined();
  });

  it('scores a one-sentence text once when spans are asked for', async () => {
    passes.length = 0;
    const { results: [result] } = await classifier.classify(['You are an idiot.'], options(true));
    expect(passes.flat()).toHaveLength(1);
    expect(result!.spans![0]!.scores).toEqual(result!.scores);
  });

  it('refuses a request over its budget without running the model', async () => {
    passes.length = 0;
    const texts = Array.from({ length: 32 }, () => 'word '.repeat(20));
    await expect(classifier.classify(texts, options())).rejects.toBeInstanceOf(OverBudgetError);
    expect(passes).toHaveLength(0);
  });

  it('reports its cost and how long each phase took', async () => {
    const { cost, timings } = await classifier.classify(['you idiot', 'hello'], options());
    expect(cost).toBe(4 + 3);
    expect(timings.tokenize).toBeGreaterThanOrEqual(0);
    expect(timings.inference).toBeCloseTo(0.001);
    expect(timings.queue).toBeGreaterThanOrEqual(0);
  });
});
