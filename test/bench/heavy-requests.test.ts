/**
 * The heavy requests the benchmark and the abuse scenario send cost what they claim, on the
 * offline model's real tokenizer: the costliest one is exactly the default budget, the
 * over-budget one is refused before tokenizing, and long texts are about as long as asked.
 */
import { AutoTokenizer, env } from '@huggingface/transformers';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBudget, OverBudgetError, planRequest } from '../../functions/src/classify/cost.ts';
import type { Tokenization } from '../../functions/src/classify/text-plan.ts';
import { DEFAULTS } from '../../functions/src/config.ts';
import { LIMITS } from '../../functions/src/api/schemas.ts';
import { COMMON_WORDS, costliestRequest, longText, overBudgetRequest } from '../../tools/lib/heavy-requests.ts';
import { REPO_ROOT } from '../../tools/lib/repo.ts';

let tokenization: Tokenization;

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.localModelPath = path.join(REPO_ROOT, 'model/offline');
  const tokenizer = await AutoTokenizer.from_pretrained('unitary/toxic-bert', { local_files_only: true });
  const [cls, sep] = tokenizer.encode('', { add_special_tokens: true }) as [number, number];
  tokenization = { maxTokens: 512, encode: (t) => tokenizer.encode(t, { add_special_tokens: false }), wrap: (ids) => [cls, ...ids, sep] };
});

const budget = DEFAULTS.maxRequestTokens;

describe('heavy requests', () => {
  it('uses only words the tokenizer keeps whole', () => {
    for (const word of COMMON_WORDS) expect(tokenization.encode(word), word).toHaveLength(1);
  });

  it('the costliest request costs exactly the default budget, in windows of 512 tokens', () => {
    const { texts, spans } = costliestRequest(budget);
    const { plans, cost } = planRequest(texts, spans, tokenization, budget, checkBudget(texts, 512, budget));
    expect(cost).toBe(budget);
    expect(plans.every((p) => p.sequences.length === 1 && p.sequences[0]!.length === 512)).toBe(true);
  });

  it('the over-budget request is refused from its characters alone', () => {
    const { texts } = overBudgetRequest();
    expect(texts).toHaveLength(32);
    expect(texts.every((t) => t.length === 20_000)).toBe(true);
    expect(() => checkBudget(texts, 512, budget)).toThrow(OverBudgetError);
  });

  it('a long text of 5,000 tokens is within 5% of that, in sentences that differ', () => {
    const text = longText(5000);
    expect(Math.abs(tokenization.encode(text).length - 5000)).toBeLessThan(250);
    const sentences = text.split('. ');
    expect(new Set(sentences).size).toBe(sentences.length);
  });

  it("a long text cut to the API's character limit ends on a whole sentence and keeps over 4,500 tokens", () => {
    const text = longText(5000, 3, LIMITS.maxChars);
    expect(text.length).toBeLessThanOrEqual(LIMITS.maxChars);
    expect(text.endsWith('.')).toBe(true);
    expect(tokenization.encode(text).length).toBeGreaterThan(4500);
  });
});
