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
          '413': errorResponse('Body too large'),
          '415': errorResponse('Content-Type is not application/json'),
          '429': errorResponse('Rate limited (by the proxy)'),
          '503': errorResponse('Not ready or overloaded; see Retry-After'),
        },
      },
    },
    '/api/v1/model': {
      get: {
        summary: 'The model being served',
        responses: { '200': { description: 'Model id, dtype, labels, limits' }, '503': errorResponse('Not ready') },
      },
    },
  },
  components: {
    schemas: {
      Error: errorSchema,
      ClassifyResponse: {
        type: 'object',
        properties: {
          model: { type: 'object', properties: { id: { type: 'string' }, dtype: { type: 'string' }, offline: { type: 'boolean' } } },
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
                truncated: { type: 'boolean' },
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
