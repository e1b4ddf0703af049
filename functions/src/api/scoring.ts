/**
 * @module scoring
 * The one engine under every dialect: each route's handler (native, Perspective, OpenAI) turns
 * its request into texts and options and calls scoreTexts, which runs the classifier with the
 * request's client, deadline and disconnect signal, reports the phases (Server-Timing header and
 * metrics, labelled by dialect), and hands back the results for the handler to render.
 */
import type { Context } from 'hono';
import { setMetric } from 'hono/timing';
import type { Classification, TextResult } from '../classify/classifier.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { ModelInfo } from '../model/loader.ts';
import { requireModel } from './readiness.ts';

export const DIALECTS = ['native', 'perspective', 'openai'] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface ScoringContext {
  lifecycle: Lifecycle;
  /** The client a request comes from, the unit of fair queueing. */
  clientOf(c: Context): string;
  /** A request's unstarted work is dropped this long after it arrived. */
  deadlineMs: number;
  /** Reports a served request (texts and flags, cost, phase timings) to the metrics. */
  observe(dialect: Dialect, results: readonly TextResult[], cost: number, timings: Classification['timings']): void;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * @example
 * const { results, info } = await scoreTexts(c, context, 'openai', ['you idiot'], { threshold: 0.5, spans: false }, started);
 */
export async function scoreTexts(
  c: Context,
  context: ScoringContext,
  dialect: Dialect,
  texts: readonly string[],
  options: { threshold: number; spans: boolean },
  started: number,
): Promise<{ results: TextResult[]; info: ModelInfo }> {
  const { classifier, info } = requireModel(context.lifecycle);
  const { results, cost, timings } = await classifier.classify(texts, {
    ...options,
    client: context.clientOf(c),
    deadline: started + context.deadlineMs,
    signal: c.req.raw.signal,
  });
  context.observe(dialect, results, cost, timings);
  setMetric(c, 'tokenize', round(timings.tokenize * 1000), 'tokenising and planning');
  setMetric(c, 'queue', round(timings.queue * 1000), 'waiting for the model');
  setMetric(c, 'inference', round(timings.inference * 1000), 'forward passes');
  return { results, info };
}

export { round as roundMs };
