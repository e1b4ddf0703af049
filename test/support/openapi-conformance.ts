/**
 * @module openapi-conformance
 * Checks real answers against the service's own OpenAPI document: the status must be one the
 * document lists for that path and method, and a JSON body must match the schema it gives.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { openApiDocument } from '../../functions/src/api/openapi.ts';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const dereferenced = (await SwaggerParser.dereference(structuredClone(openApiDocument) as never)) as unknown as {
  paths: Record<string, Record<string, Operation>>;
};

/** Fails the test unless `res` is an answer the document describes; returns it for further checks. */
export async function expectDocumented(res: Response, path: string, method: string): Promise<Response> {
  const operation = dereferenced.paths[path]?.[method.toLowerCase()];
  expect(operation, `${method} ${path} is in the OpenAPI document`).toBeDefined();
  const response = operation!.responses[String(res.status)];
  expect(response, `${method} ${path} answered ${res.status}, a status the document lists`).toBeDefined();
  const schema = response!.content?.['application/json']?.schema;
  if (schema) {
    const body: unknown = await res.clone().json();
    const validate = ajv.compile(schema);
    expect(validate(body), `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }
  return res;
}
