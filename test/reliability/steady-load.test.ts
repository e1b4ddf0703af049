/**
 * The fault tests' load (tools/reliability/steady-load.ts) against a real HTTP server that
 * closes kept-alive connections under the client, as nginx does to idle ones when it reloads:
 * a request that meets such a close is sent once more on a new connection and counted as
 * resent; a reset on a fresh connection is a failure and is not sent again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { steadyLoad } from '../../tools/reliability/steady-load.ts';

let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server that resets the connection, unanswered, on the request number `dropAt` of each connection (1 = the first). */
async function serverDropping(dropAt: number): Promise<{ url: string; received: () => number }> {
  const served = new WeakMap<Socket, number>();
  let received = 0;
  server = createServer((request, response) => {
    received++;
    const n = (served.get(request.socket) ?? 0) + 1;
    served.set(request.socket, n);
    request.resume();
    request.on('end', () => (n === dropAt ? request.socket.resetAndDestroy() : response.end('{"results":[]}')));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => received };
}

const body = (i: number) => JSON.stringify({ text: `request ${i}` });

describe('steadyLoad', () => {
  it('sends a request again on a new connection when its kept-alive connection is reset unanswered', async () => {
    const target = await serverDropping(2);
    const samples = await steadyLoad({ url: target.url, perSecond: 20, durationMs: 1000, body });
    expect(samples).toHaveLength(20);
    expect(samples.every((s) => s.status === 200)).toBe(true);
    const resent = samples.filter((s) => s.resent).length;
    expect(resent).toBeGreaterThan(0);
    expect(target.received()).toBe(20 + resent);
  });

  it('records a reset on a fresh connection as a failure, without sending it again', async () => {
    const target = await serverDropping(1);
    const samples = await steadyLoad({ url: target.url, perSecond: 20, durationMs: 500, body });
    expect(samples).toHaveLength(10);
    expect(samples.every((s) => s.status === 0 && s.errorCode === 'ECONNRESET' && !s.resent)).toBe(true);
    expect(target.received()).toBe(10);
  });
});
