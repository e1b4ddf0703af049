/**
 * @module classify-handler
 * POST /api/v1/classify: validated request in, one result per text out, in request order.
 */
import type { Context } from 'hono';
import type { Lifecycle } from '../lifecycle.ts';
import type { Label } from '../model/labels.ts';
import { isJsonContentType, parseJsonBody, validateClassifyBody } from './classify-request.ts';
import { ApiError } from './errors.ts';
import { requireModel } from './readiness.ts';

const round = (ms: number) => Math.round(ms * 10) / 10;

export function classifyHandler(lifecycle: Lifecycle, onFlagged: (labels: readonly Label[]) => void) {
  return async (c: Context): Promise<Response> => {
    const started = performance.now();
    if (!isJsonContentType(c.req.header('content-type'))) {
      throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
    }
    const request = validateClassifyBody(parseJsonBody(new Uint8Array(await c.req.arrayBuffer())));
    const { classifier, info } = requireModel(lifecycle);
    const results = await classifier.classify(request.texts, request);
    for (const result of results) onFlagged(result.labels);
    const took = round(performance.now() - started);
    c.header('Server-Timing', `total;dur=${took}`);
    return c.json({
      model: { id: info.id, dtype: info.dtype, offline: info.offline },
      threshold: request.threshold,
      results,
      took_ms: took,
    });
  };
}
