/**
 * @module merge-patch
 * JSON Merge Patch (RFC 7396) over parsed YAML: maps merge key by key, `null` removes a key,
 * anything else (lists included) replaces. deploy/swarm/swarm.patch.yaml is applied this way.
 *
 * @example
 * applyMergePatch({ a: 1, b: { c: 2 } }, { a: null, b: { d: 3 } }); // { b: { c: 2, d: 3 } }
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isMap = (value: unknown): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const result: { [key: string]: Json } = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key] ?? null, value);
  }
  return result;
}
