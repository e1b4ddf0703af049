/**
 * @module routes
 * Each API route as one object: method, path, request and response schemas. app.ts registers
 * the handlers at these paths, openapi.ts turns them into the OpenAPI document, and the
 * validation uses the same request schemas (schemas.ts).
 */
import { createRoute } from '@hono/zod-openapi';
import { ModerationRequestSchema, ModerationResponseSchema, OpenAiErrorSchema } from './openai/schemas.ts';
import {
  AnalyzeCommentRequestSchema,
  AnalyzeCommentResponseSchema,
  GoogleErrorSchema,
  SuggestCommentScoreRequestSchema,
  SuggestCommentScoreResponseSchema,
} from './perspective/schemas.ts';
import { ClassifyRequestSchema, ClassifyResponseSchema, ErrorResponseSchema, LIMITS, ModelResponseSchema } from './schemas.ts';

const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorResponseSchema, description);
const googleError = (description: string) => json(GoogleErrorSchema, description);
const openAiError = (description: string) => json(OpenAiErrorSchema, description);

/** What every dialect's route may answer besides 200 and its own 400s. */
const REFUSALS = {
  401: 'API keys are on (API_KEYS_FILE) and the request has no key, or an unknown or revoked one',
  413: 'the body is over 1 MiB, or the request would cost more model work than the budget per request',
  429: 'too many requests from this client or API key, or too much of its work queued; see Retry-After',
  503: 'not ready, overloaded or unavailable; see Retry-After',
  504: 'the request could not be served before its deadline',
};

export const classifyRoute = createRoute({
  method: 'post',
  path: '/api/v1/classify',
  summary: `Score one text or up to ${LIMITS.maxTexts} texts`,
  request: { body: { required: true, content: { 'application/json': { schema: ClassifyRequestSchema } } } },
  responses: {
    200: json(ClassifyResponseSchema, 'One result per text, in request order'),
    400: error('invalid_json, invalid_utf8, invalid_request (every bad field listed in details) or bad_request'),
    413: error(
      'payload_too_large: the body is over 1 MiB; over_budget: the request would cost more model work than ' +
        'limits.max_request_tokens of GET /api/v1/model (the message gives the estimate and the budget)',
    ),
    401: error(`unauthorized: ${REFUSALS[401]}`),
    415: error('unsupported_media_type: the body is not sent as application/json'),
    429: error('rate_limited: too many requests from this client or API key, or too much of its work queued; see Retry-After'),
    503: error('not_ready, overloaded or unavailable; see Retry-After'),
    504: error('timeout: the request could not be served before its deadline'),
  },
});

export const modelRoute = createRoute({
  method: 'get',
  path: '/api/v1/model',
  summary: 'The model being served and the limits of a request',
  responses: {
    200: json(ModelResponseSchema, 'Model id, dtype, labels and limits'),
    401: error(`unauthorized: ${REFUSALS[401]}`),
    503: error('not_ready: the model is still loading'),
  },
});

export const openApiRoute = createRoute({
  method: 'get',
  path: '/api/v1/openapi.json',
  summary: 'This document',
  responses: { 200: { description: 'The OpenAPI 3.1 description of the API' }, 401: error(`unauthorized: ${REFUSALS[401]}`) },
});

export const analyzeRoute = createRoute({
  method: 'post',
  path: '/v1alpha1/comments:analyze',
  summary: "Perspective API's AnalyzeComment, scored by toxic-bert (?key= accepted)",
  request: { body: body(AnalyzeCommentRequestSchema) },
  responses: {
    200: json(AnalyzeCommentResponseSchema, 'attributeScores per requested attribute, spanScores when spanAnnotations'),
    400: googleError('INVALID_ARGUMENT: bad JSON or fields, COMMENT_EMPTY, COMMENT_TOO_LONG, NO_REQUESTED_ATTRIBUTES, LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE'),
    401: googleError(`UNAUTHENTICATED: ${REFUSALS[401]}`),
    413: googleError(REFUSALS[413]),
    429: googleError(`RESOURCE_EXHAUSTED: ${REFUSALS[429]}`),
    503: googleError(`UNAVAILABLE: ${REFUSALS[503]}`),
    504: googleError(`DEADLINE_EXCEEDED: ${REFUSALS[504]}`),
  },
});

export const suggestScoreRoute = createRoute({
  method: 'post',
  path: '/v1alpha1/comments:suggestscore',
  summary: "Perspective API's SuggestCommentScore: validated and answered; nothing is stored or learnt",
  request: { body: body(SuggestCommentScoreRequestSchema) },
  responses: {
    200: json(SuggestCommentScoreResponseSchema, 'clientToken echoed'),
    400: googleError('INVALID_ARGUMENT: bad JSON or fields, COMMENT_EMPTY, empty attributeScores'),
    401: googleError(`UNAUTHENTICATED: ${REFUSALS[401]}`),
    413: googleError(REFUSALS[413]),
    429: googleError(`RESOURCE_EXHAUSTED: ${REFUSALS[429]}`),
    503: googleError(`UNAVAILABLE: ${REFUSALS[503]}`),
  },
});

export const moderationsRoute = createRoute({
  method: 'post',
  path: '/v1/moderations',
  summary: "OpenAI's moderations, scored by toxic-bert (Authorization: Bearer accepted)",
  request: { body: body(ModerationRequestSchema) },
  responses: {
    200: json(ModerationResponseSchema, 'one result per input, in order'),
    400: openAiError('invalid_request_error: bad JSON, bad input (multi-modal input is not taken), unknown argument'),
    401: openAiError(`invalid_api_key: ${REFUSALS[401]}`),
    413: openAiError(REFUSALS[413]),
    429: openAiError(REFUSALS[429]),
    503: openAiError(REFUSALS[503]),
    504: openAiError(REFUSALS[504]),
  },
});

export const API_ROUTES = [classifyRoute, modelRoute, openApiRoute, analyzeRoute, suggestScoreRoute, moderationsRoute];
