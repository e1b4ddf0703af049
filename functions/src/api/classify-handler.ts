/**
 * @module classify-handler
 * POST /api/v1/classify: validated request in, one result per text out, in request order,
 * with how long each phase took (Server-Timing header and metrics).
 */
import type { Context } from 'hono';
import { setMetric } from 'hono/timing';
import type { Lifecycle } from '../lifecycle.ts';
import { isJsonContentType, parseJsonBody, validateClassifyBody } from './classify-request.ts';
import { ApiError } from './errors.ts';
import { requireModel } from './readiness.ts';
import type { ClassifyResponse } from './schemas.ts';
import type { ClassifyContext } from './classify-context.ts';

const round = (ms: number) => Math.round(ms * 10) / 10;

export function classifyHandler(lifecycle: Lifecycle, context: ClassifyContext) {
  return async (c: Context): Promise<Response> => {
    const started = performance.now();
    if (!isJsonContentType(c.req.header('content-type'))) {
      throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
    }
    const request = validateClassifyBody(parseJsonBody(new Uint8Array(await c.req.arrayBuffer())));
    const { classifier, info } = requireModel(lifecycle);
    const { results, cost, timings } = await classifier.classify(request.texts, {
      threshold: request.threshold,
      spans: request.spans,
      client: context.clientOf(c),
      deadline: started + context.deadlineMs,
      signal: c.req.raw.signal,
    });
    context.observe(results, cost, timings);
    setMetric(c, 'tokenize', round(timings.tokenize * 1000), 'tokenising and planning');
    setMetric(c, 'queue', round(timings.queue * 1000), 'waiting for the model');
    setMetric(c, 'inference', round(timings.inference * 1000), 'forward passes');
    const body: ClassifyResponse = {
      model: { id: info.id, dtype: info.dtype, offline: info.offline },
      threshold: request.threshold,
      results,
      took_ms: round(performance.now() - started),
    };
    return c.json(body);
  };
}
