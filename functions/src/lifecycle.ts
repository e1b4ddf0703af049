/**
 * @module lifecycle
 * Where the replica is in its life: loading the model, ready, draining after SIGTERM, or failed
 * to load. The HTTP layer reads it for /readyz and to refuse work it cannot do; the server
 * moves it along.
 */
import type { Classifier } from './classify/classifier.ts';
import type { ModelInfo } from './model/loader.ts';

export type Phase = 'loading' | 'ready' | 'draining' | 'failed';

export interface ReadyModel {
  classifier: Classifier;
  info: ModelInfo;
  /** Stops the inference worker. */
  close(): Promise<void>;
}

export class Lifecycle {
  #phase: Phase = 'loading';
  #model: ReadyModel | undefined;

  get phase(): Phase {
    return this.#phase;
  }

  /** The model, once loaded; it stays available while draining so in-flight work finishes. */
  get model(): ReadyModel | undefined {
    return this.#model;
  }

  markReady(model: ReadyModel): void {
    this.#model = model;
    if (this.#phase === 'loading') this.#phase = 'ready';
  }

  startDraining(): void {
    this.#phase = 'draining';
  }

  markFailed(): void {
    this.#phase = 'failed';
  }
}
