/**
 * The bench's search for how many closed-loop clients get the most answers from the stack
 * (tools/bench/stack-phases.ts saturatingConcurrency), against a real HTTP server that behaves
 * as a replica at its admission bound does: it holds each request 20 ms, 45 at most; whatever
 * arrives beyond that is refused with 429 after 10 ms (a replica's refusals take a few ms through
 * nginx); and the refusals take time from the work, as they take CPU from the model: each
 * refusal answered in the last second makes a request's hold 1/2000 longer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saturatingConcurrency, type StackUnderTest } from '../../tools/bench/stack-phases.ts';

const HOLD_MS = 20;
const BOUND = 45;
const REFUSAL_MS = 10;
const REFUSALS_PER_HOLD = 2000;

let server: Server;
let stack: StackUnderTest;

beforeAll(async () => {
  let held = 0;
  /** When each refusal of the last second was answered. */
  const refusals: number[] = [];
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/metrics') return response.end('');
      const now = performance.now();
      while (refusals.length > 0 && refusals[0]! < now - 1000) refusals.shift();
      if (held >= BOUND) {
        setTimeout(() => {
          refusals.push(performance.now());
          response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
          response.end('{"error":{"code":"rate_limited","message":"busy"}}');
        }, REFUSAL_MS);
        return;
      }
      held++;
      setTimeout(() => {
        held--;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"results":[]}');
      }, HOLD_MS * (1 + refusals.length / REFUSALS_PER_HOLD));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stack = { url, replicaUrls: [url], cpuGroups: () => ({}), texts: ['a tweet'] };
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('saturatingConcurrency', () => {
  it('takes the step that answered most, one that refused some, and stops at the first well below it', async () => {
    // 32 clients: up to 1,600 answers a second. 48: the 45 held answer up to 2,000 while the 3
    // others are refused about 250 times a second. 72: 27 refused clients, about 2,000 refusals a
    // second, stretch the holds to about 40 ms: about 1,100 answers, below 0.85 of the best.
    const { concurrency, steps } = await saturatingConcurrency(stack, { start: 32, factor: 1.5, max: 256, seconds: 1, dropOff: 0.85 });
    expect(steps.map((s) => s.concurrency)).toEqual([32, 48, 72]);
    expect(steps[0]!.shed).toBe(0);
    expect(steps[1]!.shed).toBeGreaterThan(0);
    expect(concurrency).toBe(48);
  });

  it('runs to the largest step within the maximum while answers keep rising', async () => {
    const { concurrency, steps } = await saturatingConcurrency(stack, { start: 16, factor: 2, max: 40, seconds: 0.5, dropOff: 0.85 });
    expect(steps.map((s) => s.concurrency)).toEqual([16, 32]);
    expect(concurrency).toBe(32);
  });
});
