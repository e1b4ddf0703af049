/**
 * @module server
 * The Node edge of the function: reads the configuration, listens, loads the model, and on
 * SIGTERM or SIGINT stops taking requests, finishes those in flight, and exits 0 within
 * DRAIN_TIMEOUT_MS. Everything else is in app.ts and below.
 */
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context } from 'hono';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { createApp } from './app.ts';
import { errorBody } from './api/errors.ts';
import { ConfigError, readConfig, type Config } from './config.ts';
import { Lifecycle } from './lifecycle.ts';
import { describeError, log } from './log.ts';
import { keysEnabled } from './keys/key-file.ts';
import { keyStore } from './keys/key-store.ts';
import { gcExposed, startIdleGc } from './memory/idle-gc.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { modelName } from './model/loader.ts';
import { locateModel, ModelNotFoundError } from './model/location.ts';
import { prepareModel } from './service.ts';

function drainOnSignals(server: Server, lifecycle: Lifecycle, metrics: Metrics, config: Config): void {
  const drain = (signal: string) => {
    if (lifecycle.phase === 'draining') return;
    lifecycle.startDraining();
    metrics.modelReady.set(0);
    log.info('draining', { signal, timeout_ms: config.drainTimeoutMs });
    server.close(() => {
      log.info('drained, exiting');
      process.exit(0);
    });
    // Keep-alive sockets left idle by finished requests would hold close() open.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 50).unref();
    setTimeout(() => {
      log.warn('drain timeout reached, closing remaining connections');
      server.closeAllConnections();
      process.exit(0);
    }, config.drainTimeoutMs).unref();
  };
  process.on('SIGTERM', () => drain('SIGTERM'));
  process.on('SIGINT', () => drain('SIGINT'));
}

/**
 * Node answers what its HTTP parser rejects (an unknown method such as `FUZZ`, which nginx
 * passes on; a malformed header) with a bare 400 and no body. Answer with the JSON error shape
 * instead, as every other error is; the statuses are the ones Node would send.
 */
function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket & { _httpMessage?: { headersSent: boolean } }) => {
    // Node's own test: no answer on this connection is half sent (keep-alive sockets from
    // nginx have carried earlier answers, so bytesWritten is no guide).
    if (error.code !== 'ECONNRESET' && socket.writable && !socket._httpMessage?.headersSent) {
      const [status, reason] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'Request Timeout']
            : [400, 'Bad Request'];
      const body = JSON.stringify(errorBody('bad_request', 'the request is not valid HTTP that this server accepts'));
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Connection: close\r\n\r\n${body}`,
      );
    } else {
      socket.destroy();
    }
  });
}

/**
 * The client a request comes from: the header the proxy in front sets (overwriting any the
 * client sent), when CLIENT_ID_HEADER names one; else the connection's address.
 */
function clientIdentifier(header: string): (c: Context) => string {
  return (c) => (header && c.req.header(header)?.slice(0, 256)) || getConnInfo(c).remote.address || 'unknown';
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = readConfig(process.env);
    // Before listening: a chosen model that is missing must stop the replica, not answer /healthz.
    locateModel(config);
    if (config.idleGcMs > 0 && !gcExposed()) {
      throw new ConfigError('IDLE_GC_MS needs V8\'s gc(): start node with --expose-gc (as npm start, the image and tools/stack do), or set IDLE_GC_MS=0');
    }
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof ModelNotFoundError)) throw error;
    log.error(error instanceof ConfigError ? 'invalid configuration' : 'model not found', { message: error.message });
    process.exit(2);
  }

  const lifecycle = new Lifecycle();
  const metrics = createMetrics();
  const idleGc = config.idleGcMs > 0 ? startIdleGc({ idleMs: config.idleGcMs, onCollect: () => metrics.idleCollections.inc() }) : undefined;
  // An unreadable or invalid key file keeps the keys last read (none at start: every key is refused).
  const keys = keysEnabled(config.apiKeysFile)
    ? keyStore(config.apiKeysFile, {
        onLoad: (count) => log.info('API keys loaded', { file: config.apiKeysFile, keys: count }),
        onError: (message) => log.error('API KEY FILE UNUSABLE: keeping the keys last read', { file: config.apiKeysFile, message }),
      })
    : undefined;
  const app = createApp({
    lifecycle,
    keys,
    metrics,
    activity: idleGc?.middleware,
    faultInjection: config.faultInjection,
    maxBodyBytes: config.maxBodyBytes,
    clientOf: clientIdentifier(config.clientIdHeader),
    requestDeadlineMs: config.requestDeadlineMs,
    // Behind nginx the page comes from the proxy; alone (`npm start`) this process serves it.
    staticFiles: existsSync(path.join(config.staticDir, 'index.html')) ? serveStatic({ root: config.staticDir }) : undefined,
    onUnexpectedError: (error) => log.error('unexpected error', describeError(error)),
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (address) =>
    log.info('listening', { address: address.address, port: address.port, node: process.version }),
  ) as Server;
  // Answers given while draining tell the client (or nginx) to use another connection.
  server.on('request', (_req, res) => {
    if (lifecycle.phase === 'draining') res.shouldKeepAlive = false;
  });
  answerUnparsableRequests(server);
  drainOnSignals(server, lifecycle, metrics, config);

  const started = performance.now();
  try {
    const model = await prepareModel(config, {
      observer: metrics.schedulerObserver,
      onCrash: (error) => {
        log.error('the inference worker died; exiting', describeError(error));
        process.exit(1);
      },
    });
    lifecycle.markReady(model);
    metrics.modelReady.set(1);
    log.info('ready', {
      model: modelName(model.info),
      dtype: model.info.dtype,
      offline: model.info.offline,
      sha256: model.info.version.sha256,
      revision: model.info.version.revision,
      sha256_from: model.info.version.source,
      model_dir: model.info.dir,
      ort_threads: config.ortThreads,
      inference_workers: config.inferenceWorkers,
      max_request_tokens: config.maxRequestTokens,
      load_ms: Math.round(performance.now() - started),
    });
    if (model.info.offline) {
      log.warn(
        `OFFLINE MODEL: serving the small offline stand-in, not the real ${model.info.id}; its scores are ` +
          'far less accurate. Run "npm run model:fetch" to put the real model in MODEL_DIR.',
        { model_dir: config.modelDir },
      );
    }
  } catch (error) {
    lifecycle.markFailed();
    log.error('model failed to load', describeError(error));
    process.exit(1);
  }
}

await main();
