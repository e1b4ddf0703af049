/**
 * The bench's search for how many closed-loop clients saturate the stack
 * (tools/bench/stack-phases.ts saturatingConcurrency), against a real HTTP server that behaves
 * as a replica at its admission bound does: it holds each request 20 ms and sheds with 429 at
 * once whatever arrives while 45 are already held.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saturatingConcurrency, type StackUnderTest } from '../../tools/bench/stack-phases.ts';

const HOLD_MS = 20;
const BOUND = 45;

let server: Server;
let stack: StackUnderTest;

beforeAll(async () => {
  let held = 0;
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/metrics') return response.end('');
      if (held >= BOUND) {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        return response.end('{"error":{"code":"rate_limited","message":"busy"}}');
      }
      held++;
      setTimeout(() => {
        held--;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"results":[]}');
      }, HOLD_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stack = { url, replicaUrls: [url], cpuGroups: () => ({}), texts: ['a tweet'] };
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('saturatingConcurrency', () => {
  it('takes the most clients served with at most 1 % shed, and stops at the first step past it', async () => {
    const { concurrency, steps } = await saturatingConcurrency(stack, { start: 32, factor: 1.25, max: 256, seconds: 1, maxShed: 0.01 });
    expect(steps.map((s) => s.concurrency)).toEqual([32, 40, 50]);
    expect(steps[0]!.shed).toBe(0);
    expect(steps[1]!.shed).toBe(0);
    expect(steps[2]!.shed).toBeGreaterThan(0.01);
    expect(concurrency).toBe(40);
  });

  it('stops at the largest step within the maximum when nothing is shed', async () => {
    const { concurrency, steps } = await saturatingConcurrency(stack, { start: 16, factor: 2, max: 40, seconds: 0.5, maxShed: 0.01 });
    expect(steps.map((s) => s.concurrency)).toEqual([16, 32]);
    expect(concurrency).toBe(32);
  });
});
