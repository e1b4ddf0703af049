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
import type { Lifecycle } from './lifecycle.ts';

export interface AppOptions {
  lifecycle: Lifecycle;
  maxBodyBytes: number;
  /** Serves the built page for paths the API does not own (the embedded `npm start`). */
  staticFiles?: MiddlewareHandler;
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
};

/**
 * @example
 * const app = createApp({ lifecycle, maxBodyBytes: 1 << 20 });
 * const res = await app.request('/healthz');
 */
export function createApp({ lifecycle, maxBodyBytes, staticFiles, onUnexpectedError }: AppOptions): Hono {
  const app = new Hono();
  const tooLarge = () => {
    throw new ApiError(413, 'payload_too_large', `the body must be at most ${maxBodyBytes} bytes`);
  };

  app.get('/healthz', healthzHandler);
  app.get('/readyz', readyzHandler(lifecycle));
  app.get('/api/v1/model', modelHandler(lifecycle));
  app.get('/api/v1/openapi.json', (c) => c.json(openApiDocument));
  app.post('/api/v1/classify', bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge }), classifyHandler(lifecycle));

  if (staticFiles) app.get('*', staticFiles);
  app.all('*', (c) => {
    const allowed = ROUTES[c.req.path];
    if (allowed && !(allowed === 'GET' && c.req.method === 'HEAD')) {
      throw new ApiError(405, 'method_not_allowed', `use ${allowed} for ${c.req.path}`);
    }
    throw new ApiError(404, 'not_found', `no such path: ${c.req.path}`);
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      const allow = error.status === 405 ? { Allow: ROUTES[c.req.path]! } : undefined;
      return errorResponse(error, allow);
    }
    onUnexpectedError?.(error);
    return errorResponse(new ApiError(500, 'internal_error', 'an unexpected error occurred; it has been logged'));
  });
  return app;
}
