import { AutoTokenizer, env } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBudget, OverBudgetError, planRequest, textCostAtLeast, tokensAtLeast } from './cost.ts';
import type { Tokenization } from './text-plan.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let encode: (text: string) => number[];

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.localModelPath = path.join(REPO, 'model/offline');
  const tokenizer = await AutoTokenizer.from_pretrained('unitary/toxic-bert', { local_files_only: true });
  encode = (text) => tokenizer.encode(text, { add_special_tokens: false });
});

/** A seeded generator, so a failure names a reproducible string. */
function random(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/** Code points from every kind of character a BERT normalizer treats differently. */
const ALPHABET = [
  ...'abcXYZ019 \t\n\r.,!?-_$+<=>^`|~@#%&*()[]{}\'"/\\:;',
  '\u00e9', 'e\u0301', '\u0301', '\u0300\u0301', '\u00a0', '\u2028', '\u200b', '\u200d', '\ufeff', '\u0000', '\u0007', '\ufffd',
  '\u4e2d', '\u6587', '\ud55c', '\uae00', '\u3042', '\u0627', '\u05d0', '\u0416', '\u03a9', '\u00df', '\u0130',
  '\u{1F600}', '\u{1F469}\u200d\u{1F4BB}', '\u{1F1EB}\u{1F1F7}', '\u00a9', '\u20ac', '\u2013', '\u2014', '\u2026', '\u00bf', '\ue000',
  '\u0660', '\u00bd', '\u2163', '\u{10348}', '\u3000', '\u2009',
];

describe('tokensAtLeast', () => {
  it('never exceeds what the tokenizer gives, on real tweets', () => {
    const csv = readFileSync(path.join(REPO, 'data/davidson-tweets/dev.csv'), 'utf8').split('\n').slice(1, 1500);
    for (const line of csv) expect(tokensAtLeast(line), line).toBeLessThanOrEqual(encode(line).length);
  });

  it('never exceeds what the tokenizer gives, on 3,000 random strings of unusual characters', () => {
    const next = random(7);
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 40) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
      expect(tokensAtLeast(text), JSON.stringify(text)).toBeLessThanOrEqual(encode(text).length);
    }
  });

  it('is close to the real count for ordinary English', () => {
    const text = 'The committee, after a long debate, decided to postpone the vote until next week.';
    expect(tokensAtLeast(text)).toBe(17);
    expect(encode(text).length).toBeGreaterThanOrEqual(17);
  });
});

describe('checkBudget and planRequest', () => {
  // One token per word or punctuation mark, each word its own id; counts how often it is asked.
  let encodes = 0;
  const vocabulary = new Map<string, number>();
  const words: Tokenization = {
    maxTokens: 512,
    encode: (text) => {
      encodes++;
      return (text.match(/\w+|[^\w\s]/g) ?? []).map((word) => vocabulary.get(word) ?? vocabulary.set(word, vocabulary.size).size - 1);
    },
    wrap: (ids) => [1, ...ids, 2],
  };
  const text = (n: number) => 'word '.repeat(n).trim();

  it('refuses from the characters alone when even the least cost is over budget, reading no further than it must', () => {
    const texts = Array.from({ length: 32 }, () => text(3000));
    expect(() => checkBudget(texts, 512, 12_288)).toThrow(OverBudgetError);
    try {
      checkBudget(texts, 512, 12_288);
    } catch (error) {
      // Five texts of at least 3,012 tokens each (3,000 words in six windows) are over 12,288: the other 27 are not counted.
      expect(textCostAtLeast(text(3000), 512)).toBe(3012);
      expect(error).toMatchObject({ budget: 12_288, atLeast: true, estimate: 5 * 3012 });
    }
  });

  it('gives the least sequences a text can be scored in, cut where the model requires', () => {
    expect(checkBudget([text(1000), 'hi'], 512, 12_288)).toEqual([[512, 492], [3]]);
  });

  it('stops tokenizing at the first text whose exact cost, with the least of the rest, is over budget', () => {
    encodes = 0;
    // Spans double the cost of multi-sentence texts, which the character count cannot see.
    const sentences = (n: number) => Array.from({ length: n }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const texts = [sentences(100), sentences(100), sentences(100)];
    expect(textCostAtLeast(texts[0]!, 512) * 3).toBeLessThan(2000);
    expect(() => planRequest(texts, true, words, 2000, checkBudget(texts, 512, 2000))).toThrow(/at least \d+ tokens/);
    // The first text with its spans, plus the least the other two cost, is over: each text is
    // encoded whole and sentence by sentence, and the others are never encoded.
    expect(encodes).toBe(1 + 100);
  });

  it('plans every text and adds up the exact cost within budget', () => {
    const texts = ['one two three', 'four five'];
    const { plans, cost } = planRequest(texts, false, words, 100, checkBudget(texts, 512, 100));
    expect(plans).toHaveLength(2);
    expect(cost).toBe(5 + 4);
  });
});
