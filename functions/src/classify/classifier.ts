/**
 * @module classifier
 * Classifies texts: plans each one's model work (text-plan.ts) within the request's budget
 * (cost.ts), has the scheduler run it, and turns the logits into per-label probabilities, the
 * labels over the threshold and, optionally, each sentence's scores. Knows nothing about HTTP.
 */
import { LABELS, toLabelScores, type Label, type LabelScores } from '../model/labels.ts';
import type { Scheduler } from '../queue/scheduler.ts';
import { checkBudget, planRequest } from './cost.ts';
import type { TextPlan, Tokenization } from './text-plan.ts';

export interface ClassifyOptions {
  threshold: number;
  spans: boolean;
  /** Who is asking, for fair queueing. */
  client: string;
  /** `performance.now()` time after which unstarted work is dropped. */
  deadline: number;
  /** Aborted when the client goes away: its queued work is dropped. */
  signal?: AbortSignal;
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
  /** Tokens the model sees for the whole text, special tokens included, before cutting. */
  tokens: number;
  /** Pieces the text was scored in (1: whole; more: longer than the model takes). */
  windows: number;
  spans?: SpanResult[];
}

export interface Classification {
  results: TextResult[];
  /** Model work of the request, in tokens. */
  cost: number;
  /** Seconds spent tokenising, waiting for the model, and in the model. */
  timings: { tokenize: number; queue: number; inference: number };
}

export interface Classifier {
  /** Most model work (tokens of every sequence, special tokens included) one request may cost. */
  readonly budget: number;
  classify(texts: readonly string[], options: ClassifyOptions): Promise<Classification>;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Per-label maximum of the probabilities of `pieces`. */
function maxScores(pieces: readonly number[], rows: readonly Float32Array[], offset: number): LabelScores {
  const max = new Float64Array(LABELS.length);
  for (const piece of pieces) {
    const row = rows[offset + piece]!;
    for (let l = 0; l < LABELS.length; l++) max[l] = Math.max(max[l]!, sigmoid(row[l]!));
  }
  return toLabelScores(max);
}

function toResult(plan: TextPlan, rows: readonly Float32Array[], offset: number, threshold: number): TextResult {
  const scores = maxScores(plan.textPieces, rows, offset);
  const labels = LABELS.filter((label) => scores[label] >= threshold);
  const result: TextResult = { scores, flagged: labels.length > 0, labels, tokens: plan.tokens, windows: plan.textPieces.length };
  if (plan.spans) {
    result.spans = plan.spans.map(({ range, pieces }) => ({ ...range, scores: maxScores(pieces, rows, offset) }));
  }
  return result;
}

/**
 * @example
 * const classifier = createClassifier(model, scheduler, { budget: 10_240 });
 * const { results } = await classifier.classify(['you are an idiot'], { threshold: 0.5, spans: false, client: 'me', deadline: performance.now() + 30_000 });
 */
export function createClassifier(tokenization: Tokenization, scheduler: Scheduler, { budget }: { budget: number }): Classifier {
  return {
    budget,
    async classify(texts, options) {
      const began = performance.now();
      // Refusals come before the tokenizer: a request surely over budget, or one the scheduler
      // could not take even at its least cost, costs the replica almost nothing.
      const atLeast = checkBudget(texts, tokenization.maxTokens, budget);
      scheduler.admit(options.client, atLeast.flat());
      const { plans, cost } = planRequest(texts, options.spans, tokenization, budget, atLeast);
      const tokenize = (performance.now() - began) / 1000;
      const { rows, queueSeconds, inferenceSeconds } = await scheduler.submit({
        client: options.client,
        sequences: plans.flatMap((p) => p.sequences),
        deadline: options.deadline,
        signal: options.signal,
      });
      let offset = 0;
      const results = plans.map((plan) => {
        const result = toResult(plan, rows, offset, options.threshold);
        offset += plan.sequences.length;
        return result;
      });
      return { results, cost, timings: { tokenize, queue: queueSeconds, inference: inferenceSeconds } };
    },
  };
}
