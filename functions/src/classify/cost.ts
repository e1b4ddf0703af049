/**
 * @module cost
 * What a request will cost in model work (tokens of every sequence it runs, special tokens
 * included), known before the expensive part, so a request over the budget is refused fast.
 *
 * First a lower bound from the characters alone: a BERT tokenizer (toxic-bert's, the bench
 * stand-in's and the offline stand-in's alike: BertNormalizer, BertPreTokenizer, WordPiece)
 * splits text at whitespace and punctuation, gives every punctuation character a token of its
 * own and every remaining word at least one, so counting those bounds the tokens from below
 * without tokenizing. A request refused on that bound never reaches the tokenizer. Otherwise the
 * texts are planned one by one and the exact cost is added up, stopping at the first text that
 * takes it over the budget.
 */
import { planCost, planText, type TextPlan, type Tokenization } from './text-plan.ts';

/** BERT's punctuation: ASCII symbols and punctuation, and Unicode's P categories. */
const PUNCTUATION = String.raw`\p{P}!-\/:-@\[-\x60{-~`;
/**
 * A punctuation character, or a word: a run up to the next whitespace or punctuation that holds
 * something the normalizer keeps (a run of only combining marks or control characters is
 * removed, as are U+FFFD and private-use characters, and control characters join, not split, what surrounds them).
 */
const TOKEN_SURELY = new RegExp(`[${PUNCTUATION}]|(?!\\uFFFD)[\\p{L}\\p{N}\\p{S}][^\\t\\n\\r\\p{Zs}${PUNCTUATION}]*`, 'gu');

/**
 * At most this many tokens can never be more than the tokenizer gives for `text`. Counted with
 * `test`, not `exec`: exec builds a match array per token (12,000 for an over-budget request of
 * 20,000-character texts), and the collections they caused took a refusal's budget check from
 * 0.6 ms to 5-9 ms one time in three.
 */
export function tokensAtLeast(text: string): number {
  let count = 0;
  TOKEN_SURELY.lastIndex = 0;
  while (TOKEN_SURELY.test(text)) count++;
  return count;
}

/**
 * The shortest sequences the text can be scored in: its tokens cut into pieces the model takes,
 * each with its two special tokens.
 */
export function sequencesAtLeast(text: string, maxTokens: number): number[] {
  const tokens = tokensAtLeast(text);
  const pieces = Math.max(1, Math.ceil(tokens / (maxTokens - 2)));
  return Array.from({ length: pieces }, (_, i) => Math.min(maxTokens - 2, tokens - i * (maxTokens - 2)) + 2);
}

/** The least model work the text can cost. */
export function textCostAtLeast(text: string, maxTokens: number): number {
  return sequencesAtLeast(text, maxTokens).reduce((sum, n) => sum + n, 0);
}

export class OverBudgetError extends Error {
  readonly budget: number;
  /** The estimate that exceeded the budget (a lower bound when `atLeast`). */
  readonly estimate: number;
  readonly atLeast: boolean;

  constructor(budget: number, estimate: number, atLeast: boolean) {
    super(`the request would cost ${atLeast ? 'at least ' : ''}${estimate} tokens of model work; the budget per request is ${budget}`);
    this.name = 'OverBudgetError';
    this.budget = budget;
    this.estimate = estimate;
    this.atLeast = atLeast;
  }
}

export interface RequestPlan {
  plans: TextPlan[];
  /** Model work of the whole request. */
  cost: number;
}

const sum = (values: readonly number[]) => values.reduce((total, n) => total + n, 0);

/**
 * The least each text can cost, from its characters alone; throws OverBudgetError as soon as
 * the texts counted so far are over `budget` (the rest are not read: 32 texts of 20,000
 * characters took 25 ms to count whole, and the estimate is a lower bound either way).
 * @example
 * const atLeast = checkBudget(['you idiot'], 512, 12_288); // → [[5]]
 */
export function checkBudget(texts: readonly string[], maxTokens: number, budget: number): number[][] {
  const atLeast: number[][] = [];
  let total = 0;
  for (const text of texts) {
    const sequences = sequencesAtLeast(text, maxTokens);
    atLeast.push(sequences);
    total += sum(sequences);
    if (total > budget) throw new OverBudgetError(budget, total, true);
  }
  return atLeast;
}

/**
 * Plans every text, or throws OverBudgetError as soon as the exact cost so far, plus the least
 * the remaining texts can cost (`atLeast`, from checkBudget), is over `budget`.
 * @example
 * const { plans, cost } = planRequest(['you idiot'], true, model, 12_288, checkBudget(['you idiot'], 512, 12_288));
 */
export function planRequest(
  texts: readonly string[],
  spans: boolean,
  tokenization: Tokenization,
  budget: number,
  atLeast: readonly (readonly number[])[],
): RequestPlan {
  let rest = sum(atLeast.map(sum));
  const plans: TextPlan[] = [];
  let cost = 0;
  for (const [i, text] of texts.entries()) {
    const plan = planText(text, spans, tokenization);
    plans.push(plan);
    cost += planCost(plan);
    rest -= sum(atLeast[i]!);
    if (cost + rest > budget) throw new OverBudgetError(budget, cost + rest, i + 1 < texts.length);
  }
  return { plans, cost };
}
