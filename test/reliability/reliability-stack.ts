/**
 * @module reliability-stack
 * The native stack for the reliability tests: the test stack on a port block and in a folder
 * of their own (a temporary one), so a colleague's test stack on the usual test ports, or one
 * of these left over, does not collide with it. Also the tweets the steady loads send.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { firstTweets } from '../../bench/corpus.ts';
import { REPO_ROOT, type Stack, type StackOptions } from '../../stack/stack.ts';
import { startTestStack } from '../support/stack.ts';

/** Below 32768: ports in Linux's ephemeral range can be taken by any outgoing connection. */
export const RELIABILITY_PORTS = {
  proxyPort: 26080,
  functionBasePort: 26001,
  prometheusPort: 26090,
  alertmanagerPort: 26093,
  nodeExporterPort: 26100,
} as const;

export function startReliabilityStack(name: string, options: Partial<StackOptions> = {}): Promise<Stack> {
  return startTestStack({ ...RELIABILITY_PORTS, dir: path.join(tmpdir(), `toxicity-reliability-${name}`), ...options });
}

/** Tweets of the Davidson dev split, as a steady load sends them. */
export function loadTweets(count = 200): string[] {
  return firstTweets(path.join(REPO_ROOT, 'data/davidson-tweets/dev.csv'), count);
}

export interface AccessLine {
  request_id: string;
  method: string;
  path: string;
  status: number;
  upstream_addr: string;
  upstream_status: string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
