/**
 * @module reliability-stack
 * The native stack for the reliability tests: the test stack on a port block and in a folder
 * of their own (a temporary one), so a colleague's test stack on the usual test ports, or one
 * of these left over, does not collide with it. Also the tweets the steady loads send.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { firstTweets } from '../../tools/lib/corpus.ts';
import type { Stack, StackOptions } from '../../tools/stack/stack.ts';
import { startTestStack } from '../../tools/stack/test-stack.ts';

export { sleep, waitFor } from '../../tools/lib/wait.ts';

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
  return firstTweets(count);
}

export interface AccessLine {
  request_id: string;
  method: string;
  path: string;
  status: number;
  upstream_addr: string;
  upstream_status: string;
}

