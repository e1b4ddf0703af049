/**
 * @module model-handler
 * GET /api/v1/model: what is being served, so clients and the page can show it, and results
 * can cite it: the SHA-256 of the weights file and, when known, the Hub revision.
 */
import type { Context } from 'hono';
import type { Lifecycle } from '../lifecycle.ts';
import { LIMITS } from './classify-request.ts';
import { requireModel } from './readiness.ts';

export function modelHandler(lifecycle: Lifecycle) {
  return (c: Context): Response => {
    const { info, classifier } = requireModel(lifecycle);
    return c.json({
      id: info.id,
      dtype: info.dtype,
      offline: info.offline,
      sha256: info.version.sha256,
      revision: info.version.revision,
      labels: info.labels,
      max_tokens: info.maxTokens,
      threshold_default: LIMITS.defaultThreshold,
      limits: { max_texts: LIMITS.maxTexts, max_chars: LIMITS.maxChars, max_request_tokens: classifier.budget },
    });
  };
}
