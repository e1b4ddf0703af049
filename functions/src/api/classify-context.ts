/**
 * @module classify-context
 * What a classify handler needs besides the model: who the client is, how long a request may
 * take, and where to report what it did.
 */
import type { Context } from 'hono';
import type { Classification, TextResult } from '../classify/classifier.ts';

export interface ClassifyContext {
  /** The client a request comes from, the unit of fair queueing. */
  clientOf(c: Context): string;
  /** A request's unstarted work is dropped this long after it arrived. */
  deadlineMs: number;
  /** Reports a served request (flagged labels, cost, phase timings) to the metrics. */
  observe(results: readonly TextResult[], cost: number, timings: Classification['timings']): void;
}
