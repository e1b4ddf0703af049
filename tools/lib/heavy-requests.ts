/**
 * @module heavy-requests
 * Requests that cost the service the most, for the benchmark and the abuse load scenario:
 * the costliest request the per-request budget accepts, one over it, and long texts. They are
 * made of common English words that every BERT vocabulary this project meets (toxic-bert's,
 * the bench stand-in's, the offline stand-in's) holds as single tokens, so a text of n words is
 * n tokens and a request's cost is known without a tokenizer (test/bench/heavy-requests.test.ts
 * checks that against the real tokenizers).
 */
import { LIMITS } from '../../functions/src/api/schemas.ts';

export const COMMON_WORDS = (
  'the of and to in is was it for on are as with his they at be this have from or one had by word but not what all ' +
  'were we when your can said there use an each which she do how their if will up other about out many then them ' +
  'these so some her would make like him into time has look two more write go see number no way could people my ' +
  'than first water been call who oil its now find long down day did get come made may part'
).split(' ');

/** `count` words drawn by a fixed sequence from `seed`, so texts differ yet are reproducible. */
export function words(count: number, seed: number): string[] {
  let state = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return COMMON_WORDS[state % COMMON_WORDS.length]!;
  });
}

/**
 * The costliest request within `budget` tokens of model work: as many texts as fit of exactly
 * one window each (maxTokens − 2 words, no sentence break, so asking for spans adds nothing),
 * the most expensive shape per token because attention grows with length.
 */
export function costliestRequest(budget: number, maxTokens = 512): { texts: string[]; spans: boolean } {
  const count = Math.min(LIMITS.maxTexts, Math.floor(budget / maxTokens));
  return { texts: Array.from({ length: count }, (_, i) => words(maxTokens - 2, i + 1).join(' ')), spans: true };
}

/**
 * A text of about `tokens` tokens in sentences of 12 words ("word … word."), none the same,
 * cut at the last whole sentence within `maxChars` (these short words take about 4.2 characters
 * a token, so the API's 20,000 characters hold about 4,800 tokens).
 */
export function longText(tokens: number, seed = 1, maxChars = Infinity): string {
  const sentences = Math.max(1, Math.round(tokens / 13));
  let text = '';
  for (let i = 0; i < sentences; i++) {
    const [first, ...rest] = words(12, seed * 100_003 + i);
    const sentence = `${text ? ' ' : ''}${first![0]!.toUpperCase()}${first!.slice(1)} ${rest.join(' ')}.`;
    if (text && text.length + sentence.length > maxChars) break;
    text += sentence;
  }
  return text;
}

/** The most texts of the most characters, with spans: within every size limit, far over any sensible budget. */
export function overBudgetRequest(): { texts: string[]; spans: boolean } {
  const text = longText(LIMITS.maxChars / 4).slice(0, LIMITS.maxChars);
  return { texts: Array.from({ length: LIMITS.maxTexts }, () => text), spans: true };
}
