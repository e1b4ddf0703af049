/**
 * @module model-handler
 * GET /api/v1/model: what is being served, so clients and the page can show it, and results
 * can cite it: the SHA-256 of the weights file and, when known, the Hub revision.
 */
import type { Context } from 'hono';
import type { Lifecycle } from '../lifecycle.ts';
import { LABELS } from '../model/labels.ts';
import { modelName } from '../model/loader.ts';
import { COVERED, NOT_COVERED } from './openai/categories.ts';
import { SERVED } from './perspective/attributes.ts';
import { LIMITS, type ModelResponse } from './schemas.ts';

const COMPATIBILITY: ModelResponse['compatibility'] = {
  perspective: { attributes: { ...SERVED }, languages: ['en'] },
  openai: {
    categories: Object.fromEntries(Object.entries(COVERED).map(([category, { from }]) => [category, from])),
    not_covered: [...NOT_COVERED],
  },
};
import { requireModel } from './readiness.ts';

export function modelHandler(lifecycle: Lifecycle) {
  return (c: Context): Response => {
    const { info, classifier } = requireModel(lifecycle);
    const body: ModelResponse = {
      id: info.id,
      name: modelName(info),
      dtype: info.dtype,
      offline: info.offline,
      sha256: info.version.sha256,
      revision: info.version.revision,
      labels: [...LABELS],
      max_tokens: info.maxTokens,
      threshold_default: LIMITS.defaultThreshold,
      compatibility: COMPATIBILITY,
      limits: { max_texts: LIMITS.maxTexts, max_chars: LIMITS.maxChars, max_request_tokens: classifier.budget },
    };
    return c.json(body);
  };
}
