/**
 * @module classify-handler
 * POST /api/v1/classify: validated request in, one result per text out, in request order.
 */
import type { Context } from 'hono';
import { isJsonContentType, parseJsonBody, validateClassifyBody } from './classify-request.ts';
import { ApiError } from './errors.ts';
import type { ClassifyResponse } from './schemas.ts';
import { roundMs, scoreTexts, type ScoringContext } from './scoring.ts';

export function classifyHandler(context: ScoringContext) {
  return async (c: Context): Promise<Response> => {
    const started = performance.now();
    if (!isJsonContentType(c.req.header('content-type'))) {
      throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
    }
    const request = validateClassifyBody(parseJsonBody(new Uint8Array(await c.req.arrayBuffer())));
    const { results, info } = await scoreTexts(c, context, 'native', request.texts, request, started);
    const body: ClassifyResponse = {
      // The weights' digest on every answer: a client sees at once when replicas disagree (mid-redeploy).
      model: { id: info.id, dtype: info.dtype, offline: info.offline, sha256: info.version.sha256 },
      threshold: request.threshold,
      results,
      took_ms: roundMs(performance.now() - started),
    };
    return c.json(body);
  };
}
