/**
 * @module scorer
 * What scores a batch of texts, whether the service over HTTP (service-scorer.ts) or the same
 * engine in this process (local-scorer.ts), and how one attempt can end. Retrying, splitting and
 * checking the model are score-batch.ts' job, the same for both.
 */
import type { TextResult } from '../../functions/src/classify/classifier.ts';
import type { Limits } from './batches.ts';

/** A text's result as the service gives it, without sentence spans (the scorer never asks for them). */
export type ScoredText = Pick<TextResult, 'scores' | 'flagged' | 'labels' | 'tokens' | 'windows'>;

/** The model that scores, as outputs record it. */
export interface ModelIdentity {
  id: string;
  dtype: string;
  offline: boolean;
  /** SHA-256 of the weights file. */
  sha256: string;
  /** `<hub repo>@<commit>`, or null when the service knows none (the offline and bench stand-ins). */
  revision: string | null;
}

export type Attempt =
  | { kind: 'scored'; results: ScoredText[]; sha256: string }
  /**
   * Try the same texts again after `afterMs` (the service's Retry-After), or after a backoff
   * when it named no time. `busy`: the service said this client sends too much (429, an
   * overloaded 503, a 504), so fewer requests should be in flight.
   */
  | { kind: 'retry'; afterMs?: number; busy: boolean; why: string }
  /** Too much for one request (413: over the budget, or the body too large): send fewer texts. */
  | { kind: 'too_large'; why: string }
  /** The service refused some texts for good (400), by position; the rest may be sent again. */
  | { kind: 'refused'; problems: Map<number, string> };

export interface Scorer {
  model: ModelIdentity;
  limits: Limits;
  /** Where results come from, for the metadata: the service's URL, or "in process". */
  source: string;
  /** Most requests worth having in flight. */
  maxConcurrency: number;
  classify(texts: readonly string[], threshold: number): Promise<Attempt>;
  close(): Promise<void>;
}
