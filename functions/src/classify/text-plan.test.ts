import { describe, expect, it } from 'vitest';
import { planCost, planText, type Tokenization } from './text-plan.ts';

// One token per word (its length, so sequences are easy to read), [CLS] = -1, [SEP] = -2,
// and a model that takes 8 tokens: 6 of content.
const tokenization: Tokenization = {
  maxTokens: 8,
  encode: (text) => (text.match(/[a-z]+/gi) ?? []).map((word) => word.length),
  wrap: (ids) => [-1, ...ids, -2],
};
const contents = (plan: ReturnType<typeof planText>, pieces: number[]) => pieces.map((i) => plan.sequences[i]!.slice(1, -1));

describe('planText', () => {
  it('scores a text the model takes whole as one sequence', () => {
    const plan = planText('a bb ccc', false, tokenization);
    expect(plan.sequences).toEqual([[-1, 1, 2, 3, -2]]);
    expect(plan.textPieces).toEqual([0]);
    expect(plan.tokens).toBe(5);
    expect(plan.spans).toBeUndefined();
  });

  it('scores a one-sentence text once with spans, the sentence sharing the text’s sequence', () => {
    const plan = planText('  You are an idiot.  ', true, tokenization);
    expect(plan.sequences).toHaveLength(1);
    expect(plan.spans).toEqual([{ range: { begin: 2, end: 19 }, pieces: plan.textPieces }]);
  });

  it('scores each sentence of a longer text alone, with offsets into the text', () => {
    const text = 'Have a nice day. You idiot!';
    const plan = planText(text, true, tokenization);
    expect(plan.sequences).toHaveLength(3);
    expect(plan.spans!.map(({ range }) => text.slice(range.begin, range.end))).toEqual(['Have a nice day.', 'You idiot!']);
    expect(contents(plan, plan.spans![1]!.pieces)).toEqual([[3, 5]]);
  });

  it('scores identical sentences once', () => {
    const plan = planText('Go away. Go away. Go away.', true, tokenization);
    expect(plan.sequences).toHaveLength(2);
    expect(new Set(plan.spans!.map((s) => s.pieces[0])).size).toBe(1);
  });

  // Sentences of 3, 2, 4 and 3 words: 3+2 fit in 6 tokens, then 4, then 3.
  const LONG = 'A bb ccc. Dddd eeeee. F gg hhh iiii. Jjjjj kkkkkk l.';

  it('cuts a long text at sentence boundaries into chunks the model takes, no token twice', () => {
    const plan = planText(LONG, false, tokenization);
    expect(contents(plan, plan.textPieces)).toEqual([[1, 2, 3, 4, 5], [1, 2, 3, 4], [5, 6, 1]]);
    expect(plan.tokens).toBe(14);
    expect(planCost(plan)).toBe(12 + 3 * 2);
  });

  it('gives the same text score pieces with and without spans, and reuses a chunk that is one sentence', () => {
    const text = LONG;
    const without = planText(text, false, tokenization);
    const withSpans = planText(text, true, tokenization);
    expect(contents(withSpans, withSpans.textPieces)).toEqual(contents(without, without.textPieces));
    // "F gg hhh iiii." and "Jjjjj kkkkkk l." are chunks of their own: their spans add no sequence.
    expect(withSpans.sequences).toHaveLength(3 + 2);
    expect(withSpans.spans![2]!.pieces).toEqual([withSpans.textPieces[1]]);
  });

  it('scores a sentence longer than the model takes in overlapping windows', () => {
    const text = 'a bb ccc dddd eeeee ffffff ggggggg hhhhhhhh';
    const plan = planText(text, true, tokenization);
    // Windows of 6 sharing 3 tokens, the last one aligned to the end.
    expect(contents(plan, plan.textPieces)).toEqual([
      [1, 2, 3, 4, 5, 6],
      [3, 4, 5, 6, 7, 8],
    ]);
    expect(plan.spans).toEqual([{ range: { begin: 0, end: text.length }, pieces: plan.textPieces }]);
  });
});
