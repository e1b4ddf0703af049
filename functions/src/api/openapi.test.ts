import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { LABELS } from '../model/labels.ts';
import { openApiDocument } from './openapi.ts';
import { API_ROUTES } from './routes.ts';
import { ERROR_CODES, LIMITS } from './schemas.ts';

type Schema = { properties?: Record<string, Schema>; items?: Schema; enum?: string[]; maxItems?: number; maxLength?: number; required?: string[] };
const doc = openApiDocument as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, Schema> };
};

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    await expect(SwaggerParser.validate(structuredClone(openApiDocument) as never)).resolves.toBeDefined();
    expect(openApiDocument.openapi).toBe('3.1.0');
  });

  it('describes every API route the app answers, with their methods', () => {
    for (const route of API_ROUTES) expect(doc.paths[route.path]?.[route.method], `${route.method} ${route.path}`).toBeDefined();
    expect(Object.keys(doc.paths).sort()).toEqual(API_ROUTES.map((r) => r.path).sort());
  });

  it('carries the limits, the labels and the error codes from their one definition', () => {
    const request = doc.components.schemas.ClassifyRequest!;
    expect(request.properties!.texts!.maxItems).toBe(LIMITS.maxTexts);
    expect(request.properties!.text!.maxLength).toBe(LIMITS.maxChars);
    expect(Object.keys(doc.components.schemas.LabelScores!.properties!)).toEqual([...LABELS]);
    expect(doc.components.schemas.Error!.properties!.error!.properties!.code!.enum).toEqual([...ERROR_CODES]);
  });

  it('lists the refusals of a classify request: bad input, no or bad key, too large or over budget, rate limited, busy, too late', () => {
    expect(Object.keys(doc.paths['/api/v1/classify']!.post!.responses).sort()).toEqual(['200', '400', '401', '413', '415', '429', '503', '504']);
  });
});
