/**
 * @module handler
 * POST /v1/moderations in OpenAI's format, scored by the same engine as /api/v1/classify
 * (scoring.ts). The `Authorization: Bearer` header every OpenAI client sends is accepted; checking
 * keys is the edge's job when they are configured.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { TextResult } from '../../classify/classifier.ts';
import { LABELS, toLabelScores } from '../../model/labels.ts';
import { parseJsonBody } from '../classify-request.ts';
import { requireModel } from '../readiness.ts';
import { ApiError } from '../errors.ts';
import { LIMITS } from '../schemas.ts';
import { scoreTexts, type ScoringContext } from '../scoring.ts';
import { issueDetails, validated, type Issue } from '../validate.ts';
import { COVERED, OPENAI_CATEGORIES, type OpenAiCategory } from './categories.ts';
import { ModerationRequestSchema, type ModerationResponse } from './schemas.ts';

/** OpenAI has no threshold parameter; a category and the verdict flag at the service's default. */
const THRESHOLD = LIMITS.defaultThreshold;

const details = (issues: readonly Issue[]) => issueDetails(issues, () => 'is not a known argument');

/** A text with nothing in it to score: every label 0, without running the model. */
const NOTHING: TextResult = { scores: toLabelScores(new Float32Array(LABELS.length)), flagged: false, labels: [], tokens: 2, windows: 1 };

function inputs(body: unknown): string[] {
  const input = (body as { input?: unknown } | null)?.input;
  if (Array.isArray(input) && input.some((item) => typeof item === 'object' && item !== null)) {
    throw new ApiError(400, 'invalid_request', 'multi-modal input (objects of type text or image_url) is not taken: send input as a string or an array of strings', [
      { field: 'input', message: 'must be a string or an array of strings' },
    ]);
  }
  const request = validated(ModerationRequestSchema, body, details, 'the request has invalid arguments');
  return typeof request.input === 'string' ? [request.input] : request.input;
}

function moderation(result: TextResult): ModerationResponse['results'][number] {
  const entries = (value: (category: OpenAiCategory) => unknown) => Object.fromEntries(OPENAI_CATEGORIES.map((c) => [c, value(c)]));
  const score = (category: OpenAiCategory) => COVERED[category]?.score(result.scores) ?? 0;
  return {
    flagged: result.flagged,
    categories: entries((c) => COVERED[c] !== undefined && score(c) >= THRESHOLD),
    category_scores: entries(score),
    category_applied_input_types: entries((c) => (COVERED[c] ? ['text'] : [])),
  } as ModerationResponse['results'][number];
}

export function moderationsHandler(context: ScoringContext) {
  return async (c: Context): Promise<Response> => {
    const started = performance.now();
    const { info } = requireModel(context.lifecycle);
    const texts = inputs(parseJsonBody(new Uint8Array(await c.req.arrayBuffer())));
    // Empty inputs are answered without the model (the classifier takes only texts with something in them).
    const scored = texts.filter((t) => t.trim().length > 0);
    const { results } =
      scored.length > 0 ? await scoreTexts(c, context, 'openai', scored, { threshold: THRESHOLD, spans: false }, started) : { results: [] };
    let next = 0;
    const body: ModerationResponse = {
      id: `modr-${randomBytes(12).toString('hex')}`,
      model: info.id,
      results: texts.map((t) => moderation(t.trim().length > 0 ? results[next++]! : NOTHING)),
    };
    return c.json(body);
  };
}
