/**
 * @module ports
 * Refuses to start a stack on ports something else already listens on: the stack's readiness
 * checks would otherwise be answered by that other process (another test run, a forgotten
 * `npm run stack`), while its own replicas and nginx fail to bind, and a run would measure it.
 */
import { createServer } from 'node:net';

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Throws naming every port of `ports` that is taken on 127.0.0.1. */
export async function assertPortsFree(ports: readonly number[]): Promise<void> {
  const taken = (await Promise.all(ports.map(async (port) => ((await isFree(port)) ? [] : [port])))).flat();
  if (taken.length > 0) throw new Error(`ports already in use on 127.0.0.1: ${taken.join(', ')} (another stack running?)`);
}
