/**
 * The fault tests' load (tools/reliability/steady-load.ts) against a real HTTP server that
 * closes kept-alive connections under the client, as nginx closes every idle one when it
 * reloads: a request that meets such a close is sent once more on a new connection and counted
 * as resent; a reset on a fresh connection is a failure and is not sent again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { steadyLoad } from '../../tools/reliability/steady-load.ts';

let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/**
 * A server answering after `answerMs` (so the client keeps several connections), that resets,
 * unanswered, every request on a connection opened before `reloadAtMs` that arrives after it,
 * and, with `resetFresh`, every request at all.
 */
async function serverClosingAt(o: { reloadAtMs: number; answerMs: number; resetFresh?: boolean }) {
  const opened = new WeakMap<Socket, number>();
  const began = performance.now();
  let received = 0;
  server = createServer((request, response) => {
    received++;
    const stale = (opened.get(request.socket) ?? 0) < o.reloadAtMs && performance.now() - began > o.reloadAtMs;
    request.resume();
    request.on('end', () =>
      stale || o.resetFresh ? request.socket.resetAndDestroy() : setTimeout(() => response.end('{"results":[]}'), o.answerMs),
    );
  });
  server.on('connection', (socket) => opened.set(socket, performance.now() - began));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => received };
}

const body = (i: number) => JSON.stringify({ text: `request ${i}` });

describe('steadyLoad', () => {
  it('sends a request again on a new connection when the server closed its kept-alive ones', async () => {
    const target = await serverClosingAt({ reloadAtMs: 600, answerMs: 120 });
    const samples = await steadyLoad({ url: target.url, perSecond: 25, durationMs: 1200, body });
    expect(samples).toHaveLength(30);
    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    const resent = samples.filter((s) => s.resent).length;
    // Answers take 120 ms at 25 requests/s: about three connections were open at the reload.
    expect(resent).toBeGreaterThan(1);
    expect(target.received()).toBe(30 + resent);
  });

  it('records a reset on a fresh connection as a failure, without sending it again', async () => {
    const target = await serverClosingAt({ reloadAtMs: Infinity, answerMs: 0, resetFresh: true });
    const samples = await steadyLoad({ url: target.url, perSecond: 20, durationMs: 500, body });
    expect(samples).toHaveLength(10);
    expect(samples.every((s) => s.status === 0 && s.errorCode === 'ECONNRESET' && !s.resent)).toBe(true);
    expect(target.received()).toBe(10);
  });
});
