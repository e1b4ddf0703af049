/**
 * @module schemas
 * The API's shape, defined once with zod: the validation of requests (classify-request.ts), the
 * OpenAPI document (openapi.ts), and the types of the handlers' answers and of the page's client
 * (static/src/api.ts imports them) all come from these schemas, so they cannot drift apart.
 * Messages are written for a person: each names what is wrong and what is allowed.
 */
import { z } from '@hono/zod-openapi';
import { LABELS } from '../model/labels.ts';
import { countChars } from './chars.ts';

export const LIMITS = {
  maxTexts: 32,
  maxChars: 20_000,
  defaultThreshold: 0.5,
} as const;

const isObject = ({ value }: { value: unknown }) => typeof value === 'object' && value !== null;
const typeOf = (value: unknown) => (value === null ? 'null' : typeof value);

export const TextSchema = z
  .string({ error: (issue) => `must be a string, got ${typeOf(issue.input)}` })
  .refine((text) => text.trim().length > 0, { error: 'must contain at least one non-whitespace character', abort: true })
  .refine((text) => text.length <= LIMITS.maxChars || countChars(text) <= LIMITS.maxChars, {
    error: (issue) => `must be at most ${LIMITS.maxChars} characters, got ${countChars(issue.input as string)}`,
  })
  .openapi({ minLength: 1, maxLength: LIMITS.maxChars, description: `1 to ${LIMITS.maxChars} characters (code points), not only whitespace` });

const textsCount = (issue: { input: unknown }) => `must hold 1 to ${LIMITS.maxTexts} texts, got ${(issue.input as unknown[]).length}`;
const THRESHOLD_MESSAGE = 'must be a number from 0 to 1';
export const EXACTLY_ONE_TEXT = 'give exactly one of "text" (a string) or "texts" (an array of strings)';

export const ClassifyRequestSchema = z
  .strictObject({
    text: TextSchema.optional(),
    texts: z
      .array(TextSchema, { error: 'must be an array of strings' })
      .min(1, { error: textsCount })
      .max(LIMITS.maxTexts, { error: textsCount })
      .optional(),
    threshold: z
      .number({ error: THRESHOLD_MESSAGE })
      .min(0, { error: THRESHOLD_MESSAGE })
      .max(1, { error: THRESHOLD_MESSAGE })
      .default(LIMITS.defaultThreshold)
      .openapi({ description: 'a label is flagged at or above this probability' }),
    spans: z.boolean({ error: 'must be true or false' }).default(false).openapi({ description: 'also score each sentence' }),
  })
  // Checked even when other fields are wrong, so every problem is listed at once.
  .refine((body) => !('text' in body && 'texts' in body), { error: EXACTLY_ONE_TEXT, path: ['text'], when: isObject })
  .refine((body) => 'text' in body || 'texts' in body, { error: EXACTLY_ONE_TEXT, path: [], when: isObject })
  .openapi('ClassifyRequest', {
    description: `One text, or up to ${LIMITS.maxTexts} texts, to score`,
    oneOf: [{ required: ['text'] }, { required: ['texts'] }],
  });

export const LabelScoresSchema = z
  .object(Object.fromEntries(LABELS.map((label) => [label, z.number().min(0).max(1)])) as Record<(typeof LABELS)[number], z.ZodNumber>)
  .openapi('LabelScores', { description: "Sigmoid probability of each of toxic-bert's six labels" });

export const TextResultSchema = z
  .object({
    scores: LabelScoresSchema,
    flagged: z.boolean().openapi({ description: 'some label reached the threshold' }),
    labels: z.array(z.enum(LABELS)).openapi({ description: 'the labels that reached the threshold, in label order' }),
    tokens: z.number().int().openapi({ description: 'tokens the model sees for the whole text, special tokens included, before cutting' }),
    windows: z.number().int().min(1).openapi({
      description:
        'pieces the text was scored in: 1 when whole; more for a text longer than the model takes, cut at sentence ' +
        'boundaries (its scores are the maximum over them)',
    }),
    spans: z
      .array(z.object({ begin: z.number().int(), end: z.number().int(), scores: LabelScoresSchema }))
      .optional()
      .openapi({ description: 'each sentence with UTF-16 offsets into the text (when spans was asked for)' }),
  })
  .openapi('TextResult');

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

export const ModelRefSchema = z.object({
  id: z.string(),
  dtype: z.string(),
  offline: z.boolean(),
  sha256: Sha256Schema.openapi({ description: 'SHA-256 of the weights file that scored this request: answers from replicas that disagree differ here' }),
});

export const ClassifyResponseSchema = z
  .object({
    model: ModelRefSchema,
    threshold: z.number(),
    results: z.array(TextResultSchema).openapi({ description: 'one result per text, in request order' }),
    took_ms: z.number(),
  })
  .openapi('ClassifyResponse');

export const ModelResponseSchema = z
  .object({
    id: z.string().openapi({ description: 'the model this replica serves, or that the offline stand-in stands in for' }),
    name: z.string().openapi({ description: 'what to call it: the id, or "the offline stand-in for <id>"' }),
    dtype: z.string(),
    offline: z.boolean().openapi({ description: 'true when the small offline stand-in is served, not toxic-bert' }),
    sha256: Sha256Schema.openapi({ description: 'SHA-256 of the ONNX weights file in use' }),
    revision: z.string().nullable().openapi({
      description: '`<hub repo>@<commit>` recorded by model:fetch, or null when none was (the offline stand-in, a copied folder)',
    }),
    labels: z.array(z.enum(LABELS)),
    max_tokens: z.number().int().openapi({ description: 'longest sequence the model takes' }),
    threshold_default: z.number(),
    compatibility: z
      .object({
        perspective: z.object({
          attributes: z.record(z.string(), z.enum(LABELS)).openapi({ description: 'Perspective attribute → the toxic-bert label it is served from' }),
          languages: z.array(z.string()),
        }),
        openai: z.object({
          categories: z.record(z.string(), z.string()).openapi({ description: 'OpenAI category → what it is scored from' }),
          not_covered: z.array(z.string()).openapi({ description: 'categories toxic-bert does not measure: always 0 and false' }),
        }),
      })
      .openapi({ description: 'how the drop-in routes map toxic-bert onto Perspective and OpenAI' }),
    limits: z.object({
      max_texts: z.number().int(),
      max_chars: z.number().int(),
      max_request_tokens: z.number().int().openapi({
        description: 'most model work one request may cost: tokens of every sequence it runs, sentences included; over it: 413 over_budget',
      }),
    }),
  })
  .openapi('Model');

export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'invalid_utf8',
  'invalid_request',
  'payload_too_large',
  'over_budget',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'uri_too_long',
  'length_required',
  'unauthorized',
  'rate_limited',
  'not_ready',
  'overloaded',
  'unavailable',
  'timeout',
  'client_closed_request',
  'internal_error',
] as const;

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.array(z.object({ field: z.string().openapi({ description: 'where, as a JSON path such as texts[3]' }), message: z.string() })),
    }),
  })
  .openapi('Error', { description: 'Every error has this shape; never a stack trace' });

export type ClassifyRequestBody = z.input<typeof ClassifyRequestSchema>;
export type ClassifyResponse = z.infer<typeof ClassifyResponseSchema>;
export type TextResultBody = z.infer<typeof TextResultSchema>;
export type ModelResponse = z.infer<typeof ModelResponseSchema>;
export type ErrorCode = (typeof ERROR_CODES)[number];
export type ErrorBody = z.infer<typeof ErrorResponseSchema>;
