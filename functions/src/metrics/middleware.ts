/**
 * @module metrics-middleware
 * Counts and times every HTTP request. Routes are reported by pattern from a fixed list, so a
 * scan of random paths cannot create new time series.
 */
import type { MiddlewareHandler } from 'hono';
import type { Metrics } from './metrics.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function metricsMiddleware(metrics: Metrics, knownRoutes: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    metrics.inFlight.inc();
    try {
      await next();
    } finally {
      metrics.inFlight.dec();
      const route = knownRoutes.has(c.req.path) ? c.req.path : 'other';
      const seconds = (performance.now() - started) / 1000;
      const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      metrics.requests.inc({ route, method, status: String(c.res.status) });
      metrics.requestDuration.observe({ route }, seconds);
      metrics.requestDurationQuantiles.observe({ route }, seconds);
    }
  };
}
