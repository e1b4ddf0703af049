/**
 * @module categories
 * OpenAI's moderation categories and how each is scored from toxic-bert's six labels, the same
 * way for every text. Categories toxic-bert does not measure are answered with 0 and false, and
 * listed as not covered (GET /api/v1/model, README) so nobody mistakes 0 for "checked".
 */
import type { LabelScores } from '../../model/labels.ts';

/** Every category key OpenAI's clients index, in the order of its API reference. */
export const OPENAI_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;
export type OpenAiCategory = (typeof OPENAI_CATEGORIES)[number];

/**
 * The covered categories. harassment ← insult (an insult aimed at a person is harassment);
 * harassment/threatening ← threat (a threat aimed at a person); hate ← identity_hate;
 * hate/threatening ← the lesser of identity_hate and threat (it must be both, and the lesser is
 * the most both can be); violence ← threat (toxic-bert measures threats of violence, not its
 * depiction). toxic, severe_toxic and obscene have no OpenAI category: they count in `flagged`.
 */
export const COVERED: Partial<Record<OpenAiCategory, { from: string; score(scores: LabelScores): number }>> = {
  harassment: { from: 'insult', score: (s) => s.insult },
  'harassment/threatening': { from: 'threat', score: (s) => s.threat },
  hate: { from: 'identity_hate', score: (s) => s.identity_hate },
  'hate/threatening': { from: 'min(identity_hate, threat)', score: (s) => Math.min(s.identity_hate, s.threat) },
  violence: { from: 'threat', score: (s) => s.threat },
};

export const NOT_COVERED = OPENAI_CATEGORIES.filter((category) => !COVERED[category]);
