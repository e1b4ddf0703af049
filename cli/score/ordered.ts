/**
 * @module ordered
 * Runs work on a stream of items with bounded concurrency and writes the results in the
 * items' order. Items are pulled from the source only when there is room, at most `window`
 * started and not yet written, so memory does not grow with the input whatever its length,
 * and a slow item holds back writing, never reading without bound.
 */
import type { Limiter } from './limiter.ts';
import { Interrupted } from './score-batch.ts';

export interface OrderedOptions<T, R> {
  source: AsyncIterable<T>;
  work(item: T): Promise<R>;
  /** Called in source order, one at a time. */
  write(item: T, result: R): Promise<void>;
  slots: Pick<Limiter, 'hasRoom' | 'tryTake' | 'give' | 'freed'>;
  /** Most items started and not yet written. */
  window: number;
  /** Start nothing more; what is in flight finishes or is interrupted. */
  stop: AbortSignal;
}

interface Entry<T, R> {
  item: T;
  done: Promise<R>;
  settled: boolean;
}

const never = new Promise<never>(() => {});

/**
 * Resolves 'done' when every item is written, 'stopped' when `stop` ended it early (everything
 * before the first unfinished item is written); rejects with the first item's error in order.
 * @example
 * await runInOrder({ source: batches, work: score, write: append, slots: limiter, window: 16, stop: signal });
 */
export async function runInOrder<T, R>(options: OrderedOptions<T, R>): Promise<'done' | 'stopped'> {
  const source = options.source[Symbol.asyncIterator]();
  const queue: Entry<T, R>[] = [];
  let exhausted = false;
  let failed = false;
  const stopped = new Promise<void>((resolve) => options.stop.addEventListener('abort', () => resolve(), { once: true }));

  try {
    for (;;) {
      while (!exhausted && !failed && !options.stop.aborted && queue.length < options.window && options.slots.tryTake()) {
        const next = await source.next().catch((error: unknown) => {
          options.slots.give();
          throw error;
        });
        if (next.done) {
          exhausted = true;
          options.slots.give();
          break;
        }
        const entry: Entry<T, R> = { item: next.value, settled: false, done: never };
        entry.done = options.work(next.value).finally(() => {
          entry.settled = true;
          options.slots.give();
        });
        // A failure anywhere stops new work at once; it is raised when its turn to be written comes.
        entry.done.catch(() => (failed = true));
        queue.push(entry);
      }
      let wrote = false;
      while (queue[0]?.settled) {
        const head = queue.shift()!;
        let result: R;
        try {
          result = await head.done;
        } catch (error) {
          if (error instanceof Interrupted) return 'stopped';
          throw error;
        }
        await options.write(head.item, result);
        wrote = true;
      }
      if (queue.length === 0 && (exhausted || options.stop.aborted)) return exhausted ? 'done' : 'stopped';
      const canStart = !exhausted && !failed && !options.stop.aborted && queue.length < options.window;
      // Writing took time in which slots may have come free: look again before waiting.
      if (wrote || (canStart && options.slots.hasRoom())) continue;
      // No await between the checks above and these waits, so no wake-up is missed.
      await Promise.race([
        queue[0]?.done.then(
          () => {},
          () => {},
        ) ?? never,
        canStart ? options.slots.freed() : never,
        options.stop.aborted ? never : stopped,
      ]);
    }
  } finally {
    await source.return?.(undefined);
  }
}
