/**
 * @module wait
 * Polls an HTTP endpoint until it answers 200, for bringing services up in order.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
