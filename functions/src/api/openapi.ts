/**
 * @module openapi
 * The OpenAPI 3.1 document served at GET /api/v1/openapi.json, generated from the route
 * definitions (routes.ts) and their zod schemas, so it describes exactly what is validated and
 * answered.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { API_ROUTES } from './routes.ts';

function buildDocument() {
  const registry = new OpenAPIHono();
  for (const route of API_ROUTES) registry.openAPIRegistry.registerPath(route);
  return registry.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Toxicity monitor',
      version: '1',
      description: 'Scores English text with unitary/toxic-bert: a sigmoid probability for each of six labels.',
    },
  });
}

export const openApiDocument = buildDocument();
