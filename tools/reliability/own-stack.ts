/**
 * @module own-stack
 * The native stack the fuzz and soak commands start for themselves when given no --url: nginx
 * in front of the replicas on a port block of their own (so a running `npm run stack` or test
 * stack is left alone), in a temporary folder, without the monitoring services.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFFLINE_MODEL_DIR } from '../stack/function-process.ts';
import { startStack, type Stack, type StackOptions } from '../stack/stack.ts';

/** Below 32768: ports in Linux's ephemeral range can be taken by any outgoing connection. */
const PORT_BLOCKS = {
  fuzz: { proxyPort: 26180, functionBasePort: 26101, prometheusPort: 26190, alertmanagerPort: 26193, nodeExporterPort: 26194 },
  soak: { proxyPort: 26280, functionBasePort: 26201, prometheusPort: 26290, alertmanagerPort: 26293, nodeExporterPort: 26294 },
} as const;

export interface OwnStackOptions {
  /** A MODEL_DIR holding the model; without it, the committed offline model. */
  modelDir?: string;
  replicas?: number;
  /** Overrides of the stack's options (rate limit, ...). */
  stack?: Partial<StackOptions>;
}

/**
 * @example
 * const stack = await startOwnStack('fuzz', { stack: { rateLimit: '1000r/s', rateBurst: 1000 } });
 */
export function startOwnStack(name: keyof typeof PORT_BLOCKS, o: OwnStackOptions = {}): Promise<Stack> {
  const dir = path.join(tmpdir(), `toxicity-${name}-stack`);
  return startStack({
    ...PORT_BLOCKS[name],
    dir,
    replicas: o.replicas ?? 2,
    monitoring: false,
    functionEnv: { MODEL_DIR: o.modelDir ? path.resolve(o.modelDir) : OFFLINE_MODEL_DIR },
    ...o.stack,
  });
}
