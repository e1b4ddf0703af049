import { describe, expect, it } from 'vitest';
import { createPacker, packBatches, type Batch, type Limits } from './batches.ts';

const LIMITS: Limits = { maxTexts: 4, budget: 100, maxTokens: 512 };

async function pack(texts: unknown[], limits = LIMITS): Promise<Batch<{ i: number; text: unknown }>[]> {
  async function* rows() {
    for (const [i, text] of texts.entries()) yield { i, text };
  }
  const out = [];
  for await (const batch of packBatches(rows(), limits, (row) => row.text)) out.push(batch);
  return out;
}

describe('packBatches', () => {
  it('keeps every row once, in order, at most maxTexts per batch, numbered from 0', async () => {
    const batches = await pack(Array.from({ length: 10 }, (_, i) => `text ${i}`));
    expect(batches.map((b) => b.items.length)).toEqual([4, 4, 2]);
    expect(batches.map((b) => b.seq)).toEqual([0, 1, 2]);
    expect(batches.flatMap((b) => b.items.map((p) => p.item.i))).toEqual([...Array(10).keys()]);
  });

  it('starts a new batch before the texts\' least cost passes half the budget', async () => {
    // 20 words: at least 22 tokens each with [CLS] and [SEP]; two fit in 50, three do not.
    const text = Array(20).fill('word').join(' ');
    const batches = await pack([text, text, text, text, text]);
    expect(batches.map((b) => b.items.length)).toEqual([2, 2, 1]);
  });

  it('does not send what the service would refuse, and says why in the row', async () => {
    const [batch] = await pack(['fine', '   ', 42, 'x'.repeat(20_001), Array(200).fill('w').join(' ')], { ...LIMITS, maxTexts: 8 });
    expect(batch!.items.map((p) => p.text)).toEqual(['fine', undefined, undefined, undefined, undefined]);
    expect(batch!.items.map((p) => p.problem)).toEqual([
      undefined,
      'the text must contain at least one non-whitespace character',
      'the text must be a string, got number',
      'the text must be at most 20000 characters, got 20001',
      "the text would cost at least 202 tokens of model work, over the service's 100 per request",
    ]);
  });

  it('with one text per request, makes one batch per row', () => {
    const packer = createPacker<string>({ ...LIMITS, maxTexts: 1 }, (t) => t);
    const closed = ['a', 'b', 'c'].map((t) => packer.add(t)?.items.map((p) => p.item));
    expect([...closed, packer.flush()?.items.map((p) => p.item)]).toEqual([undefined, ['a'], ['b'], ['c']]);
  });
});
