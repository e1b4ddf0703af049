/**
 * @module load
 * Sends classify requests to a URL and records one sample per request. Two ways:
 * - open model (`runArrivals`): each request goes out when the schedule says, whether or not
 *   earlier ones have been answered, like k6's arrival-rate executors; at most `maxInFlight`
 *   at once, and a request due while all are busy is dropped and counted, never queued here
 *   (queueing in the client would hide the server's latency);
 * - closed loop (`runClosedLoop`): `concurrency` clients each send the next request as soon as
 *   the last is answered, the simplest way to find the most a server can do.
 * Plain node:http with keep-alive: the generator shares the cores with what it measures, so
 * it should cost as little as it can.
 */
import http from 'node:http';
import https from 'node:https';
import { sleep } from '../lib/wait.ts';
import type { Arrival } from './arrivals.ts';

export interface Sample extends Outcome {
  /** When the request was due (open model) or sent (closed loop), ms after the run started. */
  atMs: number;
  /** Sent minus due: how far the generator fell behind its own schedule. */
  lateMs: number;
  stage: number;
}

export interface LoadResult {
  samples: Sample[];
  /** Due while `maxInFlight` requests were already waiting. */
  dropped: number;
  /** The same, by the stage they were due in. */
  droppedByStage: Record<number, number>;
  scheduled: number;
  /** First due time to last due time plus one interval, or the closed loop's length. */
  durationMs: number;
}

export interface Target {
  /** Full URL of the classify endpoint. */
  url: string;
  /** Body of request number i. */
  body(i: number): string;
  /** A request unanswered after this long counts as failed (status 0). */
  timeoutMs?: number;
  /** Source address to send from (127.0.0.2, …: another client to nginx). */
  localAddress?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** For an https:// url: the CA certificate (PEM) to trust, besides Node's own. */
  ca?: string;
}

/** How one request ended. */
export interface Outcome {
  /** HTTP status, or 0 when no answer came (connection error, reset, timeout). */
  status: number;
  /** The `error.code` of a JSON error body (`overloaded`, `rate_limited`, ...) or the socket error. */
  errorCode?: string;
  retryAfter?: string;
  latencyMs: number;
  /**
   * The connection was a kept-alive one that the server had closed (nginx closes idle
   * connections when it reloads): reset before any answer, so the request was never read and
   * may be sent again on a new connection, as browsers do (Node's http docs, `reusedSocket`).
   */
  staleConnection?: boolean;
}

/** POSTs one classify body and reports how it ended; never rejects. */
export function postClassify(
  agent: http.Agent,
  url: string | URL,
  body: string,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<Outcome> {
  const began = performance.now();
  // The agent was made for the target's scheme (agentFor); no URL parse per request.
  const client = agent instanceof https.Agent ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const latencyMs = performance.now() - began;
          const status = response.statusCode ?? 0;
          let errorCode: string | undefined;
          if (status !== 200) {
            try {
              errorCode = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: string } }).error?.code;
            } catch {
              errorCode = 'non-json';
            }
          }
          resolve({ status, errorCode, retryAfter: response.headers['retry-after'], latencyMs });
        });
        response.on('error', (error) => resolve({ status: 0, errorCode: error.message, latencyMs: performance.now() - began }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        status: 0,
        errorCode: error.code ?? error.message,
        latencyMs: performance.now() - began,
        ...(request.reusedSocket && error.code === 'ECONNRESET' ? { staleConnection: true } : {}),
      }),
    );
    request.end(body);
  });
}

const send = (agent: http.Agent, target: Target, i: number): Promise<Outcome> =>
  postClassify(agent, target.url, target.body(i), target.timeoutMs ?? 30_000, target.headers);

/** Keep-alive connections, so an https:// target pays for the TLS handshake once per connection. */
function agentFor(sockets: number, target: Target): http.Agent {
  const options = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, localAddress: target.localAddress };
  return target.url.startsWith('https:') ? new https.Agent({ ...options, ca: target.ca }) : new http.Agent(options);
}

/**
 * @example
 * const result = await runArrivals({ url, body: (i) => JSON.stringify({ text: texts[i % texts.length] }) },
 *   constantArrivals(5, 10), 50);
 */
export async function runArrivals(target: Target, schedule: readonly Arrival[], maxInFlight: number): Promise<LoadResult> {
  const agent = agentFor(maxInFlight, target);
  const samples: Sample[] = [];
  const pending = new Set<Promise<void>>();
  let dropped = 0;
  const droppedByStage: Record<number, number> = {};
  const started = performance.now();
  for (let i = 0; i < schedule.length; i++) {
    const arrival = schedule[i]!;
    const wait = arrival.atMs - (performance.now() - started);
    // setTimeout sleeps at least 1 ms; a request due sooner goes now, and a late one too.
    if (wait >= 1) await sleep(wait);
    if (pending.size >= maxInFlight) {
      dropped++;
      droppedByStage[arrival.stage] = (droppedByStage[arrival.stage] ?? 0) + 1;
      continue;
    }
    const lateMs = Math.max(0, performance.now() - started - arrival.atMs);
    const done: Promise<void> = send(agent, target, i).then((outcome) => {
      samples.push({ atMs: arrival.atMs, lateMs, stage: arrival.stage, ...outcome });
      pending.delete(done);
    });
    pending.add(done);
  }
  await Promise.all(pending);
  agent.destroy();
  const last = schedule.at(-1)?.atMs ?? 0;
  const interval = schedule.length > 1 ? last / (schedule.length - 1) : 0;
  return { samples, dropped, droppedByStage, scheduled: schedule.length, durationMs: last + interval };
}

/** `concurrency` clients in a loop for `durationMs`; requests in flight at the end are awaited but not counted. */
export async function runClosedLoop(target: Target, concurrency: number, durationMs: number): Promise<LoadResult> {
  const agent = agentFor(concurrency, target);
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (performance.now() - started < durationMs) {
      const atMs = performance.now() - started;
      const outcome = await send(agent, target, next++);
      if (atMs + outcome.latencyMs <= durationMs) samples.push({ atMs, lateMs: 0, stage: 0, ...outcome });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  return { samples, dropped: 0, droppedByStage: {}, scheduled: samples.length, durationMs };
}
