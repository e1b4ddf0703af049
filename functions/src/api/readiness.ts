/**
 * @module readiness
 * /healthz (the process lives) and /readyz (the model is loaded and warmed up, and the replica
 * is not draining), plus the guard that API handlers use before touching the model.
 */
import type { Context } from 'hono';
import type { Lifecycle, ReadyModel } from '../lifecycle.ts';
import { ApiError } from './errors.ts';

/** Seconds a client is asked to wait while the model loads or the replica drains. */
const RETRY_AFTER_SECONDS = 2;

function notReady(lifecycle: Lifecycle): ApiError {
  const message: Record<string, string> = {
    loading: 'the model is still loading',
    draining: 'this replica is shutting down',
    failed: 'the model failed to load',
    ready: 'ready',
  };
  return new ApiError(503, 'not_ready', message[lifecycle.phase]!, [], RETRY_AFTER_SECONDS);
}

/**
 * The model for an API request. While draining, requests that still reach this replica (on
 * connections opened before SIGTERM) are served; their answers close the connection.
 */
export function requireModel(lifecycle: Lifecycle): ReadyModel {
  const model = lifecycle.model;
  if (!model || (lifecycle.phase !== 'ready' && lifecycle.phase !== 'draining')) throw notReady(lifecycle);
  return model;
}

export function healthzHandler(c: Context): Response {
  return c.json({ status: 'ok' });
}

export function readyzHandler(lifecycle: Lifecycle) {
  return (c: Context): Response => {
    // Draining replicas report not ready so load balancers stop sending them work.
    if (lifecycle.phase !== 'ready') throw notReady(lifecycle);
    return c.json({ status: 'ready' });
  };
}
