/**
 * @module limiter
 * How many requests may be in flight, found by feedback rather than guessed: one more after
 * each round of answers that all went through, half as many once the service says this client
 * sends too much (429, an overloaded 503). The service's fair queue refuses a client that has
 * more than about half a second of work queued on a replica, and how much work a request is
 * depends on the texts, the model and the CPU; this finds the level that keeps the replicas
 * busy without being refused, whatever those are.
 */

export interface Limiter {
  /** Requests allowed in flight now. */
  readonly limit: number;
  readonly active: number;
  /** A slot is free (nothing taken). */
  hasRoom(): boolean;
  /** Takes a slot if one is free. */
  tryTake(): boolean;
  give(): void;
  /** Resolves when a slot may have come free. */
  freed(): Promise<void>;
  /** An answer went through. */
  succeeded(): void;
  /** The service asked for less; `sentAt` (performance.now()) when that request was sent. */
  throttled(sentAt: number): void;
}

/**
 * @example
 * const limiter = createLimiter({ initial: 2, max: 8 });
 * if (limiter.tryTake()) send().finally(() => limiter.give());
 */
export function createLimiter(options: { initial: number; max: number }, now: () => number = () => performance.now()): Limiter {
  let limit = Math.max(1, Math.min(options.initial, options.max));
  let active = 0;
  let streak = 0;
  let lastCut = -Infinity;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  return {
    get limit() {
      return limit;
    },
    get active() {
      return active;
    },
    hasRoom() {
      return active < limit;
    },
    tryTake() {
      if (active >= limit) return false;
      active++;
      return true;
    },
    give() {
      active--;
      wake();
    },
    freed() {
      return new Promise((resolve) => waiters.push(resolve));
    },
    succeeded() {
      if (++streak < limit) return;
      streak = 0;
      if (limit < options.max) {
        limit++;
        wake();
      }
    },
    throttled(sentAt) {
      // Requests sent before the last cut were sent at the old level; they say nothing new.
      if (sentAt <= lastCut) return;
      lastCut = now();
      limit = Math.max(1, Math.floor(limit / 2));
      streak = 0;
    },
  };
}
