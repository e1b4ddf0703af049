/**
 * @module wait
 * Polling: an HTTP endpoint until it answers 200 (bringing services up in order), or any
 * reading until it satisfies a condition (tests waiting for restarts, scrapes, alerts).
 */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForOk(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    if (!isAlive()) throw new Error(`${url}: the process exited before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
    await sleep(50);
  }
}

/** Polls until `read` gives a value `done` accepts; returns it, or throws with the last value. */
export async function waitFor<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await sleep(everyMs);
  }
}
