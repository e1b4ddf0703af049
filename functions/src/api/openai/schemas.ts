/**
 * @module schemas
 * OpenAI's moderation request and response (POST /v1/moderations), as its clients send and read
 * them: one result per input, with every category key in every map, never null.
 */
import { z } from '@hono/zod-openapi';
import { LIMITS } from '../schemas.ts';
import { OPENAI_CATEGORIES } from './categories.ts';

const InputText = z.string({ error: 'must be a string' }).max(LIMITS.maxChars, { error: `must be at most ${LIMITS.maxChars} characters` });

export const ModerationRequestSchema = z
  .strictObject({
    input: z
      .union([InputText, z.array(InputText).min(1).max(LIMITS.maxTexts)], {
        error: `must be a string or an array of 1 to ${LIMITS.maxTexts} strings`,
      })
      .openapi({ description: `a string or an array of 1 to ${LIMITS.maxTexts} strings; images are not taken` }),
    model: z.string().optional().openapi({ description: 'accepted and ignored: the service runs unitary/toxic-bert' }),
  })
  .openapi('ModerationRequest');

const byCategory = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(OPENAI_CATEGORIES.map((category) => [category, value])) as Record<(typeof OPENAI_CATEGORIES)[number], T>);

export const ModerationResponseSchema = z
  .object({
    id: z.string().openapi({ description: '"modr-" and a random id' }),
    model: z.string(),
    results: z.array(
      z.object({
        flagged: z.boolean().openapi({ description: "this service's verdict: any of toxic-bert's six labels at or over 0.5" }),
        categories: byCategory(z.boolean()),
        category_scores: byCategory(z.number().min(0).max(1)),
        category_applied_input_types: byCategory(z.array(z.literal('text'))),
      }),
    ),
  })
  .openapi('ModerationResponse');

export const OpenAiErrorSchema = z
  .object({ error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }) })
  .openapi('OpenAiError', { description: "OpenAI's error format" });

export type ModerationResponse = z.infer<typeof ModerationResponseSchema>;
