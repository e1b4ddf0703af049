/**
 * @module routes
 * Each API route as one object: method, path, request and response schemas. app.ts registers
 * the handlers at these paths, openapi.ts turns them into the OpenAPI document, and the
 * validation uses the same request schemas (schemas.ts).
 */
import { createRoute } from '@hono/zod-openapi';
import { ClassifyRequestSchema, ClassifyResponseSchema, ErrorResponseSchema, ModelResponseSchema } from './schemas.ts';

const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorResponseSchema, description);

export const classifyRoute = createRoute({
  method: 'post',
  path: '/api/v1/classify',
  summary: 'Score one text or up to 32 texts',
  request: { body: { required: true, content: { 'application/json': { schema: ClassifyRequestSchema } } } },
  responses: {
    200: json(ClassifyResponseSchema, 'One result per text, in request order'),
    400: error('invalid_json, invalid_utf8, invalid_request (every bad field listed in details) or bad_request'),
    413: error(
      'payload_too_large: the body is over 1 MiB; over_budget: the request would cost more model work than ' +
        'limits.max_request_tokens of GET /api/v1/model (the message gives the estimate and the budget)',
    ),
    415: error('unsupported_media_type: the body is not sent as application/json'),
    429: error('rate_limited: too many requests from this client, or too much of its work queued; see Retry-After'),
    503: error('not_ready, overloaded or unavailable; see Retry-After'),
    504: error('timeout: the request could not be served before its deadline'),
  },
});

export const modelRoute = createRoute({
  method: 'get',
  path: '/api/v1/model',
  summary: 'The model being served and the limits of a request',
  responses: { 200: json(ModelResponseSchema, 'Model id, dtype, labels and limits'), 503: error('not_ready: the model is still loading') },
});

export const openApiRoute = createRoute({
  method: 'get',
  path: '/api/v1/openapi.json',
  summary: 'This document',
  responses: { 200: { description: 'The OpenAPI 3.1 description of the API' } },
});

export const API_ROUTES = [classifyRoute, modelRoute, openApiRoute];
