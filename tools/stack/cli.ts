/**
 * @module cli
 * `npm run stack`: starts the native stack, prints where everything is, and stops it all on
 * Ctrl-C or SIGTERM. STACK_REPLICAS sets the number of function replicas (default 2);
 * API_KEYS_FILE turns API keys on; TLS_CERT and TLS_KEY, HTTPS on PROXY_TLS_PORT (default 8443)
 * (README, "Expose it safely").
 */
import { DEFAULT_STACK, startStack } from './stack.ts';

const replicas = Number(process.env.STACK_REPLICAS ?? DEFAULT_STACK.replicas);
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 16) {
  console.error(`STACK_REPLICAS must be an integer from 1 to 16, got "${process.env.STACK_REPLICAS}"`);
  process.exit(2);
}

console.log(`starting nginx, ${replicas} function replicas, Prometheus, node-exporter and Alertmanager…`);
const { API_KEYS_FILE, TLS_CERT, TLS_KEY, PROXY_TLS_PORT } = process.env;
const stack = await startStack({
  replicas,
  apiKeysFile: API_KEYS_FILE ?? '',
  tls: TLS_CERT && TLS_KEY ? { cert: TLS_CERT, key: TLS_KEY } : undefined,
  tlsPort: PROXY_TLS_PORT ? Number(PROXY_TLS_PORT) : DEFAULT_STACK.tlsPort,
});
console.log(`
  page and API   ${stack.url}
  replicas       ${stack.replicas.map((r) => r.url).join('  ')}
  Prometheus     ${stack.prometheusUrl}
  Alertmanager   ${stack.alertmanagerUrl}
  logs           ${stack.logDir}

Press Ctrl-C to stop everything.`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await stack.stop();
  console.log('stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
