/**
 * @module steady-load
 * A steady stream of classify requests at a fixed rate (open model: request i leaves at
 * i / rate seconds, answered or not, at most `maxInFlight` waiting), each recorded with when
 * it left, how long it took and how it ended. The fault tests and the soak run on it.
 * Like a browser, it sends a request once more, on a new connection, when the kept-alive
 * connection it went out on turns out closed by the server before any answer (load.ts,
 * `staleConnection`): nginx closes idle connections whenever it reloads (the edge reloads
 * each time the replicas change), and a request that meets that close was never read.
 */
import http from 'node:http';
import { sleep } from '../lib/wait.ts';
import { postClassify, type Outcome } from '../load/load.ts';

/**
 * One request: its number, when it left (ms after the load started), and how it ended;
 * `resent` when its first try met a stale kept-alive connection and it was sent again.
 */
export type LoadSample = { i: number; atMs: number; resent?: boolean } & Outcome;

export interface LoadOptions {
  /** The proxy, e.g. http://127.0.0.1:8080. */
  url: string;
  perSecond: number;
  durationMs: number;
  /** Body of request i. */
  body: (i: number) => string;
  maxInFlight?: number;
  timeoutMs?: number;
  /** Stops early when it resolves (the soak's Ctrl-C). */
  until?: Promise<unknown>;
}

/**
 * @example
 * const samples = await steadyLoad({ url: stack.url, perSecond: 20, durationMs: 10_000, body: (i) => JSON.stringify({ text: texts[i % texts.length] }) });
 * const failed = samples.filter((s) => s.status !== 200);
 */
export async function steadyLoad(o: LoadOptions): Promise<LoadSample[]> {
  const maxInFlight = o.maxInFlight ?? 64;
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  // A second try goes out on a connection of its own, not through the pool again: a reload
  // closes every idle connection, so the next one the pool would offer is likely closed too.
  const fresh = new http.Agent({ keepAlive: false });
  const url = new URL('/api/v1/classify', o.url);
  const samples: LoadSample[] = [];
  const pending = new Set<Promise<void>>();
  let stopped = false;
  void o.until?.then(() => (stopped = true));
  const started = performance.now();
  for (let i = 0; !stopped && i * (1000 / o.perSecond) < o.durationMs; i++) {
    const due = i * (1000 / o.perSecond);
    const wait = due - (performance.now() - started);
    if (wait >= 1) await sleep(wait);
    if (pending.size >= maxInFlight) {
      // The client falling behind is a failure of the run, not a request: record it as one.
      samples.push({ i, atMs: due, latencyMs: 0, status: 0, errorCode: 'client-saturated' });
      continue;
    }
    const atMs = performance.now() - started;
    const send = (via: http.Agent) => postClassify(via, url, o.body(i), o.timeoutMs ?? 30_000);
    const done: Promise<void> = send(agent).then(async (first) => {
      const outcome = first.staleConnection ? { ...(await send(fresh)), resent: true, latencyMs: performance.now() - started - atMs } : first;
      samples.push({ i, atMs, ...outcome });
      pending.delete(done);
    });
    pending.add(done);
  }
  await Promise.all(pending);
  agent.destroy();
  fresh.destroy();
  return samples.sort((a, b) => a.i - b.i);
}

/**
 * A steady load for as long as `action` takes: the action's result and the load's samples.
 * @example
 * const { samples } = await steadyLoadDuring({ url: stack.url, perSecond: 10, durationMs: 600_000, body }, () => redeploy());
 */
export async function steadyLoadDuring<T>(o: Omit<LoadOptions, 'until'>, action: () => Promise<T>): Promise<{ result: T; samples: LoadSample[] }> {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const load = steadyLoad({ ...o, until: done });
  try {
    return { result: await action(), samples: await (finish(), load) };
  } finally {
    // Also when the action fails: the load stops and its requests are answered before the caller goes on.
    finish();
    await load;
  }
}
