/**
 * @module model-handler
 * GET /api/v1/model: what is being served, so clients and the page can show it.
 */
import type { Context } from 'hono';
import type { Lifecycle } from '../lifecycle.ts';
import { LABELS } from '../model/labels.ts';
import { LIMITS, type ModelResponse } from './schemas.ts';
import { requireModel } from './readiness.ts';

export function modelHandler(lifecycle: Lifecycle) {
  return (c: Context): Response => {
    const { info, classifier } = requireModel(lifecycle);
    const body: ModelResponse = {
      id: info.id,
      dtype: info.dtype,
      offline: info.offline,
      labels: [...LABELS],
      max_tokens: info.maxTokens,
      threshold_default: LIMITS.defaultThreshold,
      limits: { max_texts: LIMITS.maxTexts, max_chars: LIMITS.maxChars, max_request_tokens: classifier.budget },
    };
    return c.json(body);
  };
}
