/**
 * @module schemas
 * Perspective's request and response bodies (comments:analyze and comments:suggestscore), as
 * its public reference gives them: unknown fields are refused, as Google's API refuses them.
 */
import { z } from '@hono/zod-openapi';

const TextEntrySchema = z.strictObject({
  text: z.string().optional(),
  type: z.enum(['TEXT_TYPE_UNSPECIFIED', 'PLAIN_TEXT', 'HTML']).optional(),
});

const ContextSchema = z.strictObject({
  entries: z.array(TextEntrySchema).optional(),
  articleAndParentComment: z.strictObject({ article: TextEntrySchema.optional(), parentComment: TextEntrySchema.optional() }).optional(),
});

const ScoreSchema = z.strictObject({ value: z.number(), type: z.string().optional() });

export const AnalyzeCommentRequestSchema = z
  .strictObject({
    comment: TextEntrySchema.optional(),
    context: ContextSchema.optional(),
    requestedAttributes: z
      .record(z.string(), z.strictObject({ scoreType: z.string().optional(), scoreThreshold: z.number().min(0).max(1).optional() }))
      .optional()
      .openapi({ description: 'TOXICITY, SEVERE_TOXICITY, PROFANITY, THREAT, INSULT, IDENTITY_ATTACK (also with _EXPERIMENTAL)' }),
    spanAnnotations: z.boolean().optional().openapi({ description: 'also score each sentence (spanScores, UTF-16 offsets)' }),
    languages: z.array(z.string()).optional().openapi({ description: 'English only: "en", or a tag such as "en-US"' }),
    doNotStore: z.boolean().optional().openapi({ description: 'accepted; nothing is ever stored' }),
    clientToken: z.string().optional(),
    sessionId: z.string().optional(),
    communityId: z.string().optional(),
    dropUnsupportedAttributes: z.boolean().optional(),
  })
  .openapi('AnalyzeCommentRequest');

const AttributeScoresSchema = z.record(
  z.string(),
  z.object({
    summaryScore: ScoreSchema,
    spanScores: z.array(z.object({ begin: z.number().int(), end: z.number().int(), score: ScoreSchema })).optional(),
  }),
);

export const AnalyzeCommentResponseSchema = z
  .object({
    attributeScores: AttributeScoresSchema.optional().openapi({ description: 'left out when no attribute reached its scoreThreshold' }),
    languages: z.array(z.string()),
    clientToken: z.string().optional(),
  })
  .openapi('AnalyzeCommentResponse');

export const SuggestCommentScoreRequestSchema = z
  .strictObject({
    comment: TextEntrySchema.optional(),
    context: ContextSchema.optional(),
    attributeScores: z
      .record(
        z.string(),
        z.strictObject({
          summaryScore: ScoreSchema.optional(),
          spanScores: z.array(z.strictObject({ begin: z.number().int().optional(), end: z.number().int().optional(), score: ScoreSchema })).optional(),
        }),
      )
      .optional(),
    languages: z.array(z.string()).optional(),
    communityId: z.string().optional(),
    clientToken: z.string().optional(),
    sessionId: z.string().optional(),
  })
  .openapi('SuggestCommentScoreRequest');

export const SuggestCommentScoreResponseSchema = z
  .object({ clientToken: z.string().optional(), requestedLanguages: z.array(z.string()).optional() })
  .openapi('SuggestCommentScoreResponse');

export const GoogleErrorSchema = z
  .object({
    error: z.object({ code: z.number().int(), message: z.string(), status: z.string(), details: z.array(z.record(z.string(), z.unknown())) }),
  })
  .openapi('GoogleError', { description: "Google's error format, as Perspective answers errors" });

export type AnalyzeCommentRequest = z.infer<typeof AnalyzeCommentRequestSchema>;
export type AnalyzeCommentResponse = z.infer<typeof AnalyzeCommentResponseSchema>;
export type SuggestCommentScoreResponse = z.infer<typeof SuggestCommentScoreResponseSchema>;
