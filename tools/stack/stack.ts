/**
 * @module stack
 * The production topology on one machine, without containers: nginx in front of N function
 * replicas, plus Prometheus, node-exporter and Alertmanager from Debian's packages, all on
 * 127.0.0.1. `npm run stack` runs it until Ctrl-C; tests start and stop it the same way.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertPortsFree } from '../lib/ports.ts';
import { REPO_ROOT } from '../lib/repo.ts';
import { ensurePrograms } from '../lib/system-packages.ts';
import { waitForOk } from '../lib/wait.ts';
import { ensurePageBuilt } from './build.ts';
import { entrypointPlaceholders } from './entrypoint-placeholders.ts';
import { nativePrometheusConfig } from './prometheus-config.ts';
import { replicaCommand, type ReplicaRuntime } from './replica-command.ts';
import { Supervised } from './supervisor.ts';
import { fillTemplate, unfilledPlaceholders } from './template.ts';

export interface StackOptions {
  replicas: number;
  proxyPort: number;
  /** Replica i listens on functionBasePort + i. */
  functionBasePort: number;
  prometheusPort: number;
  alertmanagerPort: number;
  nodeExporterPort: number;
  /** Where configuration, logs and data go; emptied at start. */
  dir: string;
  /** Start Prometheus, node-exporter and Alertmanager too. */
  monitoring: boolean;
  /** Extra environment for every replica (MODEL_DIR, ORT_THREADS, ...). */
  functionEnv: Record<string, string>;
  /** Extra environment for replica `index` (from 0) alone, over functionEnv: replicas mid-redeploy run different models. */
  replicaEnv?: (index: number) => Record<string, string>;
  /** How replicas run: as the image does, or as `npm start` does (tools/stack/replica-command.ts). */
  runtime: ReplicaRuntime;
  /** nginx limit_req rate and burst per client address. */
  rateLimit: string;
  rateBurst: number;
  apiTimeout: string;
  scrapeInterval: string;
  evaluationInterval: string;
  /** Prometheus loads every *.yml here; tests point it at a copy with shorter `for` durations. */
  rulesDir: string;
  readyTimeoutMs: number;
  /** The API key file (API_KEYS_FILE); empty: the API is open, as without keys. */
  apiKeysFile: string;
  /** TLS_CERT and TLS_KEY (PEM files): HTTPS with HTTP/2 on tlsPort, and proxyPort redirects there. */
  tls?: { cert: string; key: string };
  tlsPort: number;
}

export const DEFAULT_STACK: StackOptions = {
  replicas: 2,
  proxyPort: 8080,
  functionBasePort: 3001,
  prometheusPort: 9090,
  alertmanagerPort: 9093,
  nodeExporterPort: 9100,
  dir: path.join(REPO_ROOT, '.stack'),
  monitoring: true,
  functionEnv: {},
  runtime: 'bundle',
  rateLimit: '20r/s',
  rateBurst: 40,
  apiTimeout: '60s',
  scrapeInterval: '5s',
  evaluationInterval: '5s',
  rulesDir: path.join(REPO_ROOT, 'observability/prometheus/rules'),
  readyTimeoutMs: 90_000,
  apiKeysFile: '',
  tlsPort: 8443,
};

export interface Replica {
  index: number;
  port: number;
  url: string;
  process: Supervised;
}

export interface Stack {
  options: StackOptions;
  /** The public entry: the page and /api/ through nginx (https:// with TLS on). */
  url: string;
  /** nginx's HTTP port: the same as url without TLS, else the redirect to it. */
  httpUrl: string;
  prometheusUrl: string;
  alertmanagerUrl: string;
  replicas: Replica[];
  nginx: Supervised;
  logDir: string;
  /** Stops everything; safe to call twice. */
  stop(): Promise<void>;
}

function nginxMainConfig(dir: string, serverConfig: string): string {
  const tmp = (name: string) => path.join(dir, 'nginx/tmp', name);
  // As root, workers would drop to "nobody", who may not read the checkout; on loopback for
  // a local stack, keeping the invoking user is the smaller surprise.
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  return `${user}
worker_processes 2;
daemon off;
pid ${path.join(dir, 'nginx/nginx.pid')};
error_log ${path.join(dir, 'logs/nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  keepalive_timeout 65s;
  client_body_temp_path ${tmp('body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};
  include ${serverConfig};
}
`;
}

/**
 * Each replica twice: as a primary with passive health (skipped for 5 s after 3 failures), and
 * as a backup that is never marked down. nginx counts a 503 it retries elsewhere as a failure,
 * so replicas shedding load (503 overloaded) would otherwise all be marked down together, and
 * every request, however cheap, would get "no replica is available" for 5 s: a few costly
 * requests could take the whole API down. The backups are used only while every primary is
 * marked down; when the replicas really are gone they refuse at once and nginx answers 503.
 */
export function upstreamServers(upstreams: readonly string[]): string {
  return [
    ...upstreams.map((u) => `    server ${u} max_fails=3 fail_timeout=5s;`),
    ...upstreams.map((u) => `    server ${u} backup max_fails=0;`),
  ].join('\n');
}

export function renderProxyConfig(options: {
  upstreams: string[];
  listenPort: number;
  tls?: { cert: string; key: string; port: number };
  staticRoot: string;
  rateLimit: string;
  rateBurst: number;
  apiTimeout: string;
  accessLog: string;
  /** nginx asks the replicas about keys before each API request unless empty (or /dev/null). */
  apiKeysFile: string;
}): string {
  const template = readFileSync(path.join(REPO_ROOT, 'proxy/templates/default.conf.template'), 'utf8');
  const text = fillTemplate(template, {
    UPSTREAM_SERVERS: upstreamServers(options.upstreams),
    ...entrypointPlaceholders({
      LISTEN_PORT: `127.0.0.1:${options.listenPort}`,
      ...(options.tls && {
        TLS_CERT: options.tls.cert,
        TLS_KEY: options.tls.key,
        TLS_PORT: `127.0.0.1:${options.tls.port}`,
        TLS_PUBLIC_PORT: String(options.tls.port),
      }),
      API_KEYS_FILE: options.apiKeysFile,
    }),
    STATIC_ROOT: options.staticRoot,
    RATE_LIMIT: options.rateLimit,
    RATE_BURST: String(options.rateBurst),
    API_TIMEOUT: options.apiTimeout,
    // Each replica once: a try past them would find only backups of ones that just refused.
    UPSTREAM_TRIES: String(options.upstreams.length),
    ACCESS_LOG: options.accessLog,
  });
  const left = unfilledPlaceholders(text);
  if (left.length > 0) throw new Error(`proxy template placeholders not filled: ${left.join(', ')}`);
  return text;
}

/**
 * @example
 * const stack = await startStack({ replicas: 2 });
 * await fetch(`${stack.url}/api/v1/classify`, { method: 'POST', ... });
 * await stack.stop();
 */
export async function startStack(overrides: Partial<StackOptions> = {}): Promise<Stack> {
  const o: StackOptions = { ...DEFAULT_STACK, ...overrides };
  // On a fresh machine: installs the packages (as root) or names them, rather than "spawn nginx ENOENT".
  ensurePrograms(['nginx', ...(o.monitoring ? ['prometheus', 'prometheus-node-exporter', 'prometheus-alertmanager'] : [])]);
  // Checked before the folder is emptied, so a running stack's logs are not deleted either.
  await assertPortsFree([
    o.proxyPort,
    ...(o.tls ? [o.tlsPort] : []),
    ...Array.from({ length: o.replicas }, (_, i) => o.functionBasePort + i),
    ...(o.monitoring ? [o.prometheusPort, o.alertmanagerPort, o.nodeExporterPort] : []),
  ]).catch((error: Error) => {
    throw new Error(`the stack did not start: ${error.message}`);
  });
  rmSync(o.dir, { recursive: true, force: true });
  const logDir = path.join(o.dir, 'logs');
  for (const sub of ['logs', 'nginx/tmp', 'prometheus-data', 'alertmanager-data']) mkdirSync(path.join(o.dir, sub), { recursive: true });
  chmodSync(path.join(o.dir, 'nginx/tmp'), 0o777);
  const [staticRoot, replica] = await Promise.all([ensurePageBuilt(), replicaCommand(o.runtime)]);

  const started: Supervised[] = [];
  const supervise = (name: string, command: string, args: string[], env?: NodeJS.ProcessEnv) => {
    const proc = new Supervised({ name, command, args, env, cwd: REPO_ROOT, logFile: path.join(logDir, `${name}.log`) });
    proc.start();
    started.push(proc);
    return proc;
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // The proxy goes first so no new request reaches a replica that is shutting down.
    for (const proc of [...started].reverse()) await proc.stop();
    await Promise.all(started.map((proc) => proc.closeLog()));
  };

  try {
    const replicas: Replica[] = Array.from({ length: o.replicas }, (_, index) => {
      const port = o.functionBasePort + index;
      const proc = supervise(`function-${index + 1}`, replica.command, replica.args, {
        HOST: '127.0.0.1',
        PORT: String(port),
        // glibc raises its mmap threshold to the largest block freed, so after a few ~1 MiB
        // request bodies those come from the main heap, which fragments and never shrinks: a
        // replica's RSS ratchets up by tens of MB and stays. A fixed threshold keeps large
        // blocks in mmap, returned to the system when freed.
        MALLOC_MMAP_THRESHOLD_: '131072',
        // Only nginx reaches the replicas, and it sets this header to the client's address.
        CLIENT_ID_HEADER: 'x-client-id',
        ...(o.apiKeysFile ? { API_KEYS_FILE: path.resolve(o.apiKeysFile) } : {}),
        ...o.functionEnv,
        ...o.replicaEnv?.(index),
      });
      return { index, port, url: `http://127.0.0.1:${port}`, process: proc };
    });

    if (o.monitoring) {
      const promConfig = path.join(o.dir, 'prometheus.yml');
      writeFileSync(
        promConfig,
        nativePrometheusConfig({
          functionPorts: replicas.map((r) => r.port),
          nodeExporterPort: o.nodeExporterPort,
          alertmanagerPort: o.alertmanagerPort,
          prometheusPort: o.prometheusPort,
          rulesDir: o.rulesDir,
          scrapeInterval: o.scrapeInterval,
          evaluationInterval: o.evaluationInterval,
        }),
      );
      supervise('node-exporter', 'prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${o.nodeExporterPort}`]);
      supervise('alertmanager', 'prometheus-alertmanager', [
        `--config.file=${path.join(REPO_ROOT, 'observability/alertmanager/alertmanager.yml')}`,
        `--storage.path=${path.join(o.dir, 'alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${o.alertmanagerPort}`,
        '--cluster.listen-address=',
      ]);
      supervise('prometheus', 'prometheus', [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${path.join(o.dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${o.prometheusPort}`,
        '--web.enable-lifecycle',
      ]);
    }

    const serverConfig = path.join(o.dir, 'nginx/default.conf');
    writeFileSync(
      serverConfig,
      renderProxyConfig({
        upstreams: replicas.map((r) => `127.0.0.1:${r.port}`),
        listenPort: o.proxyPort,
        tls: o.tls && { cert: path.resolve(o.tls.cert), key: path.resolve(o.tls.key), port: o.tlsPort },
        staticRoot,
        rateLimit: o.rateLimit,
        rateBurst: o.rateBurst,
        apiTimeout: o.apiTimeout,
        // Children's stdout is a socket here, which nginx cannot open as /dev/stdout.
        accessLog: path.join(logDir, 'nginx-access.log'),
        apiKeysFile: o.apiKeysFile && path.resolve(o.apiKeysFile),
      }),
    );
    const mainConfig = path.join(o.dir, 'nginx/nginx.conf');
    writeFileSync(mainConfig, nginxMainConfig(o.dir, serverConfig));
    const nginx = supervise('nginx', 'nginx', ['-c', mainConfig, '-p', path.join(o.dir, 'nginx')]);

    const httpUrl = `http://127.0.0.1:${o.proxyPort}`;
    const url = o.tls ? `https://127.0.0.1:${o.tlsPort}` : httpUrl;
    const waits = [
      ...replicas.map((r) => waitForOk(`${r.url}/readyz`, o.readyTimeoutMs)),
      // Over HTTP, which answers /healthz with TLS on too (and needs no trust in the certificate).
      waitForOk(`${httpUrl}/healthz`, o.readyTimeoutMs, () => nginx.running),
    ];
    if (o.monitoring) {
      waits.push(
        waitForOk(`http://127.0.0.1:${o.prometheusPort}/-/ready`, o.readyTimeoutMs),
        waitForOk(`http://127.0.0.1:${o.alertmanagerPort}/-/ready`, o.readyTimeoutMs),
        waitForOk(`http://127.0.0.1:${o.nodeExporterPort}/metrics`, o.readyTimeoutMs),
      );
    }
    await Promise.all(waits);
    return {
      options: o,
      url,
      httpUrl,
      prometheusUrl: `http://127.0.0.1:${o.prometheusPort}`,
      alertmanagerUrl: `http://127.0.0.1:${o.alertmanagerPort}`,
      replicas,
      nginx,
      logDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`the stack did not start: ${(error as Error).message} (logs in ${logDir})`);
  }
}
