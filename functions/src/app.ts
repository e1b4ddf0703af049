/**
 * @module app
 * The function's HTTP surface as a Hono app of web-standard handlers. It knows nothing about
 * ports, processes or signals (see server.ts); give it a Lifecycle and it answers requests.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { classifyHandler } from './api/classify-handler.ts';
import { ApiError, errorResponse } from './api/errors.ts';
import { modelHandler } from './api/model-handler.ts';
import { openApiDocument } from './api/openapi.ts';
import { healthzHandler, readyzHandler } from './api/readiness.ts';
import { OverloadedError } from './classify/batcher.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Metrics } from './metrics/metrics.ts';
import { metricsMiddleware } from './metrics/middleware.ts';

export interface AppOptions {
  lifecycle: Lifecycle;
  metrics: Metrics;
  maxBodyBytes: number;
  /** Serves the built page for paths the API does not own (the embedded `npm start`). */
  staticFiles?: MiddlewareHandler;
  /** Adds POST /debug/fault, which throws: lets tests prove exceptions reach metrics and alerts. */
  faultInjection?: boolean;
  /** Sees every request first: the idle collector's note of activity (memory/idle-gc.ts). */
  activity?: MiddlewareHandler;
  /** Called with unexpected errors; gets the error only, never request content. */
  onUnexpectedError?: (error: unknown) => void;
}

/** Paths and the methods they answer, for 405 answers on the wrong method. */
const ROUTES: Record<string, string> = {
  '/api/v1/classify': 'POST',
  '/api/v1/model': 'GET',
  '/api/v1/openapi.json': 'GET',
  '/healthz': 'GET',
  '/readyz': 'GET',
  '/metrics': 'GET',
};

/**
 * @example
 * const app = createApp({ lifecycle, metrics: createMetrics(), maxBodyBytes: 1 << 20 });
 * const res = await app.request('/healthz');
 */
export function createApp(options: AppOptions): Hono {
  const { lifecycle, metrics, maxBodyBytes, staticFiles, onUnexpectedError } = options;
  const app = new Hono();
  const routes: Record<string, string> = options.faultInjection ? { ...ROUTES, '/debug/fault': 'POST' } : ROUTES;
  const tooLarge = () => {
    throw new ApiError(413, 'payload_too_large', `the body must be at most ${maxBodyBytes} bytes`);
  };

  app.use(metricsMiddleware(metrics, new Set(Object.keys(routes))));
  if (options.activity) app.use(options.activity);
  app.get('/healthz', healthzHandler);
  app.get('/readyz', readyzHandler(lifecycle));
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }));
  app.get('/api/v1/model', modelHandler(lifecycle));
  app.get('/api/v1/openapi.json', (c) => c.json(openApiDocument));
  app.post(
    '/api/v1/classify',
    bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge }),
    classifyHandler(lifecycle, (labels) => metrics.recordFlags(labels)),
  );
  if (options.faultInjection) {
    app.post('/debug/fault', () => {
      throw new Error('fault injected on purpose by POST /debug/fault');
    });
  }

  if (staticFiles) app.get('*', staticFiles);
  app.all('*', (c) => {
    const allowed = routes[c.req.path];
    if (allowed && !(allowed === 'GET' && c.req.method === 'HEAD')) {
      throw new ApiError(405, 'method_not_allowed', `use ${allowed} for ${c.req.path}`);
    }
    throw new ApiError(404, 'not_found', 'no such path');
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      const allow = error.status === 405 ? { Allow: routes[c.req.path]! } : undefined;
      return errorResponse(error, allow);
    }
    if (error instanceof OverloadedError) {
      metrics.shed.inc();
      return errorResponse(new ApiError(503, 'overloaded', 'the service is busy; retry shortly', [], error.retryAfterSeconds));
    }
    metrics.exceptions.inc({ type: error.name || 'Error' });
    onUnexpectedError?.(error);
    return errorResponse(new ApiError(500, 'internal_error', 'an unexpected error occurred; it has been logged'));
  });
  return app;
}
