/**
 * @module batches
 * Groups rows into requests the service takes: at most `maxTexts` rows each, and texts whose
 * least possible cost (functions/src/classify/cost.ts, the bound the service itself refuses
 * by) stays within a share of the per-request budget, since the exact cost is only known after
 * tokenizing. Rows the service would refuse whatever happens (no text, an empty one, too long)
 * are not sent: they ride in their batch with the reason, so every row keeps its place.
 * No Node APIs: the page packs its requests with this too.
 */
import { textProblem } from '../../functions/src/api/classify-request.ts';
import { textCostAtLeast } from '../../functions/src/classify/cost.ts';

export interface Limits {
  /** Texts per request (the service takes up to 32). */
  maxTexts: number;
  /** The service's most model work per request, in tokens (GET /api/v1/model's limits.max_request_tokens). */
  budget: number;
  /** Longest sequence the model takes, special tokens included. */
  maxTokens: number;
}

/**
 * Share of the budget one request is packed to by the lower bound. A tweet's real cost is about
 * 1.3 times its bound, so half leaves room, and a request that still goes over is split.
 */
const PACKING_SHARE = 0.5;

export interface Planned<T> {
  item: T;
  /** The text to send, or undefined when `problem` says why it is not sent. */
  text?: string;
  problem?: string;
}

export interface Batch<T> {
  /** Order of the batch, from 0. */
  seq: number;
  items: Planned<T>[];
}

/** Why a text is not sent at all; undefined when it is. */
export function refusal(text: unknown, limits: Limits): string | undefined {
  const problem = textProblem(text);
  if (problem) return `the text ${problem}`;
  const cost = textCostAtLeast(text as string, limits.maxTokens);
  if (cost > limits.budget) return `the text would cost at least ${cost} tokens of model work, over the service's ${limits.budget} per request`;
  return undefined;
}

/**
 * @example
 * const packer = createPacker<Row>({ maxTexts: 32, budget: 12_288, maxTokens: 512 }, (row) => row.text);
 * for (const row of rows) { const full = packer.add(row); if (full) send(full); }
 * const last = packer.flush(); if (last) send(last);
 */
export function createPacker<T>(limits: Limits, textOf: (item: T) => unknown) {
  let seq = 0;
  let items: Planned<T>[] = [];
  let cost = 0;
  const take = (): Batch<T> => {
    const batch = { seq: seq++, items };
    items = [];
    cost = 0;
    return batch;
  };
  return {
    /** Adds one item; returns the batch that had no room for it, if there was one. */
    add(item: T): Batch<T> | undefined {
      const text = textOf(item);
      const problem = refusal(text, limits);
      const itemCost = problem ? 0 : textCostAtLeast(text as string, limits.maxTokens);
      const full = items.length >= limits.maxTexts || (items.length > 0 && cost + itemCost > limits.budget * PACKING_SHARE);
      const closed = full ? take() : undefined;
      items.push(problem ? { item, problem } : { item, text: text as string });
      cost += itemCost;
      return closed;
    },
    flush(): Batch<T> | undefined {
      return items.length > 0 ? take() : undefined;
    },
  };
}

/** The packer over a stream of rows. */
export async function* packBatches<T>(rows: AsyncIterable<T>, limits: Limits, textOf: (item: T) => unknown): AsyncGenerator<Batch<T>> {
  const packer = createPacker(limits, textOf);
  for await (const row of rows) {
    const full = packer.add(row);
    if (full) yield full;
  }
  const last = packer.flush();
  if (last) yield last;
}
