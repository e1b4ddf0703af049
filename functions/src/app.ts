/**
 * @module app
 * The function's HTTP surface as a Hono app of web-standard handlers. It knows nothing about
 * ports, processes or signals (see server.ts); give it a Lifecycle and it answers requests.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { timing } from 'hono/timing';
import { bodySizeLimit } from './api/body-size.ts';
import { classifyHandler } from './api/classify-handler.ts';
import { ApiError, errorResponse } from './api/errors.ts';
import { modelHandler } from './api/model-handler.ts';
import { openApiDocument } from './api/openapi.ts';
import { authHandler, keyRateLimitedHandler } from './api/key-auth.ts';
import { healthzHandler, readyzHandler } from './api/readiness.ts';
import { analyzeRoute, API_ROUTES, classifyRoute, moderationsRoute, modelRoute, openApiRoute, suggestScoreRoute } from './api/routes.ts';
import type { ScoringContext } from './api/scoring.ts';
import { renderOpenAiError } from './api/openai/errors.ts';
import { moderationsHandler } from './api/openai/handler.ts';
import { PerspectiveError, renderPerspectiveError } from './api/perspective/errors.ts';
import { analyzeHandler, suggestScoreHandler } from './api/perspective/handlers.ts';
import { OverBudgetError } from './classify/cost.ts';
import type { KeyStore } from './keys/key-store.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Metrics, ShedReason } from './metrics/metrics.ts';
import { metricsMiddleware } from './metrics/middleware.ts';
import { ClientBusyError, ClientGoneError, DeadlineError, OverloadedError } from './queue/scheduler.ts';

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
  /** The client a request comes from (fair queueing); the Node edge knows the connection. */
  clientOf?: (c: Context) => string;
  /** A request's unstarted work is dropped, and it is answered 504, this long after it arrived. */
  requestDeadlineMs?: number;
  /** The API keys (API_KEYS_FILE): adds the routes nginx asks about keys (api/key-auth.ts). */
  keys?: KeyStore;
}

/**
 * The scheduler's and the budget's refusals as API errors. Over budget is the request's own
 * doing and permanent (413); a client over its share of the replica is told to slow down (429);
 * an overloaded replica sheds (503, which nginx retries on another replica).
 */
function refusal(error: unknown): { error: ApiError; shed?: ShedReason } | undefined {
  if (error instanceof OverBudgetError) {
    const field = { field: 'texts', message: `would cost ${error.atLeast ? 'at least ' : ''}${error.estimate} tokens of model work` };
    const message = `${error.message}; send fewer or shorter texts, or leave out spans`;
    return { error: new ApiError(413, 'over_budget', message, [field]), shed: 'over_budget' };
  }
  if (error instanceof ClientBusyError) {
    const message = `this client already has about ${Math.ceil(error.queuedSeconds)} s of model work queued; slow down and retry`;
    return { error: new ApiError(429, 'rate_limited', message, [], error.retryAfterSeconds), shed: 'client_busy' };
  }
  if (error instanceof OverloadedError) {
    return { error: new ApiError(503, 'overloaded', 'the service is busy; retry shortly', [], error.retryAfterSeconds), shed: 'overloaded' };
  }
  if (error instanceof DeadlineError) {
    return { error: new ApiError(504, 'timeout', 'the request could not be served in time; retry later', [], 5), shed: 'deadline' };
  }
  if (error instanceof ClientGoneError) {
    return { error: new ApiError(499, 'client_closed_request', 'the client closed the connection') };
  }
  return undefined;
}

/** An error in the format of the dialect the path speaks. */
function renderInDialect(error: ApiError, path: string): Response {
  if (path.startsWith('/v1alpha1/')) return renderPerspectiveError(error);
  if (path.startsWith('/v1/')) return renderOpenAiError(error);
  return errorResponse(error);
}

/** Where each dialect's routes live: the native API, Perspective's, OpenAI's. */
const DIALECT_PREFIXES = ['/api/', '/v1alpha1/', '/v1/'];

/** Paths and the methods they answer, for 405 answers on the wrong method. */
const ROUTES: Record<string, string> = {
  ...Object.fromEntries(API_ROUTES.map((route) => [route.path, route.method.toUpperCase()])),
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
  const routes: Record<string, string> = {
    ...ROUTES,
    ...(options.faultInjection ? { '/debug/fault': 'POST' } : {}),
    ...(options.keys ? { '/internal/auth': 'GET', '/internal/rate-limited': 'GET' } : {}),
  };
  const tooLarge = () => {
    throw new ApiError(413, 'payload_too_large', `the body must be at most ${maxBodyBytes} bytes`);
  };

  const scoring: ScoringContext = {
    lifecycle,
    clientOf: options.clientOf ?? (() => 'anonymous'),
    deadlineMs: options.requestDeadlineMs ?? 30_000,
    observe: metrics.recordClassification,
  };

  // Before the middleware, which they skip: nginx asks /internal/auth before every API request,
  // and the key metrics count these (api/key-auth.ts); the HTTP metrics count the request itself.
  if (options.keys) {
    app.get('/internal/auth', authHandler(options.keys, metrics));
    app.get('/internal/rate-limited', keyRateLimitedHandler(metrics, renderInDialect));
  }
  app.use(metricsMiddleware(metrics, new Set(Object.keys(routes))));
  if (options.activity) app.use(options.activity);
  for (const prefix of DIALECT_PREFIXES) app.use(`${prefix}*`, timing({ totalDescription: 'in the replica' }));
  app.get('/healthz', healthzHandler);
  app.get('/readyz', readyzHandler(lifecycle));
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }));
  app.get(modelRoute.path, modelHandler(lifecycle));
  app.get(openApiRoute.path, (c) => c.json(openApiDocument));
  app.post(
    classifyRoute.path,
    bodySizeLimit(maxBodyBytes, tooLarge),
    classifyHandler(scoring),
  );
  app.post(analyzeRoute.path, bodySizeLimit(maxBodyBytes, tooLarge), analyzeHandler(scoring));
  app.post(suggestScoreRoute.path, bodySizeLimit(maxBodyBytes, tooLarge), suggestScoreHandler());
  app.post(moderationsRoute.path, bodySizeLimit(maxBodyBytes, tooLarge), moderationsHandler(scoring));
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
    const path = c.req.path;
    let response: Response;
    if (error instanceof PerspectiveError) {
      response = renderPerspectiveError(error);
    } else if (error instanceof ApiError) {
      response = renderInDialect(error, path);
    } else {
      const refused = refusal(error);
      if (refused?.shed) metrics.shed.inc({ reason: refused.shed });
      if (!refused) {
        metrics.exceptions.inc({ type: error.name || 'Error' });
        onUnexpectedError?.(error);
      }
      response = renderInDialect(refused?.error ?? new ApiError(500, 'internal_error', 'an unexpected error occurred; it has been logged'), path);
    }
    if (response.status === 405) response.headers.set('Allow', routes[path]!);
    return response;
  });
  return app;
}
