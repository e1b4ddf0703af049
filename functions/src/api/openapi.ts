/**
 * @module openapi
 * The OpenAPI 3.1 description served at GET /api/v1/openapi.json.
 */
import { LABELS } from '../model/labels.ts';
import { LIMITS } from './classify-request.ts';

const text = { type: 'string', minLength: 1, maxLength: LIMITS.maxChars };
const labelScores = {
  type: 'object',
  properties: Object.fromEntries(LABELS.map((l) => [l, { type: 'number', minimum: 0, maximum: 1 }])),
  required: [...LABELS],
};
const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
      required: ['code', 'message', 'details'],
    },
  },
  required: ['error'],
};
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Toxicity monitor',
    version: '1',
    description: 'Scores English text with unitary/toxic-bert: a sigmoid probability for each of six labels.',
  },
  paths: {
    '/api/v1/classify': {
      post: {
        summary: 'Score one text or up to 32 texts',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  text: text,
                  texts: { type: 'array', items: text, minItems: 1, maxItems: LIMITS.maxTexts },
                  threshold: { type: 'number', minimum: 0, maximum: 1, default: LIMITS.defaultThreshold },
                  spans: { type: 'boolean', default: false, description: 'also score each sentence' },
                },
                oneOf: [{ required: ['text'] }, { required: ['texts'] }],
                additionalProperties: false,
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'One result per text, in request order',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ClassifyResponse' } } },
          },
          '400': errorResponse('Bad JSON, bad UTF-8 or invalid fields'),
          '413': errorResponse(
            'payload_too_large: body over the size limit; over_budget: the request would cost more model work than ' +
              'limits.max_request_tokens of GET /api/v1/model (the message gives the estimate and the budget)',
          ),
          '415': errorResponse('Content-Type is not application/json'),
          '429': errorResponse('rate_limited: too many requests from this client, or too much of its work queued; see Retry-After'),
          '503': errorResponse('Not ready or overloaded; see Retry-After'),
          '504': errorResponse('timeout: the request could not be served before its deadline'),
        },
      },
    },
    '/api/v1/model': {
      get: {
        summary: 'The model being served',
        responses: {
          '200': {
            description:
              'Model id, dtype, offline, sha256 (of the ONNX weights file in use), revision (`<hub repo>@<commit>` recorded ' +
              'by model:fetch, or null when none was: the offline stand-in, a copied folder), labels, max_tokens, ' +
              'threshold_default, and limits: max_texts, max_chars, max_request_tokens ' +
              '(the most model work one request may cost: tokens of every sequence it runs, sentences included)',
          },
          '503': errorResponse('Not ready'),
        },
      },
    },
  },
  components: {
    schemas: {
      Error: errorSchema,
      ClassifyResponse: {
        type: 'object',
        properties: {
          model: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              dtype: { type: 'string' },
              offline: { type: 'boolean' },
              sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the weights file that scored this request' },
            },
          },
          threshold: { type: 'number' },
          results: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                scores: labelScores,
                flagged: { type: 'boolean' },
                labels: { type: 'array', items: { enum: [...LABELS] } },
                tokens: { type: 'integer' },
                windows: {
                  type: 'integer',
                  minimum: 1,
                  description: 'pieces the text was scored in: 1 when whole; more for a text longer than the model takes, cut at sentence boundaries (the scores are the maximum over them)',
                },
                spans: {
                  type: 'array',
                  description: 'Sentences with UTF-16 offsets into the text (present when spans is true)',
                  items: {
                    type: 'object',
                    properties: { begin: { type: 'integer' }, end: { type: 'integer' }, scores: labelScores },
                  },
                },
              },
            },
          },
          took_ms: { type: 'number' },
        },
      },
    },
  },
} as const;
