/**
 * @module sleep
 * A wait that an AbortSignal ends early (Ctrl-C should not sit out a 30-second Retry-After).
 */

/** Resolves after `ms`, or at once when `signal` aborts; says which. */
export function sleep(ms: number, signal?: AbortSignal): Promise<'slept' | 'aborted'> {
  if (signal?.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve('aborted');
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve('slept');
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
