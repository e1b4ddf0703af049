/**
 * @module validate
 * Checks a parsed JSON body against a route's zod schema and turns every problem into one
 * ErrorDetail, in the words of the dialect the route speaks.
 */
import type { z } from '@hono/zod-openapi';
import { ApiError, type ErrorDetail } from './errors.ts';

export type Issue = z.core.$ZodIssue;

/** `texts[3]` for the path ['texts', 3], `comment.text` for ['comment', 'text']. */
export function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`)).join('');
}

/** One detail per problem: every unknown field on its own, named by `unknownField`. */
export function issueDetails(issues: readonly Issue[], unknownField: (key: string, at: string) => string): ErrorDetail[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldOf([...issue.path, key]), message: unknownField(key, fieldOf(issue.path)) }))
      : [{ field: fieldOf(issue.path), message: issue.message }],
  );
}

/**
 * The body as the schema reads it, or ApiError 400 invalid_request whose message is `summary`
 * of the details (the first detail's words when it is a function of them).
 */
export function validated<S extends z.ZodType>(
  schema: S,
  body: unknown,
  details: (issues: readonly Issue[]) => ErrorDetail[],
  summary: string | ((details: ErrorDetail[]) => string),
): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const found = details(parsed.error.issues);
  throw new ApiError(400, 'invalid_request', typeof summary === 'string' ? summary : summary(found), found);
}
