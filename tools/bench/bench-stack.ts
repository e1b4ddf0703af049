/**
 * @module bench-stack
 * The stack the benchmarks start (nginx and replicas on ports of their own, no rate limit to
 * speak of, no monitoring) and how the load phases see it (stack-phases.ts).
 */
import os from 'node:os';
import path from 'node:path';
import { childPids } from '../lib/processes.ts';
import type { Stack } from '../stack/stack.ts';
import type { StackUnderTest } from './stack-phases.ts';

export const BENCH_STACK = {
  proxyPort: 28480,
  functionBasePort: 23401,
  monitoring: false,
  rateLimit: '100000r/s',
  rateBurst: 100000,
  dir: path.join(os.tmpdir(), 'toxicity-monitor-bench-stack'),
};

export function underTest(stack: Stack, texts: readonly string[]): StackUnderTest {
  return {
    url: stack.url,
    replicaUrls: stack.replicas.map((r) => r.url),
    texts,
    cpuGroups: () => {
      const nginx = stack.nginx.pid;
      return {
        replicas: stack.replicas.map((r) => r.process.pid).filter((pid): pid is number => pid !== undefined),
        nginx: nginx === undefined ? [] : [nginx, ...childPids(nginx)],
        generator: [process.pid],
      };
    },
  };
}
